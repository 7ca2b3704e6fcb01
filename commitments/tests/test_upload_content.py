"""Uploads decided by their content, in bounded memory (issue 18, findings 1, 2 and the images
of 6): zip bombs, names that lie, office documents and PDFs that carry code, crafted images."""

import io
import os
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from commitments.evidence_office import MAX_ENTRIES, MAX_RATIO, MAX_TOTAL_BYTES, _check_entries
from commitments.models import Evidence
from commitments.sample_files import (
    docx_bytes,
    gif_bytes,
    jpeg_with_gps_bytes,
    odf_bytes,
    ooxml_bytes,
    ooxml_content_types,
    pdf_bytes,
    pdf_with_objects,
    png_bytes,
    upload,
    webp_bytes,
    zip_bytes,
)
from commitments.tests.helpers import page_messages, post_files

MB = 1024 * 1024


def stored_names(action):
    return list(action.evidence.order_by("pk").values_list("original_name", flat=True))


# Zip bombs --------------------------------------------------------------------------------


def docx_with_huge_entry(entry, size):
    """A .docx whose `entry` unpacks to `size` bytes of zeros, written a megabyte at a time.

    Its core properties come first and the huge entry second, so the parts libmagic knows
    Word documents by fall outside the bytes it reads: it calls the file a zip, which is what
    sent the old check to read the `mimetype` entry whole.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("docProps/core.xml", '<?xml version="1.0"?><cp:coreProperties/>')
        with archive.open(entry, "w") as huge:
            for _ in range(size // MB):
                huge.write(bytes(MB))
        for name, content in zipfile_entries(docx_bytes()):
            if name != entry:
                archive.writestr(name, content)
    return out.getvalue()


def zipfile_entries(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ["mimetype", "word/document.xml"])
def test_a_small_docx_holding_a_huge_entry_is_refused_with_the_process_memory_barely_growing(
    client_for, ambassador, draft, entry
):
    bomb = docx_with_huge_entry(entry, 300 * MB)
    assert len(bomb) < MB
    client = client_for(ambassador)
    tracemalloc.start()
    try:
        response = post_files(client, draft, upload("informe.docx", bomb), upload("acta.pdf", pdf_bytes()))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Before, the `mimetype` entry was read whole: the peak was the 300 MB it unpacks to.
    assert peak < 50 * MB
    assert stored_names(draft) == ["acta.pdf"]
    assert page_messages(response)[0] == (
        "«informe.docx» es un archivo comprimido que crece demasiado al abrirlo: una de sus partes ocupa "
        "300,0\xa0MB al descomprimirla; el máximo es 100,0\xa0MB. No se acepta."
    )


def entry(name, size, compressed):
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, compressed
    return info


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ([entry("xl/worksheets/sheet1.xml", 50 * MB, 50 * MB // (MAX_RATIO + 1))], "crece 101 veces"),
        ([entry(f"ppt/media/image{n}.png", 99 * MB, 99 * MB) for n in range(3)], "sus partes ocupan 297,0"),
        ([entry(f"part{n}.xml", 10, 10) for n in range(MAX_ENTRIES + 1)], "tiene 5001 partes"),
    ],
    ids=["ratio", "total", "count"],
)
def test_the_central_directory_alone_refuses_archives_past_each_limit(entries, reason):
    assert MAX_TOTAL_BYTES < 297 * MB
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        _check_entries(entries, "informe.xlsx")
    assert reason in refused.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ([(f"word/media/image{n}.png", b"") for n in range(MAX_ENTRIES)], "tiene 5003 partes; el máximo es 5000"),
        (
            [(f"word/{n:0400d}.xml", b"") for n in range(2500)],
            "su lista de partes ocupa 1,1\xa0MB; el máximo es 1,0\xa0MB",
        ),
    ],
    ids=["entries", "central-directory"],
)
def test_an_archive_listing_too_many_parts_is_refused_before_they_are_read(
    client_for, ambassador, draft, entries, reason
):
    archive = zip_bytes([*zipfile_entries(docx_bytes()), *entries])
    response = post_files(client_for(ambassador), draft, upload("informe.docx", archive))
    assert not draft.evidence.exists()
    assert page_messages(response) == [
        f"«informe.docx» es un archivo comprimido que crece demasiado al abrirlo: {reason}. No se acepta."
    ]


def test_small_parts_that_compress_well_and_real_documents_pass_the_limits():
    _check_entries([entry("xl/sharedStrings.xml", MB, 1000), entry("word/media/photo.jpg", 9 * MB, 9 * MB)], "ok")


# The content decides the type and the extension -------------------------------------------


def pdf_html_polyglot():
    """A PDF that is also a web page: libmagic says PDF; a browser told it is HTML runs it."""
    return pdf_bytes().replace(b"%PDF-1.4\n", b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script>\n", 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "given", "actual"),
    [
        ("x.html", pdf_html_polyglot(), ".html", ".pdf"),
        ("report.hta", pdf_html_polyglot(), ".hta", ".pdf"),
        ("report.hta.", pdf_html_polyglot(), ".hta", ".pdf"),  # Windows drops the trailing dot
        ("shell.svg", pdf_bytes(), ".svg", ".pdf"),
        ("foto.exe", png_bytes(), ".exe", ".png"),
        ("acta.docx", pdf_bytes(), ".docx", ".pdf"),
        ("macro.docm", docx_bytes(), ".docm", ".docx"),
        ("pagina.XHTML", pdf_bytes(), ".xhtml", ".pdf"),
    ],
)
def test_a_name_that_claims_another_type_than_the_content_is_refused(
    client_for, ambassador, draft, name, content, given, actual
):
    response = post_files(client_for(ambassador), draft, upload(name, content), upload("acta.pdf", pdf_bytes()))
    assert stored_names(draft) == ["acta.pdf"]
    assert page_messages(response)[0] == (
        f"«{name}» dice ser {given} pero su contenido es {actual}. Revise que sea el archivo correcto."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "stored_extension", "served_as"),
    [
        ("Acta.borrador", pdf_bytes(), ".pdf", "Acta.borrador.pdf"),
        ("informe.v2", pdf_bytes(), ".pdf", "informe.v2.pdf"),
        ("plan.final", docx_bytes(), ".docx", "plan.final.docx"),
        ("plaza.centro", png_bytes(), ".png", "plaza.centro.png"),
    ],
)
def test_a_name_ending_in_a_word_that_is_no_known_extension_is_accepted_and_served_with_the_type_added(
    client_for, ambassador, draft, name, content, stored_extension, served_as
):
    client = client_for(ambassador)
    response = post_files(client, draft, upload(name, content))
    assert page_messages(response) == ["Evidencias guardadas: 1."]
    evidence = draft.evidence.get()
    assert evidence.original_name == name and evidence.file.name.endswith(stored_extension)
    assert download(client, evidence)["Content-Disposition"] == f'attachment; filename="{served_as}"'


def download(client, evidence):
    return client.get(reverse("commitments:evidence_download", args=[evidence.pk]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("original_name", "stored_as", "content_type", "served_as"),
    [
        ("x.html", "a.pdf", "application/pdf", "x.pdf"),
        ("report.hta", "b.pdf", "application/pdf", "report.pdf"),
        ("shell.svg", "c.pdf", "application/pdf", "shell.pdf"),
        (
            "tool.jar",
            "d.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "tool.docx",
        ),
        ("IMG_2041", "e.png", "image/png", "IMG_2041.png"),
        ("acta v1.2", "f.pdf", "application/pdf", "acta v1.2.pdf"),
        ("plaza.JPEG", "g.jpg", "image/jpeg", "plaza.JPEG"),
    ],
)
def test_files_download_under_the_extension_and_type_they_were_stored_as_whatever_their_name(
    client_for, ambassador, draft, settings, original_name, stored_as, content_type, served_as
):
    """Files stored before names were checked too: the extension comes from the stored file."""
    (settings.MEDIA_ROOT / "evidence").mkdir()
    (settings.MEDIA_ROOT / "evidence" / stored_as).write_bytes(b"%PDF-1.4")
    evidence = Evidence.objects.create(
        action=draft,
        file=f"evidence/{stored_as}",
        original_name=original_name,
        content_type=content_type,
        uploaded_by=ambassador,
    )
    response = download(client_for(ambassador), evidence)
    assert response["Content-Disposition"] == f'attachment; filename="{served_as}"'
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_file_without_an_extension_is_stored_and_served_under_its_detected_one(client_for, ambassador, draft):
    client = client_for(ambassador)
    post_files(client, draft, upload("IMG_2041", png_bytes()))
    evidence = draft.evidence.get()
    assert evidence.original_name == "IMG_2041" and evidence.file.name.endswith(".png")
    assert download(client, evidence)["Content-Disposition"] == 'attachment; filename="IMG_2041.png"'


@pytest.mark.django_db
def test_a_zip_whose_own_mimetype_entry_says_pdf_is_not_taken_for_a_pdf(client_for, ambassador, draft):
    lying = zip_bytes([("mimetype", "application/pdf"), ("acta.pdf", pdf_bytes())])
    response = post_files(client_for(ambassador), draft, upload("acta.pdf", lying))
    assert not draft.evidence.exists()
    assert page_messages(response) == [
        "«acta.pdf» no es un PDF, una imagen ni un documento de oficina (su contenido es application/zip). "
        "Suba uno de esos formatos."
    ]


DAMAGED = "parece un documento de oficina, pero está dañado o le faltan partes. Ábralo, guárdelo de nuevo y súbalo."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notas.odt", zip_bytes([("mimetype", "application/vnd.oasis.opendocument.text"), ("a.txt", "x")])),
        ("informe.docx", zip_bytes([("word/document.xml", "<w:document/>")])),
        ("informe.docx", ooxml_bytes("docx", main_content_type="application/pdf")),
        (
            "informe.docx",
            zip_bytes(
                [
                    ("[Content_Types].xml", '<!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>'),
                    ("word/document.xml", "<w:document/>"),
                ]
            ),
        ),
        ("informe.docx", docx_bytes()[:-30]),
    ],
    ids=["odf-without-content", "ooxml-without-content-types", "main-part-of-another-type", "dtd", "truncated"],
)
def test_an_office_document_without_the_structure_of_its_format_is_refused(
    client_for, ambassador, draft, name, content
):
    response = post_files(client_for(ambassador), draft, upload(name, content))
    assert not draft.evidence.exists()
    assert page_messages(response) == [f"«{name}» {DAMAGED}"]


def runnable_jar():
    """A JAR that `java -jar` runs, which also holds a Word document's parts."""
    return zip_bytes(
        [
            ("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: Tool\r\n\r\n"),
            ("Tool.class", b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + bytes(64)),
            *zipfile_entries(docx_bytes()),
        ]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["tool.jar", "informe.docx"])
