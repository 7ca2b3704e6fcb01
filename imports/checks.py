"""Each row of an import checked as its page would check it: the action's rows by the action
form and its indicator values' form, the targets' by the target form, so the messages are the
pages' own, in the person's language. A row comes out new, changed or unchanged, with its errors
at its cells (column key -> messages; None for the row as a whole).

What a row needs from the database (commitments, indicators, the actions or targets its ids name)
is read once per file by the context, so the check's queries grow by a constant per row: those
the forms run themselves (a commitment's indicators and focus areas, the model's checks)."""

import copy
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ambassadors.models import City
from commitments import kinds, services
from commitments.forms import ActionForm, IndicatorValuesForm, TargetForm
from commitments.models import PEOPLE_GROUPS, Action, Commitment, Horizon, Indicator, IndicatorValue, Target
from core.text import folded

from .columns import ACTION_FIELDS, TARGET_FIELDS, choice_map
from .reading import FORMULA

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
DATE_FIELDS = ["started_on", "ended_on"]
COUNT_FIELDS = ["people_reached", *PEOPLE_GROUPS]


@dataclass
class Checked:
    state: str
    errors: dict = field(default_factory=dict)
    write: dict = field(default_factory=dict)  # what the services take, for a valid new or changed row
    version: str = ""  # the existing row as checked (status and last change): apply refuses if it moved


def _formula_errors(cells):
    return {
        key: [_("Esta celda tiene una fórmula: escriba su valor. Las fórmulas no se importan.")]
        for key, value in cells.items()
        if value == FORMULA
    }


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _typed_errors(cells, *, dates=(), counts=()):
    """What a form accepts but would read wrong from a spreadsheet: a date in a local format (03/04/2026 is
    April in Lima and March in English, and the forms take each language's), a count with a
    thousands separator (1.000 would be read as 1 person)."""
    errors = {}
    for key in dates:
        if cells.get(key) and cells[key] != FORMULA and not ISO_DATE.fullmatch(cells[key]):
            errors[key] = [_("Escriba la fecha como AAAA-MM-DD.")]
    for key in counts:
        if cells.get(key) and cells[key] != FORMULA and not cells[key].isdigit():
            errors[key] = [_("Escriba un número entero, sin puntos ni comas.")]
    return errors


