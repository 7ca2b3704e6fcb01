"""Checks of typed text that every app's model fields and forms share (core imports no app).

A title, a name or a partner typed on one line holds no line break and no control character: a
vertical tab pasted from a word processor made every spreadsheet of its city's reports fail.
Longer text keeps its line breaks and tabs and refuses the other control characters.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What splits a line, as str.splitlines() reads it: \n, \r, vertical tab, form feed, the file,
# group and record separators, next line (U+0085), line and paragraph separators.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Unicode's control characters (category Cc), and the same less tab and line breaks.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _refuse_control(match):
    raise ValidationError(
        _("El texto tiene un carácter de control invisible (%(character)s) que no se admite: bórrelo."),
        code="control_character",
        params={"character": f"U+{ord(match.group()):04X}"},
    )


def validate_single_line(value):
    """One line of printable text: no line break, no tab, no other control character."""
    if _LINE_BREAK.search(value):
        raise ValidationError(_("Escriba este texto en una sola línea, sin saltos de línea."), code="line_break")
    if match := _CONTROL.search(value):
        _refuse_control(match)


def validate_text(value):
    """Text of several lines: line breaks and tabs, but no other control character."""
    if match := _CONTROL_IN_TEXT.search(value):
        _refuse_control(match)