def test_a_runnable_jar_with_a_word_document_inside_is_refused(client_for, ambassador, draft, name):
    response = post_files(client_for(ambassador), draft, upload(name, runnable_jar()), upload("a.pdf", pdf_bytes()))
    assert stored_names(draft) == ["a.pdf"]
    assert page_messages(response)[0] == (
        f"«{name}» lleva programas dentro (META-INF/MANIFEST.MF) que podrían ejecutarse al abrirlo: no se acepta."
    )


VBA = ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def macro_enabled(kind, family):
    return ooxml_bytes(kind, main_content_type=f"application/vnd.ms-{family}.macroEnabled.main+xml", extra=[VBA])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("informe.docx", macro_enabled("docx", "word.document")),
        ("cuentas.xlsx", macro_enabled("xlsx", "excel.sheet")),
        ("charla.pptx", macro_enabled("pptx", "powerpoint.presentation")),
        ("informe.docx", ooxml_bytes("docx", extra=[VBA])),
        (
            "cuentas.xlsx",
            zip_bytes(
                [
                    (
                        "[Content_Types].xml",
                        ooxml_content_types(
                            "xl/workbook.xml",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                            ("/xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml"),
                        ),
                    ),
                    ("xl/workbook.xml", "<workbook/>"),
                    ("xl/macrosheets/sheet1.xml", "<xm:macrosheet/>"),
                ]
            ),
        ),
        ("notas.odt", odf_bytes("odt", extra=[("Basic/Standard/Module1.xml", "<script:module/>")])),
        (
            "notas.odt",
            odf_bytes(
                "odt",
                content="<office:document-content><office:event-listeners><script:event-listener "
                'script:language="ooo:script" script:event-name="office:load" xlink:href="vnd.sun.star.script:'
                "../../../program/python-core/lib/pydoc.py$tempfilepager(1, calc.exe)?language=Python&amp;"
                'location=share"/></office:event-listeners></office:document-content>',
            ),
        ),
        ("notas.odt", odf_bytes("odt", extra=[VBA])),
        (
            "notas.odt",
            odf_bytes(
                "odt",
                extra=[
                    (
                        "[Content_Types].xml",
                        ooxml_content_types(
                            "word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"
                        ),
                    )
                ],
            ),
        ),
        ("informe.docx", ooxml_bytes("docx", extra=[("Basic/Standard/Module1.xml", "<script:module/>")])),
        (
            "informe.docx",
            ooxml_bytes("docx", extra=[("content.xml", '<office:document-content xlink:href="macro://x"/>')]),
        ),
    ],
    ids=[
        "docm",
        "xlsm",
        "pptm",
        "docx-with-vba",
        "xlsx-excel4-macros",
        "odt-basic",
        "odt-script-on-load",
        "odt-holding-a-vba-project",
        "odt-declaring-word-macros",
        "docx-holding-basic",
        "docx-holding-an-odf-script-call",
    ],
)
def test_office_documents_with_macros_are_refused_saying_why(client_for, ambassador, draft, name, content):
    response = post_files(client_for(ambassador), draft, upload(name, content), upload("a.pdf", pdf_bytes()))
    assert stored_names(draft) == ["a.pdf"]
    assert page_messages(response)[0] == (
        f"«{name}» tiene macros, que pueden ejecutar código al abrirlo: no se acepta. Guárdelo sin macros "
        "(como .docx, .xlsx, .pptx, .odt, .ods u .odp) y súbalo de nuevo."
    )


