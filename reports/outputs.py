"""A report's files: HTML and PDF from one template, XLSX and CSV from one table of figures."""

import logging
import re

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import visuals
from .content import present
from .exports import csv_bytes, xlsx_bytes
from .kinds_content import event_headers, event_rows, hazard_rows, kinds_rows

logger = logging.getLogger(__name__)

# Not an output's own failure: these stop the whole report (the task retries it).
MACHINE_ERRORS = (DatabaseError, OSError, MemoryError, SoftTimeLimitExceeded)


def figure_headers():
    return [_("Sección"), _("Código"), _("Concepto"), _("Valor"), _("Periodo anterior")]


def figure_rows(report):
    """Every figure of the report, one per row: the CSV, and the XLSX's first sheet."""
    totals, previous = report["totals"], report["change"]
    section = _("Totales")
    rows = [
        [section, "", _("Acciones aprobadas"), totals["approved"], previous.previous],
        [section, "", _("Personas alcanzadas"), totals["people"], report["people_change"].previous],
        [section, "", _("Mujeres"), totals["women"], None],
        [section, "", _("Hombres"), totals["men"], None],
        [section, "", _("Otras / sin dato"), totals["other"], None],
        [section, "", _("Jóvenes"), totals["youth"], None],
        # None (an empty cell) in a report written before these were counted.
        [section, "", _("Personas con discapacidad"), totals["disability"], None],
        [section, "", _("Personas indígenas"), totals["indigenous"], None],
        [section, "", _("Personas afrodescendientes"), totals["afro"], None],
    ]
    rows += [
        [_("Acciones aprobadas por eje"), str(axis["number"]), axis["name"], axis["approved"], axis["previous"]]
        for axis in report["axes"]
    ]
    rows += [
        [_("Acciones aprobadas por compromiso"), entry["code"], entry["title"], entry["approved"], entry["previous"]]
        for entry in report["commitments"]
    ]
    rows += [
        [_("Personas alcanzadas por compromiso"), entry["code"], entry["title"], entry["people"], None]
        for entry in report["commitments"]
    ]
    rows += [
        [_("Indicadores en el periodo"), row["code"], f"{row['name']} ({row['unit']})", row["value"], None]
        for row in report["indicators"]
    ]
    rows += [
        [
            _("Metas: valor actual"),
            target["indicator"],
            f"{target['name']} · {target['horizon_label']} · {target['status_label']}",
            target["current_value"],
            None,
        ]
        for target in report["targets"]
    ]
    rows += money_rows(report)
    practices = report["practices"]  # None in a report written before practices were counted
    if practices is not None:
        rows += [
            [_("Buenas prácticas"), "", _("Prácticas publicadas"), practices["published"], None],
            [_("Buenas prácticas"), "", _("Réplicas iniciadas"), practices["replications_started"], None],
            [_("Buenas prácticas"), "", _("Réplicas realizadas"), practices["replications_done"], None],
        ]
    rows += kinds_rows(report) + hazard_rows(report)  # none in a report written before them
    return rows


def money_rows(report):
    """The money of the report. Since the funding pipeline: per stage, its amounts per currency
    and in USD; money sought, awarded and disbursed in USD (three figures, never one total), with
    how many amounts have no rate; the conversion rate; the deadlines ahead. In a report written
    before it: the fund rows per stage and currency, money sought and money secured."""
    money = report["money"]
    if money is None:
        if report["funds"] is None:
            return []
        rows = [[_("Fondos"), row["currency"], row["stage_label"], row["amount"], None] for row in report["funds"]]
        # Two figures of money, never one total: sought (identified, applied) and secured (awarded, disbursed).
        rows.append([_("Fondos"), "USD", _("Fondos buscados"), report["sought_usd"], None])
        rows.append([_("Fondos"), "USD", _("Fondos asegurados"), report["secured_usd"], None])
        return rows
    section = _("Financiamiento por etapa")
    rows = []
    for stage in money["stages"]:
        rows.append([section, "", _("%(stage)s: oportunidades") % {"stage": stage["label"]}, stage["count"], None])
        rows += [[section, row["currency"], stage["label"], row["amount"], None] for row in stage["currencies"]]
        rows.append([section, "USD", stage["label"], stage["usd"], None])
    section = _("Financiamiento")
    for figure in money["figures"]:
        rows += [[section, row["currency"], figure["label"], row["amount"], None] for row in figure["currencies"]]
        rows.append([section, "USD", figure["label"], figure["usd"], None])
        if figure["without_rate"]:
            concept = _("%(figure)s: montos sin tipo de cambio") % {"figure": figure["label"]}
            rows.append([section, "", concept, figure["without_rate"], None])
    rows.append([section, "%", _("Tasa de conversión (otorgadas ÷ decididas)"), money["conversion"], None])
    rows += [
        [
            _("Próximas fechas límite"),
            entry["deadline"],
            f"{entry['funder']} · {entry['title']} ({entry['currency']})",
            entry["amount"],
            None,
        ]
        for entry in money["deadlines"]
    ]
    return rows


