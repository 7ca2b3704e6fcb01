"""Tables as CSV and XLSX downloads, with the same columns the page shows."""

import csv
import io
import re

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an XLSX cell cannot hold (XML 1.0 refuses it, and openpyxl raises): the control characters
# but tab and line breaks (openpyxl's ILLEGAL_CHARACTERS_RE), lone surrogates and the two
# non-characters U+FFFE and U+FFFF. Text saved before titles were checked may hold any of them.
_UNWRITABLE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")


def _writable(text):
    """`text` without what a spreadsheet cannot hold: a vertical tab or form feed becomes a space
    (it separated words), anything else is dropped."""
    return _UNWRITABLE.sub(lambda match: " " if match.group().isspace() else "", text)


def _safe(value):
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)  # a lazy translation: openpyxl writes only plain strings
    if isinstance(value, bool):
        return gettext("Sí") if value else gettext("No")
    if isinstance(value, str):
        value = _writable(value)  # first: a formula could hide behind a dropped character
        if value.startswith(_FORMULA_STARTS):
            return "'" + value
    return value


def _sheet_title(title):
    """A title a workbook takes: 31 characters at most, none of []:*?/\\ nor what a cell refuses."""
    return re.sub(r"[\[\]:*?/\\]", " ", _writable(str(title)))[:31].strip() or "-"


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_bytes(headers, rows):
    """UTF-8 with a byte order mark, so spreadsheet programs read the accents right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in headers])
    writer.writerows([[_safe(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(sheets):
    """A workbook with one sheet per (title, headers, rows), the header row frozen. Written as it
    goes (openpyxl's write-only mode): a report of thousands of rows never holds them as cells."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title))
        # Widths and the frozen row come before the first row in write-only mode.
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(header)) + 2))
        sheet.append([str(header) for header in headers])
        for row in rows:
            sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(headers, rows, filename):
    return _download(csv_bytes(headers, rows), "text/csv; charset=utf-8", f"{filename}.csv")


def xlsx_response(headers, rows, filename, *, title):
    return _download(xlsx_bytes([(title, headers, rows)]), XLSX_TYPE, f"{filename}.xlsx")
