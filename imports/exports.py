"""The exports an import reads back: the same columns (imports.columns), written with the
reports' safe CSV/XLSX writers (formulas escaped, so they come back as typed)."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from commitments.models import IndicatorValue, Target
from reports.exports import csv_response, xlsx_response

from .columns import columns_for
from .models import ImportJob
from .people import people_rows


def _plain(value):
    """Dates in ISO, decimals without trailing zeros (12.50 → 12.5, 3.00 → 3)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "to_integral_value"):
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


def _action_cell(action, key, values):
    if key.startswith("indicator:"):
        return values.get(key.removeprefix("indicator:"))
    special = {
        "city": action.city_id,
        "city_name": action.city.name,
        "commitment": action.commitment.code,
        "status": action.get_status_display(),
    }
    return special[key] if key in special else _plain(getattr(action, key))


def action_rows(actions, columns):
    actions = actions.for_list().prefetch_related(
        Prefetch("indicator_values", queryset=IndicatorValue.objects.select_related("indicator"))
    )
    for action in actions.order_by("pk"):
        values = {value.indicator.code: _plain(value.value) for value in action.indicator_values.all()}
        yield [_action_cell(action, column.key, values) for column in columns]


def _target_cell(target, key):
    special = {"city": target.city_id, "city_name": target.city.name, "indicator": target.indicator.code}
    return special[key] if key in special else _plain(getattr(target, key))


def target_rows(targets, columns):
    for target in targets.select_related("city", "indicator").order_by("indicator__code", "horizon"):
        yield [_target_cell(target, column.key) for column in columns]


def export_response(*, what, city, output, empty, actions=None, user=None):
    """A city's actions (`actions`: those the person reads, filtered), its targets (of `user`'s
    scope), or the admins' kinds, as a download headed in the person's language; none: the template."""
    columns = columns_for(what)
    if empty:
        rows = []
    elif what in ("cities", "ambassadors", "coordinators"):
        rows = people_rows(what)
    elif what == "actions":
        rows = action_rows(actions.filter(city=city) if city else actions, columns)
    else:
        rows = target_rows(Target.objects.visible_to(user).filter(city=city), columns)
    headers = [column.header for column in columns]
    title = str(ImportJob.What(what).label)
    name = f"{slugify(title)}-{slugify(city.name) if city else 'todas'}-{timezone.localdate():%Y-%m-%d}"
    if output == "csv":
        return csv_response(headers, rows, name)
    return xlsx_response(headers, rows, name, title=title)