def action_headers():
    return [_("Fecha de inicio"), _("Compromiso"), _("Título"), _("Personas alcanzadas"), _("Evidencias")]


def action_rows(report):
    return [
        [entry["started_on"], entry["commitment"], entry["title"], entry["people"], entry["evidence"]]
        for entry in report["actions"]
    ]


def target_headers():
    return [
        _("Indicador"),
        _("Nombre"),
        _("Horizonte"),
        _("Línea base"),
        _("Valor meta"),
        _("Fecha límite"),
        _("Valor actual"),
        _("Valor esperado"),
        _("Estado"),
    ]


def target_rows(report):
    return [
        [
            target["indicator"],
            target["name"],
            target["horizon_label"],
            target["baseline"],
            target["target_value"],
            target["due_on"],
            target["current_value"],
            target["expected_value"],
            target["status_label"],
        ]
        for target in report["targets"]
    ]


def css_string(text):
    """`text` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;·-()/'" else f"\\{ord(c):x} " for c in str(text))
    return f'"{escaped}"'


def page_counter():
    """ "Página " counter(page) " de " counter(pages): the page number in the active language,
    the sentence translated whole so each language orders it its way."""
    sentence = _("Página %(page)s de %(pages)s")
    parts = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", sentence):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def render_html(report, *, highlights_only=False):
    """The standalone document: the stored HTML file and the PDF's source. The PDF's pages carry
    the city and the period at their top, and the page number at their foot.

    With `highlights_only` (the PDF's source): the highlights stay, and the table of every action of
    the period gives way to their count and the XLSX sheet that lists them. The busiest city's
    month is thousands of actions, forty pages WeasyPrint takes seconds to lay out (issue 27). Its
    charts are images of the same SVG, not inline: WeasyPrint lays out fewer elements."""
    margins = {
        "top_left": css_string(f"{report['city']} · {report['period_label']}"),
        "top_right": css_string(_("Informe de progreso")),
        "bottom_left": css_string(_("OMCS")),
        "bottom_right": page_counter(),
    }
    return render_to_string(
        "reports/report_document.html",
        {
            "report": report,
            "margins": margins,
            "highlights_only": highlights_only,
            "charts_as_images": highlights_only,
        },
    )


def render_pdf(html):
    from weasyprint import HTML  # imported here: loading Pango costs time the web process rarely needs

    # Tagged: screen readers follow headings and tables. Nothing is fetched: the photos are inside the HTML.
    return HTML(string=html, url_fetcher=visuals.url_fetcher()).write_pdf(pdf_tags=True)


class OutputWriter:
    """Writes a report's outputs one by one, as `write(output, render)`: the bytes go to `files`
    ({field name: (file name, bytes)}); an output that fails on what the report holds goes to
    `failures` ({format: error}) and the others are still written. Errors of the machine rather
    than of an output (the database, the disk, the task's time limit) stop them all."""

    def __init__(self, name):
        self.name, self.base = name, slugify(name)
        self.files, self.failures = {}, {}

    def __call__(self, output, render):
        try:
            content = render()
        except MACHINE_ERRORS:
            raise
        except Exception as error:
            logger.exception("The %s of report %s could not be written", output, self.name)
            self.failures[output] = f"{type(error).__name__}: {error}"[:500]
            return None
        self.files[f"{output}_file"] = (f"{self.base}.{output}", content)
        return content


def render_outputs(*, snapshot, language, name, with_pdf=True):
    """The four outputs written in `language`: ({field name: (file name, bytes)}, {format: error}).

    Each output is written on its own, so one that fails on what the report holds (a PDF the
    renderer cannot lay out, a cell the spreadsheet refuses) is named in the second dict and the
    others are still written. Errors of the machine rather than of an output (the database, the
    disk, the task's time limit) stop them all. Without "pdf_file" when not `with_pdf` (the PDF
    takes most of the time)."""
    write = OutputWriter(name)
    files, failures = write.files, write.failures
    with translation.override(language):
        report = present(snapshot, language)
        visuals.embed_photos(report)
        html = write("html", lambda: render_html(report).encode("utf-8"))  # every action, as the page
        if with_pdf:
            if html is None:
                failures["pdf"] = failures["html"]  # the PDF is drawn from the same template
            else:
                write("pdf", lambda: render_pdf(render_html(report, highlights_only=True)))
        write(
            "xlsx",
            lambda: xlsx_bytes(
                [
                    (_("Cifras"), figure_headers(), figure_rows(report)),
                    (_("Metas"), target_headers(), target_rows(report)),
                    (_("Acciones"), action_headers(), action_rows(report)),
                    *([(_("Eventos de riesgo"), event_headers(), event_rows(report))] if report["hazards"] else []),
                ]
            ),
        )
        write("csv", lambda: csv_bytes(figure_headers(), figure_rows(report)))
    return files, failures
