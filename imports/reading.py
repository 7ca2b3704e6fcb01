"""Reading an uploaded spreadsheet into rows of text, with tablib, and what makes a file
unreadable as a whole: not a spreadsheet, too big, too many rows, unknown or missing columns.
Each refusal says why in the person's language."""

import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from decimal import Decimal

import magic
import tablib
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from commitments.evidence_office import XLSX, is_zip, office_type_of_zip
from core.text import folded

from .columns import header_map

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Far more than any import's columns (the actions': 21 and one per active indicator), far fewer
# than a hostile header row of a million cells, whose every row would be held and compared.
MAX_COLUMNS = 500
SNIFF_BYTES = 8192
# What a spreadsheet program sees as a formula; our exports escape such text with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell's text that was a formula, which the check refuses at its cell (and the preview shows):
# not a word someone could type as a title or a partner ("formula" was refused as one), but what
# any formula starts with, itself refused as one in a CSV.
FORMULA = "="


class FileProblem(Exception):
    """The file cannot be read as rows: `messages` say why."""

    def __init__(self, *messages):
        super().__init__(*messages)
        self.messages = list(messages)


def check_upload(uploaded_file):
    """Size, emptiness and content of an upload, before it is stored; ValidationError if refused."""
    name = uploaded_file.name
    if uploaded_file.size > MAX_BYTES:
        raise ValidationError(
            _("«%(name)s» pesa %(size)s; el máximo es %(max)s por archivo.")
            % {"name": name, "size": filesizeformat(uploaded_file.size), "max": filesizeformat(MAX_BYTES)}
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("«%(name)s» está vacío.") % {"name": name})
    try:
        kind_of(uploaded_file)
    except FileProblem as problem:
        raise ValidationError(problem.messages) from None


def kind_of(stream):
    """ "xlsx" or "csv", from the content (a PDF renamed .xlsx is a PDF), else FileProblem."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if is_zip(head, detected):
        if office_type_of_zip(stream) == XLSX:
            stream.seek(0)
            return "xlsx"
        stream.seek(0)
    elif detected.startswith("text/") or detected in ("application/csv", "application/json"):
        return "csv"
    raise FileProblem(
        _(
            "El archivo no es una hoja de cálculo XLSX ni un CSV (su contenido es de tipo %(type)s). "
            "Descargue la plantilla, complétela y súbala en XLSX o CSV."
        )
        % {"type": detected}
    )


def _text(value):
    """A cell as the text a form field reads: dates in ISO, whole numbers without decimals."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time.min else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = str(value).strip()
    # An export escapes text that a spreadsheet would run as a formula ('=…): read it back as typed.
    if text.startswith("'") and text[1:2] and text[1:2] in "=+-@":
        return text[1:]
    return text


def _too_many_rows(count):
    return FileProblem(
        _("El archivo tiene %(count)s filas; se importan hasta %(max)s por vez. Divídalo en varios archivos.")
        % {"count": count, "max": MAX_ROWS}
    )


def _too_many_columns(count):
    return FileProblem(
        _("El archivo tiene %(count)s columnas; una importación lee hasta %(max)s. Borre las columnas que sobran.")
        % {"count": count, "max": MAX_COLUMNS}
    )


def _xlsx_rows(stream):
    """The first sheet's rows through tablib, and the (row, column) of each formula, found first with
    openpyxl in read-only mode: the size it declares refuses a huge sheet before any row is read."""
    data = stream.read()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise FileProblem(_("El archivo XLSX está dañado o no se puede abrir.")) from None
    # The sheet tablib reads: the active one (a workbook saved on its second sheet opens there),
    # so the formulas and the size are those of the rows that are imported.
    sheet = book.active
    if not hasattr(sheet, "iter_rows"):  # a chart sheet, or none
        raise FileProblem(_("El archivo XLSX está dañado o no se puede abrir."))
    declared = sheet.max_row or 0
    if declared > MAX_ROWS + 1:
        raise _too_many_rows(declared - 1)
    if (sheet.max_column or 0) > MAX_COLUMNS:
        # Read-only mode pads every row to the declared width: refused before a row is read.
        raise _too_many_columns(sheet.max_column)
    formulas = set()
    for number, row in enumerate(sheet.iter_rows(), start=0):
        if number > MAX_ROWS + 1:
            raise _too_many_rows(number)
        if len(row) > MAX_COLUMNS:  # no declared width: each row is as wide as its last cell
            raise _too_many_columns(len(row))
        for index, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f":
                formulas.add((number, index))
    book.close()
    dataset = tablib.Dataset().load(data, format="xlsx")
    return [list(dataset.headers or [])] + [list(row) for row in dataset], formulas


