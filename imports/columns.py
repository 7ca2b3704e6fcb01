"""The columns of each export, which are the columns its import reads: one list per kind of row,
with labels in the language of the export. An import accepts the headers of any of the site's
languages (and the machine keys), so a file exported in English comes back in Spanish unchanged."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commitments.models import PEOPLE_GROUPS, Action, Indicator
from core.text import folded


@dataclass(frozen=True)
class Column:
    key: str  # the form field it fills, or a name of ours (id, city, city_name, status)
    label: object  # a lazy translation; an indicator's column is headed by its code
    read_only: bool = False
    required: bool = False

    @property
    def header(self):
        return str(self.label)


def _people():
    return [Column(name, Action._meta.get_field(name).verbose_name) for name in ("people_reached", *PEOPLE_GROUPS)]


ID = Column("id", _("id"))
CITY = Column("city", _("ciudad"))
CITY_NAME = Column("city_name", _("nombre de la ciudad"), read_only=True)

ACTION_COLUMNS = [
    ID,
    CITY,
    CITY_NAME,
    Column("commitment", _("compromiso"), required=True),
    Column("kind", _("tipo de acción")),
    Column("title", _("título"), required=True),
    Column("started_on", _("fecha de inicio")),
    Column("ended_on", _("fecha de fin")),
    Column("description", _("qué se hizo")),
    Column("outcome", _("qué resultó")),
    *_people(),
    Column("partners", _("organizaciones aliadas")),
    Column("status", _("estado"), read_only=True),
]
# The action's own fields among those columns (what the services write).
ACTION_FIELDS = [column.key for column in ACTION_COLUMNS if column.key in Action.AUTHOR_FIELDS]

TARGET_COLUMNS = [
    ID,
    CITY,
    CITY_NAME,
    Column("indicator", _("indicador"), required=True),
    Column("horizon", _("horizonte"), required=True),
    Column("baseline", _("línea base"), required=True),
    Column("baseline_year", _("año de la línea base"), required=True),
    Column("target_value", _("valor meta"), required=True),
    Column("due_on", _("fecha límite"), required=True),
]
TARGET_FIELDS = ["indicator", "horizon", "baseline", "baseline_year", "target_value", "due_on"]

COLUMNS = {"actions": ACTION_COLUMNS, "targets": TARGET_COLUMNS}


def indicator_columns():
    """One column per active indicator, headed by its code (3.1-a): an action's value on it."""
    codes = Indicator.objects.filter(active=True).order_by("code").values_list("code", flat=True)
    return [Column(f"indicator:{code}", code) for code in codes]


def columns_for(what):
    from .people import PEOPLE_COLUMNS  # people.py builds on this module's Column

    columns = list({**COLUMNS, **PEOPLE_COLUMNS}[what])
    return columns + indicator_columns() if what == "actions" else columns


def header_map(columns):
    """{folded header: column key} in every language of the site, and the keys themselves."""
    headers = {}
    for column in columns:
        headers[folded(column.key)] = column.key
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                headers[folded(str(column.label))] = column.key
    return headers


def choice_map(choices):
    """{folded value or label in any language: value} for a TextChoices (kinds, horizons)."""
    found = {}
    for value, label in choices.choices:
        found[folded(value)] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                found[folded(str(label))] = value
    return found