@pytest.mark.django_db
def test_each_office_format_is_stored_under_the_type_its_parts_say(client_for, ambassador, draft):
    files = [
        ("informe.docx", ooxml_bytes("docx"), ".docx"),
        ("cuentas.xlsx", ooxml_bytes("xlsx"), ".xlsx"),
        ("charla.pptx", ooxml_bytes("pptx"), ".pptx"),
        ("notas.odt", odf_bytes("odt"), ".odt"),
        ("tabla.ods", odf_bytes("ods"), ".ods"),
        ("charla.odp", odf_bytes("odp"), ".odp"),
    ]
    response = post_files(client_for(ambassador), draft, *[upload(name, content) for name, content, _ in files])
    assert page_messages(response) == ["Evidencias guardadas: 6."]
    stored = list(draft.evidence.order_by("pk"))
    assert [evidence.file.name.rsplit(".", 1)[1] for evidence in stored] == [
        "docx",
        "xlsx",
        "pptx",
        "odt",
        "ods",
        "odp",
    ]
    assert stored[3].content_type == "application/vnd.oasis.opendocument.text"


@pytest.mark.django_db
def test_files_of_several_megabytes_are_checked_from_the_temporary_file_they_arrive_in(client_for, ambassador, draft):
    photo = ("word/media/image1.jpeg", os.urandom(3 * MB))  # stored as it is: random bytes do not compress
    scan = b"<< /Subtype /Image /Length %d >>\nstream\n%b\nendstream" % (3 * MB, os.urandom(3 * MB))
    response = post_files(
        client_for(ambassador),
        draft,
        upload("informe.docx", ooxml_bytes("docx", extra=[photo])),
        upload("escaneo.pdf", pdf_with_objects(objects=[scan], compressed=[b"<< /Type /Metadata >>"])),
    )
    assert page_messages(response) == ["Evidencias guardadas: 2."]
    assert [evidence.size > 3 * MB for evidence in draft.evidence.all()] == [True, True]


