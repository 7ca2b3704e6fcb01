from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def duration(value):
    """A review time as people say it: "5 h", "2,5 días"."""
    if value is None:
        return "—"
    hours = value.total_seconds() / 3600
    if hours < 48:
        rounded = max(1, round(hours))
        return ngettext("%(n)s hora", "%(n)s horas", rounded) % {"n": rounded}
    days = round(hours / 24, 1)
    return gettext("%(n)s días") % {"n": number_format(days, decimal_pos=1 if days % 1 else 0)}


@register.filter
def share(part, whole):
    """Percentage of part in whole, rounded, for tables next to a count ("3 de 5 · 60 %")."""
    return round(part * 100 / whole) if whole else 0


@register.simple_tag
def sort_link(query, key, current):
    """The query string that sorts by `key`, flipping the direction when already sorted by it."""
    direction = f"-{key}" if current == key else key
    return f"?{query}&sort={direction}" if query else f"?sort={direction}"
