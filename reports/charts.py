"""Charts drawn on the server as SVG: the geometry of a chart, which a template draws.

A report's charts must print: the PDF is written by WeasyPrint, which runs no JavaScript, so
each chart is an inline <svg> drawn by a Django template from plain numbers computed here.
Each function takes presented data (plain dicts, in the active language) and returns a
`Chart`: its bars, lines and texts in the SVG's user units, its title and a one-paragraph
summary (the text alternative), an optional legend, and the figures as a table.

Usage::

    from reports import charts

    chart = charts.monthly_by_axis(months, axes)          # or people_by_group, targets_progress, funds_by_stage
    # months: [datetime.date(2026, 1, 1), ...]; axes: [{"number", "name", "colour", "counts"}, ...]
    # from a reports.series.by_month series: charts.monthly_by_axis(*charts.axes_from_series(series))

and in a template::

    {% include "reports/charts/figure.html" with chart=chart %}          {# the SVG, legend and data table #}
    {% include "reports/charts/monthly_by_axis.svg.html" with chart=chart %}   {# the SVG alone #}

The SVG has role="img" and is labelled by its <title> and <desc> (the summary); every bar
carries its value in a <title>, values are written beside the bars, and colours are darkened
until they have a 3:1 contrast with white (WCAG 1.4.11), so nothing relies on colour alone.
Give each chart on a page its own `chart_id` (the ids of its title and description).
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, ngettext

WIDTH = 640
TEXT = "#1d2125"
MUTED = "#4a5258"
GRID = "#c8d3cf"
TRACK = "#eef3f1"
WHITE = "#ffffff"
FONT_SIZE = 12
# Colours with at least 3:1 against white: one for bars of a single series, and one per target status.
BAR = "#6a3d8f"
MONEY = "#3d5a80"
STATUS_COLOURS = {
    "achieved": "#1e6b45",
    "on_track": "#2f4fb5",
    "at_risk": "#8a5a00",
    "off_track": "#b42318",
}
LABEL_LENGTH = 70


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str  # what the bar stands for and its value, read as the bar's <title>
    stroke: str = ""


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    width: float = 1


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start, middle, end
    fill: str = TEXT
    size: int = FONT_SIZE
    bold: bool = False


@dataclass
class LegendItem:
    colour: str
    label: str
    mark: bool = False  # a thin mark (the expected value), not a swatch


@dataclass
class Chart:
    """What a template draws: `template` is its name under templates/reports/charts/."""

    id: str
    template: str
    title: str
    summary: str
    width: float
    height: float
    bars: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # drawn under the bars (grid, axis)
    marks: list = field(default_factory=list)  # lines drawn over the bars (an expected value)
    texts: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    headers: list = field(default_factory=list)  # the data table: a header per column,
    rows: list = field(default_factory=list)  # and a row per entry, its first cell naming it

    @property
    def empty(self):
        return not self.bars


# Colours.


def _luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    """The WCAG contrast ratio of two "#rrggbb" colours, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(colour, against=WHITE, ratio=3.0):
    """`colour`, darkened step by step until it has `ratio` contrast with `against`."""
    colour = colour.lower()
    while contrast(colour, against) < ratio:
        colour = "#" + "".join(f"{int(int(colour[i : i + 2], 16) * 0.9):02x}" for i in (1, 3, 5))
    return colour


def text_on(colour):
    """White or dark text, whichever reads better on `colour`."""
    return WHITE if contrast(WHITE, colour) >= contrast(TEXT, colour) else TEXT


# Numbers.


def _number(value, digits=0):
    return formats.number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


def nice_ticks(top, count=4):
    """Round axis ticks from 0 to at least `top`: 0, 5, 10, 15, 20 for 17."""
    if top <= 0:
        return [0, 1]
    rough = top / count
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    step = max(step, 1) if isinstance(top, int) else step
    ticks, tick = [0], 0
    while tick < top:
        tick += step
        ticks.append(tick)
    return ticks