def ole_bytes(stream):
    """The smallest compound file (the container of Office 97-2003) holding one empty `stream`."""
    free, end = 0xFFFFFFFF, 0xFFFFFFFE

    def directory_entry(name, kind, child=free):
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, free, free, child)
            + bytes(20)
            + bytes(16)
            + struct.pack("<IQ", end, 0)
        )

    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    fat = struct.pack("<II", 0xFFFFFFFD, end).ljust(512, b"\xff")
    entries = directory_entry("Root Entry", 5, child=1) + directory_entry(stream, 2)
    return header + fat + entries + directory_entry("", 0) * 2


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "stream"), [("acta.doc", "WordDocument"), ("cuentas.xls", "Workbook")])
def test_office_97_2003_files_are_refused_with_a_request_for_the_newer_format(
    client_for, ambassador, draft, name, stream
):
    response = post_files(client_for(ambassador), draft, upload(name, ole_bytes(stream)))
    assert not draft.evidence.exists()
    assert page_messages(response) == [
        f"«{name}» es un documento de Office 97-2003 (.doc, .xls o .ppt), cuyas macros aquí no se pueden "
        "revisar. Guárdelo como .docx, .xlsx o .pptx (o como PDF) y súbalo."
    ]


# PDFs that run something ------------------------------------------------------------------

