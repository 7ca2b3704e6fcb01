"""A scope's report files: HTML and PDF from one template, XLSX and CSV from the cities' table.

The same outputs as a city's report (reports.outputs), each written on its own so one that fails
on what the report holds does not stop the others.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .exports import csv_bytes, xlsx_bytes
from .outputs import OutputWriter, render_pdf
from .scope_content import present_scope


def city_headers(report):
    """The cities' table of the CSV and of the XLSX's first sheet, one column per figure."""
    return [
        _("Ciudad"),
        _("País"),
        _("Acciones aprobadas"),
        _("Periodo anterior"),
        *[_("Eje %(number)s") % {"number": axis["number"]} for axis in report["axes"]],
        _("Personas alcanzadas"),
        _("Mujeres"),
        _("Hombres"),
        _("Otras / sin dato"),
        _("Jóvenes"),
        _("Personas con discapacidad"),
        _("Personas indígenas"),
        _("Personas afrodescendientes"),
        *[_("Metas: %(status)s") % {"status": label} for label in report["target_statuses"]],
        _("Última acción aprobada"),
        _("Días sin acciones aprobadas al cierre"),
        _("Acciones esperando revisión"),
        _("Esperando %(days)s días o más") % {"days": report["rules"]["review_days"]},
        _("Decisiones en el periodo"),
        _("Mediana de revisión (días)"),
        _("Requiere atención"),
    ]


def city_rows(report):
    people = ("people", "women", "men", "other", "youth", "disability", "indigenous", "afro")
    return [
        [
            city["name"],
            city["country_name"],
            city["approved"],
            city["previous"],
            *city["axes"],
            *[city["people"][name] for name in people],
            *city["target_cells"],
            city["last_action_on"],
            city["days_since"],
            city["waiting"],
            city["old_waiting"],
            city["decisions"],
            city["median_review_days"],
            "; ".join(city["reasons"]),
        ]
        for city in report["cities"]
    ]


def attention_headers():
    return [_("Orden"), _("Ciudad"), _("Motivos")]


def attention_rows(report):
    return [[index, city["name"], "; ".join(city["reasons"])] for index, city in enumerate(report["attention"], 1)]


def monthly_headers(report):
    return [_("Mes"), *[axis["name"] for axis in report["axes"]], _("Personas alcanzadas")]


def monthly_rows(report):
    monthly = report["monthly"]
    return [
        [month, *[counts[index] for counts in monthly["axes"]], monthly["people"][index]]
        for index, month in enumerate(monthly["months"])
    ]


def render_scope_html(report):
    """The standalone document: the stored HTML file and the PDF's source."""
    return render_to_string("reports/scope_document.html", {"report": report})


def render_scope_outputs(*, snapshot, language, name, with_pdf=True):
    """The four outputs in `language`: ({field name: (file name, bytes)}, {format: error}), as
    reports.outputs.render_outputs returns them."""
    write = OutputWriter(name)
    files, failures = write.files, write.failures
    with translation.override(language):
        report = present_scope(snapshot, language)
        html = write("html", lambda: render_scope_html(report).encode("utf-8"))
        if with_pdf:
            if html is None:
                failures["pdf"] = failures["html"]  # the PDF is drawn from the HTML
            else:
                write("pdf", lambda: render_pdf(html.decode("utf-8")))
        write(
            "xlsx",
            lambda: xlsx_bytes(
                [
                    (_("Ciudades"), city_headers(report), city_rows(report)),
                    (_("Requieren atención"), attention_headers(), attention_rows(report)),
                    (_("Por mes"), monthly_headers(report), monthly_rows(report)),
                ]
            ),
        )
        write("csv", lambda: csv_bytes(city_headers(report), city_rows(report)))
    return files, failures