def _id_of(cells, errors, seen):
    """The row's id (None for a new row); each id once per file, or two rows would race."""
    text = cells.get("id", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        errors["id"] = [_("El id debe ser un número (o quedar vacío en una fila nueva).")]
        return None
    if text in seen:
        errors["id"] = [_("Otra fila del archivo ya tiene este id.")]
    seen.add(text)
    return int(text)


def _city_matches(cells, city, errors):
    """The row's city, when given, must be the import's: its id or its name."""
    text = cells.get("city", "")
    if text and text != str(city.pk) and folded(text) != folded(city.name):
        errors["city"] = [
            _("Esta ciudad no está a su cargo en esta importación: solo se importan filas de %(city)s.")
            % {"city": city.name}
        ]


def _form_errors(form, rename=None):
    rename = rename or {}
    return {
        rename.get(name, name) if name != "__all__" else None: list(messages) for name, messages in form.errors.items()
    }


# Actions ----------------------------------------------------------------------------------


class ActionContext:
    """What every action row of one file needs: the importer's city, the catalogue, the actions
    its ids name (of that city only: another city's ids are not found)."""

    def __init__(self, *, user, city, rows):
        self.user, self.city = user, city
        self.commitments = {c.code: c for c in Commitment.objects.active().with_axis()}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        ids = [int(c["id"]) for _n, c in rows if c.get("id", "").isdigit() and len(c["id"]) <= 12]
        self.actions = {
            action.pk: action
            for action in Action.objects.visible_to(user)
            .filter(city=city, pk__in=ids)
            .select_related(
                "commitment__axis", "ambassador", *(section.related_name for section in kinds.SECTIONS.values())
            )
            .prefetch_related(Prefetch("indicator_values", queryset=IndicatorValue.objects.all()))
        }
        self.kind_values = choice_map(Action.Kind)
        self.ids_seen = set()


def given(cells, key, saved=None):
    """A cell's text; for a column the file leaves out, the saved value as its form reads it: a
    file of ids and titles changes titles, it does not empty every other field."""
    if key in cells:
        return cells[key]
    return "" if saved is None else str(saved)


def _action_data(cells, context, commitment, action):
    """The form's data from the row's cells: what a person would have typed on the page."""
    data = {key: given(cells, key, getattr(action, key) if action else None) for key in ACTION_FIELDS}
    data["commitment"] = str(commitment.pk)
    kind = cells.get("kind", "")
    data["kind"] = context.kind_values.get(folded(kind), kind) if kind else (action.kind if action else "")
    saved = {value.indicator_id: value.value for value in action.indicator_values.all()} if action else {}
    values = {}
    for indicator in context.indicators.values():
        if indicator.commitment_id != commitment.pk:
            continue
        values[f"values-indicator_{indicator.pk}"] = given(
            cells, f"indicator:{indicator.code}", saved.get(indicator.pk)
        )
    return data, values


def _foreign_values(cells, commitment, context):
    """Values in the columns of indicators that are not the row's commitment's: refused there."""
    errors = {}
    for key, value in cells.items():
        if key.startswith("indicator:") and value:
            indicator = context.indicators.get(key.removeprefix("indicator:"))
            if indicator is None or indicator.commitment_id != commitment.pk or not indicator.active:
                errors[key] = [
                    _("Este indicador no es del compromiso %(code)s: deje la celda vacía.") % {"code": commitment.code}
                ]
    return errors


def check_action(cells, context):
    errors = _formula_errors(cells)
    pk = _id_of(cells, errors, context.ids_seen)
    action = None
    if pk is not None:
        action = context.actions.get(pk)
        if action is None:
            errors.setdefault("id", [_("No hay una acción con ese id en su ciudad.")])
    _city_matches(cells, context.city, errors)
    code = cells.get("commitment", "")
    commitment = context.commitments.get(code)
    if commitment is None:
        errors.setdefault("commitment", [_("No hay un compromiso con el código «%(code)s».") % {"code": code}])
        return Checked(NEW if action is None else CHANGED, errors)
    data, value_data = _action_data(cells, context, commitment, action)
    section = kinds.section_for(action.kind) if action else None
    form = ActionForm(
        data,
        instance=copy.copy(action) if action else None,
        commitment=action.commitment if action else commitment,
        city=context.city,
        include_commitment=True,
        keeps_details=section is not None and section.details_of(action) is not None,
    )
    values_form = IndicatorValuesForm(value_data, commitment=commitment, prefix="values")
    if "kind" not in form.fields and data["kind"] not in ("", Action.Kind.GENERAL):
        errors.setdefault("kind", [_("Este compromiso no ofrece ese tipo de acción.")])
    by_indicator = {f"indicator_{i.pk}": f"indicator:{i.code}" for i in values_form.indicators}
    for key, messages in [*_form_errors(form).items(), *_form_errors(values_form, by_indicator).items()]:
        errors.setdefault(key, messages)
    typed = _typed_errors(cells, dates=DATE_FIELDS, counts=COUNT_FIELDS)  # after the form's own messages
    for key, messages in [*_foreign_values(cells, commitment, context).items(), *typed.items()]:
        errors.setdefault(key, messages)
    if errors:
        return Checked(NEW if action is None else CHANGED, errors)
    write = {
        "commitment": commitment,
        "data": {name: form.cleaned_data[name] for name in ACTION_FIELDS if name in form.cleaned_data},
        "indicator_values": values_form.values(),
    }
    if action is None:
        return Checked(NEW, write=write)
    return _compared(action, write, context)


def _same(saved, value):
    """A field as saved and as read back: text typed in a browser keeps its line breaks as \r\n,
    which an XLSX gives back as \n (XML reads them so); the same text either way."""
    if isinstance(saved, str) and isinstance(value, str):
        return saved.replace("\r\n", "\n") == value.replace("\r\n", "\n")
    return saved == value


def _compared(action, write, context):
    version = f"{action.status}|{action.updated_at.isoformat()}"
    saved_values = {value.indicator_id: value.value for value in action.indicator_values.all()}
    # A text that differs only in its line breaks is written as saved: no change, no history entry.
    data = write["data"] = {
        name: getattr(action, name) if _same(getattr(action, name), value) else value
        for name, value in write["data"].items()
    }
    unchanged = (
        write["commitment"].pk == action.commitment_id
        and all(getattr(action, name) == value for name, value in data.items())
        and all(saved_values.get(pk) == value for pk, value in write["indicator_values"].items())
    )
    if unchanged:
        return Checked(UNCHANGED, version=version)
    if not services.can_edit_action(context.user, action):
        return Checked(
            CHANGED,
            {"id": [_("Solo su embajador puede cambiar esta acción, y solo en borrador o devuelta.")]},
            version=version,
        )
    return Checked(CHANGED, write={**write, "action": action}, version=version)


# Targets ----------------------------------------------------------------------------------


class TargetContext:
    def __init__(self, *, user, city, rows):
        self.user, self.city = user, city
        self.indicators = {i.code: i for i in Indicator.objects.select_related("commitment__axis")}
        ids = [int(c["id"]) for _n, c in rows if c.get("id", "").isdigit() and len(c["id"]) <= 12]
        self.targets = {
            target.pk: target
            for target in Target.objects.visible_to(user).filter(city=city, pk__in=ids).select_related("indicator")
        }
        self.horizons = choice_map(Horizon)
        self.seen = set()  # (indicator, horizon) of the rows checked so far: one row each
        self.ids_seen = set()


def check_target(cells, context):
    errors = _formula_errors(cells)
    pk = _id_of(cells, errors, context.ids_seen)
    target = None
    if pk is not None:
        target = context.targets.get(pk)
        if target is None:
            errors.setdefault("id", [_("No hay una meta con ese id en esta ciudad.")])
    _city_matches(cells, context.city, errors)
    code = cells.get("indicator", "")
    indicator = context.indicators.get(code)
    if indicator is None:
        errors.setdefault("indicator", [_("No hay un indicador con el código «%(code)s».") % {"code": code}])
    horizon = cells.get("horizon", "")
    data = {name: cells.get(name, "") for name in TARGET_FIELDS}
    data["indicator"] = str(indicator.pk) if indicator else ""
    data["horizon"] = context.horizons.get(folded(horizon), horizon)
    instance = copy.copy(target) if target else Target(city=context.city)
    form = TargetForm(data, instance=instance)
    typed = _typed_errors(cells, dates=["due_on"], counts=["baseline_year"])  # after the form's own messages
    for key, messages in [*_form_errors(form).items(), *typed.items()]:
        errors.setdefault(key, messages)
    if not errors:
        errors.update(_constraint_errors(form.instance, context))
    state = NEW if target is None else CHANGED
    if errors:
        return Checked(state, errors)
    write = {name: form.cleaned_data[name] for name in TARGET_FIELDS}
    if target is None:
        return Checked(NEW, write=write)
    version = target.updated_at.isoformat()
    if all(getattr(target, name) == value for name, value in write.items()):
        return Checked(UNCHANGED, version=version)
    return Checked(CHANGED, write={**write, "target": target}, version=version)


def _constraint_errors(target, context):
    """The target's city is not a field of the form, so its uniqueness is checked here, as the
    service's full_clean would: against the saved targets and the file's earlier rows."""
    key = (target.indicator_id, target.horizon)
    if key in context.seen:
        return {"horizon": [_("Otra fila del archivo ya fija una meta para este indicador y horizonte.")]}
    context.seen.add(key)
    try:
        target.validate_constraints()
    except ValidationError as error:  # the constraint's own message
        return {"horizon": error.messages}
    return {}


CHECKS = {"actions": (ActionContext, check_action), "targets": (TargetContext, check_target)}


def city_for(what, user, city_id):
    """The city a person imports into: an ambassador's own for actions; one of their scope for targets."""
    if what == "actions":
        appointment = services.active_appointment(user)
        return appointment.city if appointment else None
    return City.objects.visible_to(user).filter(pk=city_id).first() if city_id else None