JAVASCRIPT = (
    "es un PDF con JavaScript u otro contenido que se ejecuta al abrirlo: no se acepta. "
    "Imprímalo de nuevo como PDF («Imprimir» > «Guardar como PDF») y súbalo."
)
LAUNCH = (
    "es un PDF con una acción que abre otros programas: no se acepta. "
    "Imprímalo de nuevo como PDF («Imprimir» > «Guardar como PDF») y súbalo."
)
EMBEDDED = (
    "es un PDF con archivos adjuntos dentro, que no se pueden revisar: no se acepta. Suba cada archivo por separado."
)
UNVERIFIABLE = (
    "es un PDF cifrado o comprimido de una forma que aquí no se puede revisar: no se acepta. "
    "Imprímalo de nuevo como PDF («Imprimir» > «Guardar como PDF») y súbalo."
)
JS_ACTION = b"<< /S /JavaScript /JS (app.alert(1)) >>"


def object_stream(content):
    data = zlib.compress(content, 9)
    return b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%b\nendstream" % (
        len(data),
        data,
    )


def string_hidden_object_stream(string):
    """An object stream whose dictionary first holds `string`, a literal string that says
    `stream`: a scan blind to strings takes the real stream's dictionary for stream data."""
    data = zlib.compress(b"7 0 " + JS_ACTION, 9)
    return b"<< /Foo %b /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>stream\n%b\nendstream" % (
        string,
        len(data),
        data,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pdf_with_objects(catalog=b"/OpenAction " + JS_ACTION), JAVASCRIPT),
        (pdf_with_objects(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"), JAVASCRIPT),
        (pdf_with_objects(catalog=b"/OpenAction << /S /Named /N /NextPage /JS 6 0 R >>", objects=[b"(x)"]), JAVASCRIPT),
        (
            pdf_with_objects(catalog=b"/Names << /JavaScript 6 0 R >>", objects=[b"<< /Names [(a) 7 0 R] >>"]),
            JAVASCRIPT,
        ),
        (pdf_with_objects(catalog=b"/OpenAction 6 0 R", compressed=[JS_ACTION]), JAVASCRIPT),
        (pdf_with_objects(catalog=b"/OpenAction 6 0 R", compressed=[b"<< /S /J#61v#61Script /JS (a) >>"]), JAVASCRIPT),
        (pdf_with_objects(catalog=b"/AcroForm << /XFA 6 0 R /Fields [] >>", objects=[b"[]"]), JAVASCRIPT),
        (pdf_with_objects(catalog=b"/OpenAction << /S /Launch /F (calc.exe) >>"), LAUNCH),
        (pdf_with_objects(catalog=b"/OpenAction << /S /L#61unch /F (calc.exe) >>"), LAUNCH),
        (pdf_with_objects(catalog=b"/Names << /EmbeddedFiles 6 0 R >>", objects=[b"<< /Names [] >>"]), EMBEDDED),
        (
            pdf_with_objects(catalog=b"/OpenAction 6 0 R", compressed=[JS_ACTION], encoding="/ASCIIHexDecode"),
            UNVERIFIABLE,
        ),
        (pdf_with_objects(compressed=[b"<< /A 1 >>"], trailer=b"/Encrypt << /Filter /Standard >>"), UNVERIFIABLE),
        (pdf_with_objects(objects=[object_stream(b" " * 70 * MB)]), UNVERIFIABLE),
        (pdf_with_objects(objects=[b"<< /ObjStm 1 >>"]), UNVERIFIABLE),
        (
            pdf_with_objects(catalog=b"/OpenAction 6 0 R", objects=[string_hidden_object_stream(b"(stream\n)")]),
            JAVASCRIPT,
        ),
        (
            pdf_with_objects(
                catalog=b"/OpenAction 6 0 R", objects=[string_hidden_object_stream(b"(a\\\\)(b\\)) (stream\n)")]
            ),
            JAVASCRIPT,
        ),
        (
            pdf_with_objects(catalog=b"/OpenAction 6 0 R", objects=[string_hidden_object_stream(b"(a(\n)stream\n)")]),
            JAVASCRIPT,
        ),
        (pdf_with_objects(objects=[b"(stream\n) << /Type /Obj#53tm >>"]), UNVERIFIABLE),
    ],
    ids=[
        "open-action",
        "escaped-names",
        "js-name-alone",
        "document-javascript",
        "in-object-stream",
        "escaped-in-object-stream",
        "xfa-form",
        "launch",
        "escaped-launch",
        "embedded-files",
        "object-stream-in-hex",
        "encrypted-object-streams",
        "object-stream-bomb",
        "object-stream-name-elsewhere",
        "object-stream-behind-a-string-saying-stream",
        "same-behind-an-escaped-parenthesis",
        "same-in-a-nested-string",
        "object-stream-name-inside-what-looks-like-stream-data",
    ],
)
def test_pdfs_that_run_something_or_hide_what_they_hold_are_refused_saying_why(
    client_for, ambassador, draft, content, message
):
    response = post_files(client_for(ambassador), draft, upload("informe.pdf", content), upload("a.png", png_bytes()))
    assert stored_names(draft) == ["a.png"]
    assert page_messages(response)[0] == f"«informe.pdf» {message}"


