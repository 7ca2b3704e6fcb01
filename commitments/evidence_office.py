"""Office documents are zip archives: what one holds decides its type, read in bounded memory.

Nothing of an uploaded archive is decompressed before its central directory (the list of its
entries with their sizes) has passed the limits below, and every part read is streamed with
a hard cap: a 500 KB file can hold an entry of gigabytes (a zip bomb), and the sizes an entry
declares are the uploader's word. An OpenDocument `mimetype` entry is believed only for an
OpenDocument type, and only when the parts of that format are there; OOXML types come from
`[Content_Types].xml`. Macros of either format (looked for in every archive, whatever type
it turns out to be), Java classes and other programs are refused, and so is what fetches or
runs something on opening: OOXML relationships to outside the package other than hyperlinks,
embedded OLE objects, DDE fields and links, and OpenDocument objects linked from outside.
"""

import codecs
import re
import struct
import zipfile
import zlib
from pathlib import PurePosixPath
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
OFFICE_TYPES = {DOCX, XLSX, PPTX, ODT, ODS, ODP}

# What libmagic may call a zip-based file (it names some by their first entry): all of them
# are looked inside, whatever it said.
ZIP_MAGIC_TYPES = OFFICE_TYPES | {
    "application/zip",
    "application/x-zip-compressed",
    "application/java-archive",
    "application/x-java-archive",
    "application/epub+zip",
}
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# Limits read from the central directory before anything is decompressed. Real documents
# stay far below them: a 300-slide presentation has about a thousand entries, and an XML
# part compresses 5 to 30 times.
MAX_ENTRIES = 5000
MAX_CENTRAL_DIRECTORY_BYTES = 1024 * 1024  # each entry becomes a Python object: this bounds them
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 250 * 1024 * 1024
MAX_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024  # small parts (an empty sheet) compress far better, and are harmless
# The most read of any one part we look into; the parts scanned for macro calls are read in
# chunks of this size.
MAX_PART_READ_BYTES = 1024 * 1024
MAX_SCANNED_BYTES = 2 * MAX_ENTRY_BYTES

# OOXML: the main part of each type, and the content type its [Content_Types].xml must give it.
OOXML_MAIN_PARTS = {
    "word/document.xml": (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xl/workbook.xml": (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "ppt/presentation.xml": (
        PPTX,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
# Content types of macro-enabled documents (docm, xlsm, pptm and their templates), VBA
# projects, ActiveX controls and Excel 4.0 macro sheets.
OOXML_MACRO_CONTENT_TYPES = re.compile(r"macroEnabled|vbaProject|vbaData|activeX|macrosheet", re.IGNORECASE)
OOXML_MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/)", re.IGNORECASE)

# OpenDocument: the parts every package has, and where macros live (Basic/ and Scripts/
# libraries, and event listeners that call a script, which can reach the office suite's own
# Python: CVE-2018-16858).
ODF_REQUIRED_PARTS = {"content.xml", "META-INF/manifest.xml"}
ODF_MACRO_PARTS = re.compile(r"^(Basic|Scripts)/", re.IGNORECASE)
ODF_SCANNED_PARTS = ("content.xml", "styles.xml")  # in any folder: embedded objects have their own
# Read from decoded text, character references expanded, lower case, whitespace collapsed, and
# whatever prefix the document binds the namespaces to.
ODF_SCRIPT_CALLS = re.compile(r"vnd\.sun\.star\.script|macro://")
ODF_TOKENS = re.compile(
    r"(?P<listener>event-listener\b)"
    r"|(?P<object>[<:](?:object|object-ole|plugin|applet|floating-frame)\b)"
    r"|(?P<end>>)"
    r"|(?P<script>\b(?:language|macro-name) ?= ?[\"']|\baction ?= ?[\"'] ?execute)"
    r"|(?P<remote>\bhref ?= ?[\"'] ?(?:[a-z][a-z0-9+.-]*:|//|\\\\))"
)
CHARACTER_REFERENCE = re.compile(r"&#(x[0-9a-f]{1,8}|[0-9]{1,10});")
LONG_CHARACTER_REFERENCE = re.compile(r"&#x?[0-9a-f]{11,}")  # padded with zeros to hide past a chunk
SCAN_CARRY_CHARS = 64

# OOXML links fetched or run on opening: relationships to outside the package (a remote
# template, an `mhtml:` OLE object, an image on a network share) other than hyperlinks,
# embedded OLE objects, and DDE fields and links (which start a program).
RELATIONSHIP_PARTS = re.compile(r"(^|/)_rels/[^/]*\.rels$", re.IGNORECASE)
OLE_PARTS = re.compile(r"((^|/)oleObject[^/]*\.bin$|(^|/)embeddings/[^/]*\.bin$)", re.IGNORECASE)
WORD_PARTS = re.compile(r"^word/[^/]*\.xml$", re.IGNORECASE)
EXCEL_LINK_PARTS = re.compile(r"^xl/externalLinks/[^/]*\.xml$", re.IGNORECASE)
WORD_DDE = re.compile(rb"ddeauto|instr(?:text)?\b[^>]*>\s*dde\b|instr\s*=\s*[\"']\s*dde\b", re.IGNORECASE)
EXCEL_DDE = re.compile(rb"ddeLink|oleLink", re.IGNORECASE)

# Entries a system would run: Java classes and a JAR's manifest, Windows programs and scripts.
EXECUTABLE_PARTS = re.compile(
    r"(^META-INF/MANIFEST\.MF$|\.(class|jar|exe|dll|com|scr|msi|bat|cmd|ps1|vbs|vbe|js|jse|wsf|wsh|hta|lnk|sh)$)",
    re.IGNORECASE,
)

# What a malformed archive makes zipfile, zlib or the XML parser raise.
ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError, IndexError)
ARCHIVE_ERRORS += (zlib.error, struct.error, NotImplementedError, RuntimeError, OverflowError)
ARCHIVE_ERRORS += (ElementTree.ParseError, DefusedXmlException)