def _short(label, length=LABEL_LENGTH):
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _round(value):
    return round(value, 1)


# Approved actions per month, stacked by axis.


def axes_from_series(series):
    """(months, axes) for monthly_by_axis from a reports.series.by_month series (Axis objects)."""
    return series["months"], [
        {
            "number": entry["axis"].number,
            "name": entry["axis"].name,
            "colour": entry["axis"].colour,
            "counts": entry["counts"],
        }
        for entry in series["axes"]
    ]


def month_label(month):
    """ "Ene", "Jan", "Jan": a month's abbreviation in the active language, as a label starts."""
    return formats.date_format(month, "M")


def monthly_by_axis(months, axes, *, chart_id="chart-monthly"):
    """Approved actions per month, one bar a month stacked by axis. `months` are the first days
    of the months in order; `axes` are dicts with "number", "name", "colour" ("#rrggbb") and
    "counts" (one per month)."""
    height, left, right, top, bottom = 200, 36, 8, 18, 38
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    totals = [sum(axis["counts"][index] for axis in axes) for index in range(len(months))]
    ticks = nice_ticks(max(totals, default=0))
    scale = plot_height / ticks[-1]
    slot = plot_width / max(len(months), 1)
    colours = [readable(axis["colour"]) for axis in axes]
    chart = Chart(
        id=chart_id,
        template="reports/charts/monthly_by_axis.svg.html",
        title=gettext("Acciones aprobadas por mes y eje"),
        summary=_monthly_summary(months, totals),
        width=WIDTH,
        height=height,
        legend=[
            LegendItem(colour, gettext("Eje %(number)s: %(name)s") % {"number": axis["number"], "name": axis["name"]})
            for axis, colour in zip(axes, colours, strict=True)
        ],
        headers=[
            gettext("Mes"),
            *(gettext("Eje %(number)s") % {"number": axis["number"]} for axis in axes),
            gettext("Total"),
        ],
    )
    _grid(chart, ticks, left=left, right=right, bottom=top + plot_height, scale=scale)
    for index, month in enumerate(months):
        segments = [(axis, colour, axis["counts"][index]) for axis, colour in zip(axes, colours, strict=True)]
        x = left + index * slot + slot * 0.18
        base = _stack(chart, month, segments, x=x, width=slot * 0.64, base=top + plot_height, scale=scale)
        _month_labels(
            chart,
            month,
            first=index == 0,
            total=totals[index],
            top=base,
            bottom=top + plot_height,
            centre=_round(left + index * slot + slot / 2),
        )
        chart.rows.append(
            [
                formats.date_format(month, "YEAR_MONTH_FORMAT"),
                *(_number(axis["counts"][index]) for axis in axes),
                _number(totals[index]),
            ]
        )
    chart.lines.append(Line(left, top + plot_height, WIDTH - right, top + plot_height, stroke=MUTED))
    return chart


def _grid(chart, ticks, *, left, right, bottom, scale):
    """Horizontal grid lines at `ticks`, their values at the left."""
    for tick in ticks:
        y = _round(bottom - tick * scale)
        chart.lines.append(Line(left, y, WIDTH - right, y))
        chart.texts.append(Text(left - 4, y + 4, _number(tick), anchor="end", fill=MUTED, size=11))


def _month_labels(chart, month, *, first, total, top, bottom, centre):
    """A month's bar's total above it, and the month (with its year on the first and in January) below."""
    if total:
        chart.texts.append(Text(centre, _round(top - 4), _number(total), anchor="middle", size=11, bold=True))
    chart.texts.append(Text(centre, bottom + 15, month_label(month), anchor="middle", size=11))
    if first or month.month == 1:
        chart.texts.append(Text(centre, bottom + 30, str(month.year), anchor="middle", fill=MUTED, size=10))


