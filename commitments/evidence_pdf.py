"""PDFs that run something when opened are refused: JavaScript (also XFA forms and rich
media), launch actions, embedded files.

A scan of the file's names, as PDF readers decode them (`/J#61vaScript` is `/JavaScript`),
outside and inside its object streams, without a PDF parser and in bounded memory: the file
(at most 10 MB) and one megabyte of decompressed data at a time. Object streams are the one
place a name can hide compressed; one encoded in any other way than plain Flate, or an /ObjStm
name the scan cannot attribute to a stream it inflates (in a string, in another stream's data),
is refused as unverifiable, and so is an encrypted PDF that has them. A `stream` keyword inside
a comment or a literal string between objects starts no stream.
What the scan does not do: undo predictors or filters other than Flate on object streams
(such files are refused, not read), or follow a reader that accepts an object stream without
the `/ObjStm` name.
"""

import re
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Names whose presence anywhere, raw or decompressed, refuses the file (long enough never to
# turn up by chance in binary data).
RUNS_CODE = ("JavaScript", "RichMedia")
LAUNCHES = ("Launch",)
EMBEDS = ("EmbeddedFile", "EmbeddedFiles", "FileAttachment")
# Short names, looked for only where PDF objects are written (outside stream data, and inside
# object streams): in a photo's bytes "/JS" turns up by chance about once in 30 MB.
RUNS_CODE_SHORT = ("JS", "XFA")

MAX_INFLATED_BYTES = 64 * 1024 * 1024  # object streams hold dictionaries: a few MB at most
CHUNK_BYTES = 1024 * 1024
INPUT_CHUNK_BYTES = 64 * 1024
OVERLAP_BYTES = 64  # longer than any name above, each character written as #xx
DICTIONARY_LOOKBACK = 64 * 1024
# A page's content, an image, a font are a stream each: a 10 MB file with more than this many
# is made to keep a check busy.
MAX_STREAMS = 50_000
# Parentheses of literal strings between streams, the same way: past this, the rest of the file
# is scanned as if it were all dictionaries.
MAX_STRING_STEPS = 1_000_000

_DELIMITERS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
_ANY_NAME = re.compile(rb"/([^" + _DELIMITERS + rb"]*)")
# Not preceded by a digit and of bounded length: a run of 64,000 digits made `\d+` try every
# suffix of it, one second for each few kilobytes.
_OBJECT_HEADER = re.compile(rb"(?<![0-9])[0-9]{1,10}\s+[0-9]{1,5}\s+obj\b")
_STREAM_START = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
# Between streams, what can hide a `stream` keyword from a reader: comments and literal strings
# (which nest, and escape parentheses with a backslash).
_LEXEME = re.compile(rb"%[^\r\n]*|\(|(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_STRING_PART = re.compile(rb"[^()\\]*(?:\\.[^()\\]*)*([()])", re.DOTALL)


def _spelled(name):
    """A pattern for /name with each character also written as #xx, as readers accept it."""
    characters = []
    for character in name:
        high, low = f"{ord(character):02x}"
        escaped = "#" + high + (f"[{low}{low.upper()}]" if low.isalpha() else low)
        characters.append(f"(?:{re.escape(character)}|{escaped})")
    return "".join(characters)


def _names_pattern(names):
    return re.compile(
        ("/(" + "|".join(_spelled(name) for name in sorted(names, key=len, reverse=True)) + ")").encode()
        + rb"(?=["
        + _DELIMITERS
        + rb"]|\Z)"
    )


_LONG = _names_pattern(RUNS_CODE + LAUNCHES + EMBEDS)
_ALL = _names_pattern(RUNS_CODE + LAUNCHES + EMBEDS + RUNS_CODE_SHORT)
_OBJECT_STREAM = _names_pattern(("ObjStm",))
_ENCRYPT = _names_pattern(("Encrypt",))


def _decoded(raw_name):
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda match: bytes([int(match.group(1), 16)]), raw_name).decode("latin-1")


class _Unverifiable(Exception):
    pass


def check_pdf(uploaded_file):
    """Raise ValidationError when the PDF holds something that runs, or cannot be checked."""
    name = uploaded_file.name
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    try:
        found = _first_active_name(data)
    except _Unverifiable as error:
        raise _unverifiable(name) from error
    if found in RUNS_CODE + RUNS_CODE_SHORT:
        raise ValidationError(
            _(
                "«%(name)s» es un PDF con JavaScript u otro contenido que se ejecuta al abrirlo: no se acepta. "
                "Imprímalo de nuevo como PDF («Imprimir» > «Guardar como PDF») y súbalo."
            )
            % {"name": name}
        )
    if found in LAUNCHES:
        raise ValidationError(
            _(
                "«%(name)s» es un PDF con una acción que abre otros programas: no se acepta. "
                "Imprímalo de nuevo como PDF («Imprimir» > «Guardar como PDF») y súbalo."
            )
            % {"name": name}
        )
    if found in EMBEDS:
        raise ValidationError(
            _(
                "«%(name)s» es un PDF con archivos adjuntos dentro, que no se pueden revisar: no se acepta. "
                "Suba cada archivo por separado."
            )
            % {"name": name}
        )


def _first_active_name(data):
    """The first name of RUNS_CODE, LAUNCHES or EMBEDS found in the PDF, decoded, or None.

    One regular-expression search per stretch of bytes, in one pass over the streams: the
    time is the file's length, however many names it repeats.
    """
    if match := _LONG.search(data):
        return _decoded(match.group(1))
    encrypted, object_streams, previous_end = False, [], 0
    # Every /ObjStm in the file must name an object stream the scan inflates: one it cannot
    # attribute (in a string, in another stream's data) is an object stream it would skip.
    unattributed = {match.start() for match in _OBJECT_STREAM.finditer(data)}
    for number, (dictionary_start, start, end) in enumerate(_streams(data)):
        if number > MAX_STREAMS:
            raise _Unverifiable("too many streams")
        # Between streams: where dictionaries are written.
        if match := _ALL.search(data, previous_end, start):
            return _decoded(match.group(1))
        encrypted = encrypted or bool(_ENCRYPT.search(data, previous_end, start))
        if start < len(data) and _is_object_stream(data, dictionary_start, start):
            object_streams.append((start, end))
            unattributed -= {match.start() for match in _OBJECT_STREAM.finditer(data, dictionary_start, start)}
        previous_end = end
    if unattributed:
        raise _Unverifiable("an object stream name the scan cannot attribute to a stream it reads")
    if object_streams and encrypted:
        raise _Unverifiable("encrypted object streams")
    budget = MAX_INFLATED_BYTES
    for start, end in object_streams:
        found, inflated = _inflated_name(data, start, end, budget)
        if found:
            return found
        budget -= inflated
    return None


def _streams(data):
    """(dictionary start, data start, data end) of each stream, then (end, end, end) for the
    bytes after the last one. A stream's data runs from after the `stream` keyword to
    `endstream`; its dictionary from the last object header before it, looked for since the
    previous stream's end (each byte searched once) and 64 KB back at most."""
    previous_end = 0
    while match := _stream_keyword(data, previous_end):
        window_start = max(previous_end, match.start() - DICTIONARY_LOOKBACK)
        headers = list(_OBJECT_HEADER.finditer(data, window_start, match.start()))
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        yield (headers[-1].end() if headers else window_start), match.end(), end
        previous_end = end
    yield len(data), len(data), len(data)


def _stream_keyword(data, position):
    """The next `stream` keyword a reader would see from `position` (between objects), or
    None: not one inside a comment or a literal string."""
    string_steps = 0
    while lexeme := _LEXEME.search(data, position):
        if lexeme.group() != b"(":
            if not lexeme.group().startswith(b"%"):
                return lexeme
            position = lexeme.end()
            continue
        depth, position = 1, lexeme.end()
        while depth:
            part = _STRING_PART.match(data, position)
            string_steps += 1
            if part is None or string_steps > MAX_STRING_STEPS:
                # A string left open runs to the end of the file: so does the scan between streams.
                return None
            depth += 1 if part.group(1) == b"(" else -1
            position = part.end()
    return None


STREAM_FILTERS = {
    "FlateDecode", "Fl", "LZWDecode", "LZW", "ASCIIHexDecode", "AHx", "ASCII85Decode", "A85",
    "RunLengthDecode", "RL", "Crypt", "DecodeParms", "DP", "Predictor", "JBIG2Decode",
}  # fmt: skip


def _is_object_stream(data, dictionary_start, start):
    names = [_decoded(match.group(1)) for match in _ANY_NAME.finditer(data, dictionary_start, start)]
    if "ObjStm" not in names:
        return False
    # Plain Flate once only: a predictor, another filter or Flate twice ([/FlateDecode /FlateDecode])
    # could split or encode the names inside.
    filters = [name for name in names if name in STREAM_FILTERS]
    if filters not in (["FlateDecode"], ["Fl"]):
        raise _Unverifiable("an object stream encoded other than with Flate once")
    return True


def _inflated_name(data, start, end, budget):
    """The first name of _ALL in a Flate stream's decompressed data, read a megabyte at a time,
    or None; and how many bytes it inflated to (at most `budget`)."""
    inflated, tail = 0, b""
    decompressor = zlib.decompressobj()
    compressed = memoryview(data)[start:end]
    try:
        for offset in range(0, len(compressed), INPUT_CHUNK_BYTES):
            pending = compressed[offset : offset + INPUT_CHUNK_BYTES]
            while pending and not decompressor.eof:
                chunk = decompressor.decompress(pending, CHUNK_BYTES)
                pending = decompressor.unconsumed_tail
                inflated += len(chunk)
                if inflated > budget:
                    raise _Unverifiable("object streams larger than the limit")
                window = tail + chunk
                if match := _ALL.search(window):
                    return _decoded(match.group(1)), inflated
                tail = window[-OVERLAP_BYTES:]
            if decompressor.eof:
                break
    except zlib.error:
        return None, inflated  # a reader stops where the data breaks, as the scan does
    if not decompressor.eof:
        # The data goes on past the first `endstream` (a reader goes by /Length): bytes spelling
        # it inside the compressed data would end the scan before what follows.
        raise _Unverifiable("an object stream whose data runs past its end")
    return None, inflated


def _unverifiable(name):
    return ValidationError(
        _(
            "«%(name)s» es un PDF cifrado o comprimido de una forma que aquí no se puede revisar: no se acepta. "
            "Imprímalo de nuevo como PDF («Imprimir» > «Guardar como PDF») y súbalo."
        )
        % {"name": name}
    )