def is_zip(head, detected_type):
    return head.startswith(ZIP_SIGNATURES) or detected_type in ZIP_MAGIC_TYPES


def office_type_of_zip(uploaded_file):
    """The office type of an uploaded zip, or "application/zip" when it is no office document.

    Raises ValidationError when the archive would unpack too large, is damaged, or carries
    macros or programs.
    """
    name = uploaded_file.name
    uploaded_file.seek(0)
    try:
        _check_central_directory(uploaded_file, name)
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
            _check_entries(entries, name)
            return _office_type(archive, {entry.filename: entry for entry in entries}, name)
    except ARCHIVE_ERRORS as error:
        raise _damaged(name) from error
    finally:
        uploaded_file.seek(0)


def _check_central_directory(uploaded_file, name):
    """Its size, from the end record, before zipfile turns each entry into an object."""
    end_record = zipfile._EndRecData(uploaded_file)  # the record zipfile itself will use
    if not end_record:
        raise zipfile.BadZipFile("no end of central directory")
    if end_record[zipfile._ECD_ENTRIES_TOTAL] > MAX_ENTRIES:
        raise _too_many_entries(name, end_record[zipfile._ECD_ENTRIES_TOTAL])
    if end_record[zipfile._ECD_SIZE] > MAX_CENTRAL_DIRECTORY_BYTES:
        # The count in the end record is the uploader's word; the size is what would be read.
        raise _expands_too_much(
            name,
            _("su lista de partes ocupa %(size)s; el máximo es %(max)s")
            % {
                "size": filesizeformat(end_record[zipfile._ECD_SIZE]),
                "max": filesizeformat(MAX_CENTRAL_DIRECTORY_BYTES),
            },
        )
    uploaded_file.seek(0)