@pytest.mark.django_db
def test_pdfs_with_links_forms_and_object_streams_are_accepted(client_for, ambassador, draft):
    files = [
        upload("enlace.pdf", pdf_with_objects(catalog=b"/OpenAction << /S /URI /URI (https://omcs.org) >>")),
        upload("objetos.pdf", pdf_with_objects(compressed=[b"<< /Type /Metadata >>", b"(JS en el texto)"])),
        upload("formulario.pdf", pdf_with_objects(catalog=b"/AcroForm << /Fields [] >>")),
        upload("texto.pdf", pdf_bytes("Proyecto con JavaScript y Launch")),
    ]
    response = post_files(client_for(ambassador), draft, *files)
    assert page_messages(response) == ["Evidencias guardadas: 4."]


@pytest.mark.django_db
def test_an_empty_file_is_refused_by_name_and_the_others_are_kept(client_for, ambassador, draft):
    response = post_files(client_for(ambassador), draft, upload("vacio.pdf", b""), upload("acta.pdf", pdf_bytes()))
    assert stored_names(draft) == ["acta.pdf"]
    assert page_messages(response) == ["«vacio.pdf» está vacío.", "Evidencias guardadas: 1."]


# Crafted images ---------------------------------------------------------------------------


def mutated(data, offset, value):
    return data[:offset] + bytes([value]) + data[offset + 1 :]


CRAFTED_IMAGES = [
    # Each made one of Pillow's decoders or encoders raise something other than OSError.
    ("corta.gif", gif_bytes()[:-1] + b"!"),  # IndexError: an extension block that never comes
    ("lienzo.webp", mutated(webp_bytes(frames=3), 25, 0xA7)),  # RuntimeError: a canvas 42,760 px wide
    ("gps.jpg", jpeg_with_gps_bytes(8, 6).replace(b"Alicia\x00\x00\x00\x04", b"Alicia\x00\x00\x00\x48")),  # TypeError
    ("autor.jpg", jpeg_with_gps_bytes(8, 6).replace(b"\x01;\x00\x02", b"\x01\x07\x00\x02")),  # struct.error
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), CRAFTED_IMAGES, ids=[name for name, _ in CRAFTED_IMAGES])
def test_a_crafted_image_is_refused_as_invalid_and_the_files_after_it_are_kept(
    client_for, ambassador, draft, name, content
):
    response = post_files(
        client_for(ambassador),
        draft,
        upload("antes.pdf", pdf_bytes()),
        upload(name, content),
        upload("luego.png", png_bytes()),
    )
    assert response.status_code == 200
    assert stored_names(draft) == ["antes.pdf", "luego.png"]
    assert page_messages(response) == [
        f"«{name}» no es una imagen válida: puede estar dañada o incompleta. Ábrala, guárdela de nuevo y súbala.",
        "Evidencias guardadas: 2.",
    ]