def _stack(chart, month, segments, *, x, width, base, scale):
    """One month's bar: a segment per axis with actions, `segments` as (axis, colour, count), from
    `base` upwards. Returns the bar's top."""
    for axis, colour, count in segments:
        if not count:
            continue
        height = count * scale
        base -= height
        name = gettext("Eje %(number)s") % {"number": axis["number"]}
        label = f"{name} · {formats.date_format(month, 'YEAR_MONTH_FORMAT')}: {_number(count)}"
        chart.bars.append(Bar(_round(x), _round(base), _round(width), _round(height), colour, label, stroke=WHITE))
    return base


def _monthly_summary(months, totals):
    if not months:
        return ""
    values = {
        "first": formats.date_format(months[0], "YEAR_MONTH_FORMAT"),
        "last": formats.date_format(months[-1], "YEAR_MONTH_FORMAT"),
        "total": _number(sum(totals)),
    }
    if not sum(totals):
        return gettext("De %(first)s a %(last)s no hubo acciones aprobadas.") % values
    best = max(range(len(totals)), key=lambda index: (totals[index], index))
    values |= {"best": formats.date_format(months[best], "YEAR_MONTH_FORMAT"), "count": _number(totals[best])}
    return (
        gettext("De %(first)s a %(last)s se aprobaron %(total)s acciones; el mes con más fue %(best)s, con %(count)s.")
        % values
    )


# Horizontal bars: one row per entry, its label above its bar and its value after it.

ROW, LABEL_GAP, BAR_HEIGHT = 33, 14, 13


def _rows_chart(chart_id, template, title, summary, entries, *, value_text, colour_of, headers, row_of):
    """A row per entry ({"label", "value"}): its label, then a bar as long as its share of the
    largest value, with `value_text(entry)` after it."""
    left, value_room = 4, 130
    plot_width = WIDTH - left - value_room
    largest = max((entry["value"] for entry in entries), default=0) or 1
    chart = Chart(chart_id, template, title, summary, WIDTH, ROW * len(entries) + 6, headers=headers)
    for index, entry in enumerate(entries):
        y = index * ROW + 4
        length = _round(plot_width * float(entry["value"]) / float(largest))
        chart.texts.append(Text(left, y + 11, _short(entry["label"])))
        chart.lines.append(Line(left, y + LABEL_GAP, left, y + LABEL_GAP + BAR_HEIGHT, stroke=MUTED))
        text = value_text(entry)
        if length:
            chart.bars.append(
                Bar(left, y + LABEL_GAP, length, BAR_HEIGHT, colour_of(entry), f"{entry['label']}: {text}")
            )
        chart.texts.append(Text(_round(left + length + 6), y + LABEL_GAP + 10.5, text, bold=True))
        chart.rows.append(row_of(entry))
    return chart


def people_by_group(groups, *, chart_id="chart-people"):
    """People reached by group: `groups` are dicts with "label" and "count" (the first the total,
    as reports.kinds_content names them, or any list)."""
    entries = [{"label": group["label"], "value": group["count"] or 0} for group in groups]
    summary = gettext("Personas alcanzadas por grupo: %(groups)s.") % {
        "groups": "; ".join(f"{entry['label']}, {_number(entry['value'])}" for entry in entries)
    }
    return _rows_chart(
        chart_id,
        "reports/charts/people_by_group.svg.html",
        gettext("Personas alcanzadas por grupo"),
        summary,
        entries,
        value_text=lambda entry: _number(entry["value"]),
        colour_of=lambda entry: BAR,
        headers=[gettext("Grupo"), gettext("Personas")],
        row_of=lambda entry: [entry["label"], _number(entry["value"])],
    )