def _check_entries(entries, name):
    if len(entries) > MAX_ENTRIES:
        raise _too_many_entries(name, len(entries))
    if len({entry.filename for entry in entries}) != len(entries):
        # Two entries of one name: readers disagree on which one counts.
        raise zipfile.BadZipFile("duplicate entry")
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise zipfile.BadZipFile("encrypted entry")
        if entry.file_size > MAX_ENTRY_BYTES:
            raise _expands_too_much(
                name,
                _("una de sus partes ocupa %(size)s al descomprimirla; el máximo es %(max)s")
                % {"size": filesizeformat(entry.file_size), "max": filesizeformat(MAX_ENTRY_BYTES)},
            )
        if entry.file_size > RATIO_GRACE_BYTES and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise _expands_too_much(
                name,
                _("una de sus partes crece %(ratio)d veces al descomprimirla; el máximo es %(max)d")
                % {"ratio": entry.file_size // max(entry.compress_size, 1), "max": MAX_RATIO},
            )
        total += entry.file_size
    if total > MAX_TOTAL_BYTES:
        raise _expands_too_much(
            name,
            _("sus partes ocupan %(size)s al descomprimirlas; el máximo es %(max)s")
            % {"size": filesizeformat(total), "max": filesizeformat(MAX_TOTAL_BYTES)},
        )
    for entry in entries:
        if EXECUTABLE_PARTS.search(entry.filename):
            raise _has_programs(name, entry.filename)


def _read_part(archive, entry, limit=MAX_PART_READ_BYTES):
    """A part's bytes, streamed and cut at `limit` (never archive.read(): sizes are declared)."""
    with archive.open(entry) as part:
        data = part.read(limit + 1)
    if len(data) > limit:
        raise zipfile.BadZipFile(f"{entry.filename} is larger than {limit} bytes")
    return data


def _office_type(archive, entries, name):
    """Macros of either format are looked for in every archive, before its type is chosen: a
    reader of the other format may open it (an ODT that also holds word/vbaProject.bin)."""
    if any(OOXML_MACRO_PARTS.search(part) or ODF_MACRO_PARTS.search(part) for part in entries):
        raise _has_macros(name)
    _check_odf_macros(archive, entries, name)
    _check_ooxml_links(archive, entries, name)
    content_types = None
    if "[Content_Types].xml" in entries:
        content_types = _ooxml_content_types(_read_part(archive, entries["[Content_Types].xml"]))
        if OOXML_MACRO_CONTENT_TYPES.search(" ".join(content_types.values())):
            raise _has_macros(name)
    if "mimetype" in entries:
        declared = _read_part(archive, entries["mimetype"], limit=100).decode("ascii", "replace").strip()
        if declared in (ODT, ODS, ODP):
            if not entries.keys() >= ODF_REQUIRED_PARTS:
                raise zipfile.BadZipFile("OpenDocument without its parts")
            return declared
    main_parts = [part for part in OOXML_MAIN_PARTS if part in entries]
    if content_types is None:
        if main_parts:
            raise zipfile.BadZipFile("OOXML without [Content_Types].xml")
        return "application/zip"
    if len(main_parts) != 1:
        raise zipfile.BadZipFile("not one OOXML main part")
    office_type, main_content_type = OOXML_MAIN_PARTS[main_parts[0]]
    if content_types.get("/" + main_parts[0].lower()) != main_content_type:
        raise zipfile.BadZipFile("OOXML main part of another type")
    return office_type


def _ooxml_content_types(data):
    """Part name in lower case (or "*.extension") -> content type, from [Content_Types].xml."""
    root = parse_xml(data, forbid_dtd=True)  # ECMA-376 part 2 forbids DTDs in OOXML
    defaults, overrides = {}, {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif tag == "Override":
            # Part names compare without case (ECMA-376 part 2).
            overrides[element.get("PartName", "").lower()] = element.get("ContentType", "")
    types = {f"*.{extension}": content_type for extension, content_type in defaults.items()}
    for part in OOXML_MAIN_PARTS:
        types["/" + part] = defaults.get(PurePosixPath(part).suffix[1:], "")
    types.update(overrides)
    return types


def _check_odf_macros(archive, entries, name):
    if any(ODF_MACRO_PARTS.search(part) for part in entries):
        raise _has_macros(name)
    budget = [MAX_SCANNED_BYTES]
    for part, entry in entries.items():
        if PurePosixPath(part).name in ODF_SCANNED_PARTS:
            _scan_odf_part(archive, entry, name, budget)


def _scan_odf_part(archive, entry, name, budget):
    """Streams one part as text and follows its tags: an event listener that names a script
    language, a macro or a program to execute, and an object, plugin or applet whose href
    points outside the package, are refused."""
    with archive.open(entry) as stream:
        decoder = None
        carry = ""
        in_listener = in_object = False
        while True:
            chunk = stream.read(MAX_PART_READ_BYTES)
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise zipfile.BadZipFile("too much to scan")
            if decoder is None:
                decoder = codecs.getincrementaldecoder(_xml_encoding(chunk))("replace")
            text = carry + decoder.decode(chunk, final=not chunk)
            text = text.lower()
            if LONG_CHARACTER_REFERENCE.search(text):
                raise zipfile.BadZipFile("padded character reference")
            text = re.sub(r"\s+", " ", CHARACTER_REFERENCE.sub(_character, text).lower())
            if ODF_SCRIPT_CALLS.search(text):
                raise _has_macros(name)
            cut = len(text) if not chunk else max(len(text) - SCAN_CARRY_CHARS, 0)
            for token in ODF_TOKENS.finditer(text, 0, len(text)):
                if token.start() >= cut:
                    break
                kind = token.lastgroup
                if kind == "listener":
                    in_listener = True
                elif kind == "object":
                    in_object = True
                elif kind == "end":
                    in_listener = in_object = False
                elif kind == "script" and in_listener:
                    raise _has_macros(name)
                elif kind == "remote" and in_object:
                    raise _links_outside(name)
            carry = text[cut:]
            if not chunk:
                return


def _xml_encoding(head):
    """UTF-8 or UTF-16, by byte order mark or XML declaration; other encodings are refused."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    declared = re.match(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise zipfile.BadZipFile("XML in an encoding other than UTF-8 or UTF-16")
    return "utf-8"


def _character(reference):
    number = reference.group(1)
    code = int(number[1:], 16) if number.startswith("x") else int(number)
    return chr(code) if 0 < code < 0x110000 else "\ufffd"


def _check_ooxml_links(archive, entries, name):
    for part, entry in entries.items():
        if OLE_PARTS.search(part):
            raise _has_programs(name, part)
        if RELATIONSHIP_PARTS.search(part):
            root = parse_xml(_read_part(archive, entry), forbid_dtd=True)
            for relationship in root.iter():
                if relationship.tag.rsplit("}", 1)[-1] != "Relationship":
                    continue
                external = relationship.get("TargetMode", "").strip().lower() == "external"
                if external and not relationship.get("Type", "").rstrip("/").endswith("/hyperlink"):
                    raise _links_outside(name)
        else:
            dde = WORD_DDE if WORD_PARTS.search(part) else EXCEL_DDE if EXCEL_LINK_PARTS.search(part) else None
            if dde and _stream_matches(archive, entry, dde):
                raise _has_programs(name, part)


def _stream_matches(archive, entry, pattern):
    with archive.open(entry) as stream:
        tail = b""
        scanned = 0
        while chunk := stream.read(MAX_PART_READ_BYTES):
            scanned += len(chunk)
            if scanned > MAX_SCANNED_BYTES:
                raise zipfile.BadZipFile("too much to scan")
            window = tail + chunk
            if pattern.search(window):
                return True
            tail = window[-256:]
    return False


# Messages ---------------------------------------------------------------------------------


def _damaged(name):
    return ValidationError(
        _(
            "«%(name)s» parece un documento de oficina, pero está dañado o le faltan partes. "
            "Ábralo, guárdelo de nuevo y súbalo."
        )
        % {"name": name}
    )


def _expands_too_much(name, reason):
    return ValidationError(
        _("«%(name)s» es un archivo comprimido que crece demasiado al abrirlo: %(reason)s. No se acepta.")
        % {"name": name, "reason": reason}
    )


def _too_many_entries(name, count):
    return _expands_too_much(
        name,
        _("tiene %(count)d partes; el máximo es %(max)d") % {"count": count, "max": MAX_ENTRIES},
    )


def _has_macros(name):
    return ValidationError(
        _(
            "«%(name)s» tiene macros, que pueden ejecutar código al abrirlo: no se acepta. "
            "Guárdelo sin macros (como .docx, .xlsx, .pptx, .odt, .ods u .odp) y súbalo de nuevo."
        )
        % {"name": name}
    )


def _has_programs(name, part):
    return ValidationError(
        _("«%(name)s» lleva programas dentro (%(part)s) que podrían ejecutarse al abrirlo: no se acepta.")
        % {"name": name, "part": part[-80:]}
    )


def _links_outside(name):
    return ValidationError(
        _(
            "«%(name)s» enlaza contenido externo que se descarga al abrirlo: no se acepta. "
            "Quite ese contenido enlazado (o insértelo en el documento) y súbalo de nuevo."
        )
        % {"name": name}
    )
