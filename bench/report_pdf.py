"""The PDF of a busy city's monthly report: every action listed, against the highlights only.

    .venv/bin/python -m bench.report_pdf [--actions 400] [--repetitions 3] [--json out.json]

Issue 27, decision 3: the busiest city's monthly PDF took 8 s at 1M actions, a table of 1,716
actions over about 40 pages. The PDF now lists the highlights and the count of the period's
actions, and the XLSX lists them all. This bench builds one city's month of `--actions` approved
actions, each with an evidence, in a throwaway SQLite database (migrated here, deleted at the
end), and times, for the same snapshot:

- the PDF as it was: the document with the table of every action (render_html(report));
- the PDF as it is: the highlights and the count (render_html(report, highlights_only=True));
- the stored HTML and the XLSX, which keep every action.

It prints the median of `--repetitions` timed runs after a first (cold) one, and the pages of each
PDF. Figures to read, not to assert: the machine's load moves them.
"""

import argparse
import datetime
import io
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

MONTH_START = datetime.date(2026, 10, 1)
MONTH_END = datetime.date(2026, 10, 31)


def _setup(folder):
    """Django on a fresh SQLite database and media folder inside `folder`, migrated."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(32).hex())
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # The report's CSS has rules WeasyPrint ignores, with a warning per PDF: noise in the table.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def busy_month(actions):
    """A city whose October 2026 has `actions` approved actions, each with one evidence and its
    own number of people reached; returns the city."""
    from django.core.files.base import ContentFile

    from ambassadors import services as ambassador_services
    from ambassadors.tests.factories import CityFactory, CountryFactory, UserFactory
    from commitments.models import Commitment, Evidence
    from commitments.sample_files import png_bytes
    from reports.tests.factories import ReportedActionFactory

    city = CityFactory(country=CountryFactory(code="BR"), name="São Paulo", region="São Paulo")
    ambassador = UserFactory(username="bench.ambassador")
    ambassador_services.ambassador_appoint(city=city, user=ambassador, appointed_on=datetime.date(2025, 3, 1))
    reviewer = UserFactory(username="bench.reviewer", is_staff=True, is_superuser=True)
    picture = png_bytes(8, 8, (0, 90, 160))
    commitments = list(Commitment.objects.with_axis().order_by("axis__number", "number")[::4])  # across the axes
    for number in range(actions):
        action = ReportedActionFactory(
            by=ambassador,
            reviewer=reviewer,
            commitment=commitments[number % len(commitments)],
            started_on=MONTH_START + datetime.timedelta(days=number % 31),
            title=f"Acción {number + 1} del barrio {number % 96 + 1}",
            people_reached=20 + number % 180,
        )
        Evidence.objects.create(
            action=action,
            file=ContentFile(picture, name="foto.png"),
            content_type="image/png",
            title="Foto",
            uploaded_by=ambassador,
        )
    return city


def _timed(function, repetitions):
    """(result, cold ms, median ms of `repetitions` runs after the cold one)."""
    started = time.perf_counter()
    result = function()
    cold = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(repetitions):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return result, cold, statistics.median(runs)


def _pages(pdf):
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def measure(city, repetitions):
    """The figures of the city's October report, in Spanish."""
    from django.utils import translation

    from reports import visuals
    from reports.content import build_snapshot, present
    from reports.exports import xlsx_bytes
    from reports.outputs import action_headers, action_rows, render_html, render_pdf
    from reports.periods import Period

    with translation.override("es"):
        snapshot, _cold, snapshot_ms = _timed(
            lambda: build_snapshot(city=city, kind="month", period=Period(MONTH_START, MONTH_END)), repetitions
        )
        report = present(snapshot, "es")
        visuals.embed_photos(report)
        html, _cold, html_ms = _timed(lambda: render_html(report), repetitions)
        every, every_cold, every_ms = _timed(lambda: render_pdf(render_html(report)), repetitions)
        short, short_cold, short_ms = _timed(lambda: render_pdf(render_html(report, highlights_only=True)), repetitions)
        _xlsx, _cold, xlsx_ms = _timed(lambda: xlsx_bytes([("Acciones", action_headers(), action_rows(report))]), 1)
    return {
        "actions": len(snapshot["actions"]),
        "highlights": len(snapshot["highlights"]),
        "snapshot_ms": round(snapshot_ms, 1),
        "html_ms": round(html_ms, 1),
        "html_kib": round(len(html.encode("utf-8")) / 1024, 1),
        "xlsx_actions_sheet_ms": round(xlsx_ms, 1),
        "pdf_every_action": {"median_ms": round(every_ms), "cold_ms": round(every_cold), "pages": _pages(every)},
        "pdf_highlights": {"median_ms": round(short_ms), "cold_ms": round(short_cold), "pages": _pages(short)},
    }


def table(figures):
    every, short = figures["pdf_every_action"], figures["pdf_highlights"]
    return "\n".join(
        [
            f"{figures['actions']:,} approved actions with evidence in the month, {figures['highlights']} highlights",
            f"{'':<28}{'median ms':>10}{'cold ms':>10}{'pages':>7}",
            f"{'PDF, every action (before)':<28}{every['median_ms']:>10,}{every['cold_ms']:>10,}{every['pages']:>7}",
            f"{'PDF, highlights (after)':<28}{short['median_ms']:>10,}{short['cold_ms']:>10,}{short['pages']:>7}",
            f"snapshot {figures['snapshot_ms']} ms; stored HTML (every action) {figures['html_ms']} ms, "
            f"{figures['html_kib']} KiB; XLSX actions sheet {figures['xlsx_actions_sheet_ms']} ms",
        ]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=400, help="Approved actions in the month (default 400).")
    parser.add_argument("--repetitions", type=int, default=3, help="Timed runs after the cold one (default 3).")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="omcs-report-pdf-") as folder:
        _setup(Path(folder))
        started = time.perf_counter()
        city = busy_month(args.actions)
        sys.stdout.write(f"· {args.actions:,} actions written in {time.perf_counter() - started:.1f} s\n")
        sys.stdout.flush()
        figures = measure(city, args.repetitions)
    sys.stdout.write(table(figures) + "\n")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
