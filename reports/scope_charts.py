"""The charts of a scope's report, drawn with reports.charts (server-side SVG that prints).

Approved actions per month by axis and people by group are reports.charts' own; the cities side
by side (approved actions by axis, targets by status) are stacked rows drawn here with the same
geometry, colours and text alternative.
"""

from django.utils.translation import gettext

from . import charts
from .charts import BAR_HEIGHT, LABEL_GAP, ROW, STATUS_COLOURS, WIDTH, Bar, Chart, LegendItem, Text, readable
from .visuals import PEOPLE_GROUPS


def scope_charts(report):
    """The charts of a presented scope report (reports.scope_content.present_scope): those of the
    charts' section in order, [{"chart": reports.charts.Chart, "table": bool}], and the people by
    group, drawn under their table."""
    # The snapshot keeps each axis's counts per month, in the axes' order.
    axes = [{**axis, "counts": report["monthly"]["axes"][index]} for index, axis in enumerate(report["axes"])]
    groups = [{"label": gettext("Personas alcanzadas"), "count": report["totals"]["people"]}] + [
        {"label": str(label), "count": report["totals"][key]} for key, label in PEOPLE_GROUPS.items()
    ]
    # "table": whether the chart brings its data table; the others' figures are the report's tables.
    return [
        {"chart": charts.monthly_by_axis(report["monthly"]["months"], axes, chart_id="scope-monthly"), "table": True},
        {"chart": cities_by_axis(report), "table": False},
        {"chart": targets_by_city(report), "table": False},
    ], charts.people_by_group(groups, chart_id="scope-people")


# A chart of the cities draws this many at most (the network has hundreds): those with the most,
# which the title says; every city is in the report's tables and spreadsheets.
CHART_CITIES = 25


def _most(entries, title, title_of_most):
    """The CHART_CITIES entries with the largest totals (ties by the tables' order), and the title."""
    if len(entries) <= CHART_CITIES:
        return entries, title
    ranked = sorted(entries, key=lambda entry: -sum(entry["values"]))[:CHART_CITIES]
    return ranked, title_of_most % {"count": CHART_CITIES}


def cities_by_axis(report):
    """Each city's approved actions in the period, stacked by axis."""
    colours = [readable(axis["colour"]) for axis in report["axes"]]
    names = [gettext("Eje %(number)s") % {"number": axis["number"]} for axis in report["axes"]]
    entries, title = _most(
        [{"label": city["name"], "values": city["axes"]} for city in report["cities"]],
        gettext("Acciones aprobadas por ciudad y eje"),
        gettext("Acciones aprobadas por ciudad y eje: las %(count)s ciudades con más"),
    )
    return stacked_rows(
        "scope-cities-axes",
        title,
        entries,
        names=names,
        colours=colours,
        total_header=gettext("Acciones aprobadas"),
    )


def targets_by_city(report):
    """Each city's targets, stacked by status as judged on the period's last day."""
    statuses = list(STATUS_COLOURS)
    order = ["on_track", "at_risk", "off_track", "achieved"]  # TARGET_STATUS_ORDER, the tables' order
    labels = dict(zip(order, report["target_statuses"], strict=True))
    entries, title = _most(
        [
            {"label": city["name"], "values": [city["targets"][status] for status in statuses]}
            for city in report["cities"]
        ],
        gettext("Metas por ciudad y estado"),
        gettext("Metas por ciudad y estado: las %(count)s ciudades con más metas"),
    )
    return stacked_rows(
        "scope-cities-targets",
        title,
        entries,
        names=[labels[status] for status in statuses],
        colours=[readable(STATUS_COLOURS[status]) for status in statuses],
        total_header=gettext("Metas"),
    )


def stacked_rows(chart_id, title, entries, *, names, colours, total_header):
    """A row per entry ({"label", "values"}: one value per part): its label, then its parts as
    one bar, each as long as its share of the largest total, and the total after it."""
    left, value_room = 4, 60
    plot_width = WIDTH - left - value_room
    largest = max((sum(entry["values"]) for entry in entries), default=0) or 1
    chart = Chart(
        chart_id,
        "reports/charts/chart.svg.html",
        title,
        "",
        WIDTH,
        ROW * len(entries) + 6,
        legend=[LegendItem(colour, name) for colour, name in zip(colours, names, strict=True)],
        headers=[gettext("Ciudad"), *names, total_header],
    )
    sentences = []
    for index, entry in enumerate(entries):
        y, x = index * ROW + 4, left
        total = sum(entry["values"])
        chart.texts.append(Text(left, y + 11, entry["label"]))
        for value, colour, name in zip(entry["values"], colours, names, strict=True):
            length = round(plot_width * value / largest, 1)
            if length:
                label = f"{entry['label']}, {name}: {value}"
                chart.bars.append(Bar(x, y + LABEL_GAP, length, BAR_HEIGHT, colour, label))
                x += length
        chart.texts.append(Text(round(x + 6, 1), y + LABEL_GAP + 11, str(total), bold=True))
        chart.rows.append([entry["label"], *entry["values"], total])
        parts = ", ".join(f"{name} {value}" for name, value in zip(names, entry["values"], strict=True) if value)
        sentences.append(f"{entry['label']}: {total}" + (f" ({parts})" if parts else ""))
    chart.summary = f"{title}. {'; '.join(sentences)}." if sentences else title
    return chart
