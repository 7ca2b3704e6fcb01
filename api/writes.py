"""Action writes through the API: the JSON is posted to the site's own forms (so every field is
checked by the same rules, with the same messages, in the caller's language) and the valid result
goes to the same services as the pages (commitments.services), so the rows and the history are
the same whatever the channel."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import exceptions

from ambassadors.models import City
from commitments import kinds, services
from commitments.forms import ActionForm, IndicatorValuesForm, LinkFormSet, ReviewForm, TargetForm
from commitments.models import Action, Target

from .exceptions import as_field_errors

RELATED = ("focus_areas", "cities_involved")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _saved(action):
    """The action's fields as its edit form would show them: a PATCH changes only what it sends."""
    saved = {name: getattr(action, name) for name in Action.AUTHOR_FIELDS}
    saved["commitment"] = action.commitment_id
    for name in RELATED:
        saved[name] = list(getattr(action, name).values_list("pk", flat=True))
    return saved


def _action_data(payload, saved):
    data = QueryDict(mutable=True)
    for name, value in {**saved, **payload}.items():
        if name in RELATED:
            data.setlist(name, [_text(item) for item in value or []] if isinstance(value, list) else [_text(value)])
        elif name in (*Action.AUTHOR_FIELDS, "commitment", "confirm_kind_change"):
            data[name] = _text(value)
    return data


def _values_data(values):
    """indicator_values [{indicator, value}] as the page's fields (prefix "values")."""
    data = QueryDict(mutable=True)
    for row in values:
        data[f"values-indicator_{row['indicator']}"] = _text(row.get("value"))
    return data


def _links_data(links):
    data = QueryDict(mutable=True)
    data.update({"links-TOTAL_FORMS": str(len(links)), "links-INITIAL_FORMS": "0"})
    for index, link in enumerate(links):
        data[f"links-{index}-url"] = _text(link.get("url"))
        data[f"links-{index}-title"] = _text(link.get("title"))
    return data


def _forms(payload, *, commitment, city, action=None):
    section = kinds.section_for(action.kind) if action else None
    form = ActionForm(
        _action_data(payload, _saved(action) if action else {}),
        instance=action,
        commitment=commitment,
        city=city,
        include_commitment=action is not None,
        keeps_details=section is not None and section.details_of(action) is not None,
    )
    values = None
    if "indicator_values" in payload:
        values = IndicatorValuesForm(_values_data(payload["indicator_values"]), commitment=commitment, prefix="values")
    links = LinkFormSet(_links_data(payload["links"]), prefix="links") if "links" in payload else None
    return form, values, links


def _errors(form, values, links, payload):
    """{field: messages} of every form (all at once, as the page shows them)."""
    errors = {}
    if not form.is_valid():
        errors.update(as_field_errors(ValidationError(form.errors.as_data())))
    if values is not None:
        known = {indicator.pk for indicator in values.indicators}
        value_errors = {
            str(row["indicator"]): [_("Este compromiso no tiene ese indicador activo.")]
            for row in payload["indicator_values"]
            if row["indicator"] not in known
        }
        if not values.is_valid():
            value_errors.update({name.removeprefix("indicator_"): messages for name, messages in values.errors.items()})
        if value_errors:
            errors["indicator_values"] = value_errors
    if links is not None and not links.is_valid():
        errors["links"] = [dict(form_errors) for form_errors in links.errors] + (
            [{"non_field_errors": links.non_form_errors()}] if links.non_form_errors() else []
        )
    return errors


def _details(form, values, links):
    cleaned = form.cleaned_data
    return {
        "data": {name: cleaned[name] for name in Action.AUTHOR_FIELDS if name in cleaned},
        "focus_areas": cleaned.get("focus_areas", []),
        "cities_involved": cleaned.get("cities_involved", []),
        "indicator_values": values.values() if values is not None else None,
        "links": links.links() if links is not None else None,
    }


def _call(write, **kwargs):
    try:
        return write(**kwargs)
    except ValidationError as error:
        raise exceptions.ValidationError(as_field_errors(error)) from None


def action_create(*, payload, by):
    """A new draft from the API's JSON (ActionWriteSerializer's validated data)."""
    appointment = services.active_appointment(by)
    if appointment is None:
        raise exceptions.PermissionDenied(_("Solo un embajador en funciones puede registrar acciones."))
    try:
        commitment = ActionForm.base_fields["commitment"].clean(payload.get("commitment"))
    except ValidationError as error:
        raise exceptions.ValidationError({"commitment": error.messages}) from None
    form, values, links = _forms(payload, commitment=commitment, city=appointment.city)
    errors = _errors(form, values, links, payload)
    if errors:
        raise exceptions.ValidationError(errors)
    return _call(services.action_create, by=by, commitment=commitment, **_details(form, values, links))


def action_update(*, action, payload, by):
    """Change a draft or returned action with what the JSON sends; the rest stays as it is."""
    if not services.can_edit_action(by, action):
        raise exceptions.PermissionDenied(
            _("Solo su embajador puede cambiar esta acción, y solo en borrador o devuelta.")
        )
    commitment = action.commitment
    form, values, links = _forms(payload, commitment=commitment, city=action.city, action=action)
    errors = _errors(form, values, links, payload)
    if errors:
        raise exceptions.ValidationError(errors)
    new_commitment = form.cleaned_data["commitment"]
    details = _details(form, values, links)
    if new_commitment != commitment:
        # As the page does: the areas and values were the old commitment's; the service drops them.
        details.update(focus_areas=None, indicator_values=None)
    return _call(services.action_update, action=action, by=by, commitment=new_commitment, **details)


def action_submit(*, action, by):
    return _call(services.action_submit, action=action, by=by)


def action_decide(*, action, by, decision, comment):
    """Approve, or return with a comment: checked by the review page's own form."""
    if not services.can_review_action(by, action):
        raise exceptions.PermissionDenied(_("Usted no puede revisar acciones de esta ciudad."))
    form = ReviewForm({"decision": decision, "comment": comment or ""})
    if not form.is_valid():
        raise exceptions.ValidationError(as_field_errors(ValidationError(form.errors.as_data())))
    decide = services.action_approve if decision == ReviewForm.APPROVE else services.action_return
    return _call(decide, action=action, by=by, comment=form.cleaned_data["comment"])


# Targets ----------------------------------------------------------------------------------

TARGET_FIELDS = ("indicator", "horizon", "baseline", "baseline_year", "target_value", "due_on")


def _target_form(payload, target=None):
    saved = {} if target is None else {name: getattr(target, name) for name in TARGET_FIELDS}
    saved["indicator"] = target.indicator_id if target is not None else None
    data = QueryDict(mutable=True)
    for name in TARGET_FIELDS:
        data[name] = _text(payload.get(name, saved.get(name)))
    form = TargetForm(data, instance=target)
    if not form.is_valid():
        raise exceptions.ValidationError(as_field_errors(ValidationError(form.errors.as_data())))
    return form


def target_create(*, payload, by):
    """A new target of a city of the caller's scope, as the target page makes it."""
    try:
        city = forms.ModelChoiceField(queryset=City.objects.visible_to(by)).clean(payload.get("city"))
    except ValidationError as error:
        raise exceptions.ValidationError({"city": error.messages}) from None
    form = _target_form(payload)
    return _call(services.target_save, by=by, city=city, **form.cleaned_data)


def target_update(*, target, payload, by):
    """Adjust a target with what the JSON sends; the rest stays as it is."""
    form = _target_form(payload, Target.objects.select_related("city").get(pk=target.pk))
    return _call(services.target_save, by=by, city=form.instance.city, target=form.instance, **form.cleaned_data)