def funds_by_stage(stages, *, chart_id="chart-funds"):
    """Funding opportunities by stage, in USD: `stages` are dicts with "label", "usd" (a Decimal,
    the amounts with a rate) and "count" (how many opportunities)."""
    entries = [{**stage, "value": stage["usd"] or Decimal(0)} for stage in stages]
    summary = gettext("Financiamiento por etapa, en dólares: %(stages)s.") % {
        "stages": "; ".join(
            ngettext(
                "%(stage)s, %(usd)s USD (%(count)s oportunidad)",
                "%(stage)s, %(usd)s USD (%(count)s oportunidades)",
                entry["count"],
            )
            % {"stage": entry["label"], "usd": _number(entry["value"]), "count": _number(entry["count"])}
            for entry in entries
        )
    }
    return _rows_chart(
        chart_id,
        "reports/charts/funds_by_stage.svg.html",
        gettext("Financiamiento por etapa (USD)"),
        summary,
        entries,
        value_text=lambda entry: f"{_number(entry['value'])} USD",
        colour_of=lambda entry: MONEY,
        headers=[gettext("Etapa"), gettext("Oportunidades"), gettext("En USD")],
        row_of=lambda entry: [entry["label"], _number(entry["count"]), _number(entry["value"], 2)],
    )


# Targets: the share of the way from baseline to target, against the share expected by now.


def targets_progress(targets, *, chart_id="chart-targets"):
    """Each target's progress as a bar from 0 to 100 % of the way from its baseline to its value,
    with a mark where it was expected to be. `targets` are dicts with "label", "progress" and
    "expected" (0 to 100), "status" (commitments' TargetStatus value) and "status_label"."""
    left, right = 4, 60
    plot_width = WIDTH - left - right
    chart = Chart(
        chart_id,
        "reports/charts/targets_progress.svg.html",
        gettext("Avance de las metas frente a lo esperado"),
        "",
        WIDTH,
        ROW * len(targets) + 6,
        legend=[
            *(LegendItem(readable(colour), str(label)) for label, colour in _status_legend(targets)),
            LegendItem(TEXT, gettext("Avance esperado a la fecha"), mark=True),
        ],
        headers=[gettext("Meta"), gettext("Avance"), gettext("Esperado"), gettext("Estado")],
    )
    sentences = []
    for index, target in enumerate(targets):
        y = index * ROW + 4
        progress, expected = _percent(target["progress"]), _percent(target["expected"])
        values = {"progress": _number(progress), "expected": _number(expected), "status": target["status_label"]}
        text = gettext("%(progress)s %% · esperado %(expected)s %%") % values
        chart.texts.append(Text(left, y + 11, _short(f"{target['label']} — {target['status_label']}")))
        chart.bars.append(Bar(left, y + LABEL_GAP, plot_width, BAR_HEIGHT, TRACK, "", stroke=GRID))
        length = _round(plot_width * progress / 100)
        if length:
            colour = STATUS_COLOURS.get(target["status"], BAR)
            chart.bars.append(Bar(left, y + LABEL_GAP, length, BAR_HEIGHT, colour, f"{target['label']}: {text}"))
        mark = _round(left + plot_width * expected / 100)
        top, bottom = y + LABEL_GAP - 1, y + LABEL_GAP + BAR_HEIGHT + 2
        # A white halo, so the mark shows on a dark bar as on the light track.
        chart.marks += [
            Line(mark, top, mark, bottom, stroke=WHITE, width=4),
            Line(mark, top, mark, bottom, stroke=TEXT, width=2),
        ]
        chart.texts.append(Text(WIDTH - right + 6, y + LABEL_GAP + 10.5, f"{_number(progress)} %", bold=True))
        chart.rows.append([target["label"], f"{_number(progress)} %", f"{_number(expected)} %", target["status_label"]])
        sentences.append(
            gettext("%(target)s, %(progress)s %% del camino (se esperaba %(expected)s %%), %(status)s")
            % {**values, "target": target["label"]}
        )
    chart.summary = (
        gettext(
            "Cada barra es el avance desde la línea base hasta la meta; la marca, el avance esperado a la fecha. "
            "%(targets)s."
        )
        % {"targets": "; ".join(sentences)}
        if sentences
        else ""
    )
    return chart


def _percent(value):
    return max(0.0, min(100.0, float(value or 0)))


def _status_legend(targets):
    seen = {target["status"]: target["status_label"] for target in targets}
    return [(seen[status], colour) for status, colour in STATUS_COLOURS.items() if status in seen]