# A Latin letter or sign as UTF-8 writes it (é is C3 A9): in a file that is not all UTF-8, a sign
# that two encodings were mixed, which Windows-1252 would read as "Ã©" (Â and Ã before a symbol
# are no Spanish nor Portuguese a person types).
UTF8_LETTER = re.compile(rb"[\xc2\xc3][\x80-\xbf]")


def _decoded(data):
    for encoding in ("utf-8-sig", "cp1252"):
        if encoding == "cp1252" and UTF8_LETTER.search(data):
            break
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(
        _("El CSV no está en UTF-8 ni en Windows-1252 (Latin-1). Guárdelo como «CSV UTF-8» y vuelva a subirlo.")
    )


def _records(text, delimiter):
    """How many rows with text the CSV holds, as the csv module reads it, before tablib holds them
    all: a line break inside a quoted cell (a description of several paragraphs, as the
    exports write it) does not start a row. FileProblem for a cell longer than the csv module
    reads (csv.field_size_limit), at its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    count = 0
    try:
        for record in reader:
            count += any(record)
    except csv.Error as error:
        if "field larger" in str(error):
            message = _(
                "La línea %(line)s tiene una celda de más de %(max)s caracteres: revise las comillas de esa fila."
            )
        else:
            message = _("La línea %(line)s no se puede leer como CSV: revise las comillas de esa fila.")
        raise FileProblem(message % {"line": reader.line_num, "max": csv.field_size_limit()}) from None
    return count


def _csv_rows(stream):
    text = _decoded(stream.read())
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    if first.count(delimiter) >= MAX_COLUMNS:
        raise _too_many_columns(first.count(delimiter) + 1)
    records = _records(text, delimiter)
    if records > MAX_ROWS + 1:
        raise _too_many_rows(records - 1)  # counted without tablib holding a row
    try:
        dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except (tablib.InvalidDimensions, csv.Error):
        raise FileProblem(
            _("Hay filas con más celdas que encabezados: revise las comas o los puntos y comas.")
        ) from None
    rows = [list(dataset.headers or [])] + [list(row) for row in dataset]
    formulas = {
        (number, index)
        for number, row in enumerate(rows)
        for index, value in enumerate(row)
        if isinstance(value, str) and value.startswith("=")
    }
    return rows, formulas


def read_rows(stream, columns):
    """(column keys in the file's order, [(row number, {key: text})]); FileProblem if unreadable.
    A formula's cell reads as FORMULA; read-only columns are kept (the check ignores them)."""
    reader = _xlsx_rows if kind_of(stream) == "xlsx" else _csv_rows
    raw, formulas = reader(stream)
    if not raw or not any(_text(value) for value in raw[0]):
        raise FileProblem(_("El archivo está vacío: no tiene encabezados ni filas."))
    keys = _keys(raw[0], columns)
    rows = []
    for number, values in enumerate(raw[1:], start=1):
        cells = {
            key: FORMULA if (number, index) in formulas else _text(value)
            for index, (key, value) in enumerate(zip(keys, values, strict=False))
        }
        if any(cells.values()):
            rows.append((number + 1, cells))  # the spreadsheet's own row number: headers are row 1
    if not rows:
        raise FileProblem(_("El archivo no tiene filas de datos: solo los encabezados."))
    if len(rows) > MAX_ROWS:
        raise _too_many_rows(len(rows))
    return keys, rows


def _keys(headers, columns):
    known = header_map(columns)
    keys, unknown = [], []
    for header in headers:
        key = known.get(folded(_text(header)))
        if key is None:
            unknown.append(_text(header) or "—")
        keys.append(key)
    problems = []
    if unknown:
        problems.append(
            _("Columnas que no se reconocen: %(columns)s.") % {"columns": ", ".join(f"«{name}»" for name in unknown)}
        )
    missing = [column.header for column in columns if column.required and column.key not in keys]
    if missing:
        problems.append(_("Faltan columnas: %(columns)s.") % {"columns": ", ".join(f"«{name}»" for name in missing)})
    repeated = sorted(key for key, count in Counter(keys).items() if key and count > 1)
    if repeated:
        labels = [column.header for column in columns if column.key in repeated]
        problems.append(_("Columnas repetidas: %(columns)s.") % {"columns": ", ".join(f"«{name}»" for name in labels)})
    if problems:
        problems.append(
            _("Las columnas posibles son: %(columns)s.")
            % {"columns": ", ".join(f"«{column.header}»" for column in columns)}
        )
        raise FileProblem(*problems)
    return keys
