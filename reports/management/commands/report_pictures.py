"""Rasterise a city's progress report to PNG, page by page: the pictures of the report in the
README (docs/screenshots/report-city-month-<page>.png, from the demo's Lima)."""

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ambassadors.models import City
from reports import visuals
from reports.content import build_snapshot, present
from reports.models import ReportKind
from reports.outputs import render_html, render_pdf
from reports.periods import last_complete_period, period_of


class Command(BaseCommand):
    help = "Write a city's progress report as one PNG per PDF page (pdftoppm), as the README shows it."

    def add_arguments(self, parser):
        parser.add_argument("--city", default="Lima", help="The city's name. Default: Lima.")
        parser.add_argument("--kind", default=ReportKind.MONTH, choices=ReportKind.values)
        parser.add_argument("--start", help="The period's first day (YYYY-MM-DD). Default: the last complete one.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)
        parser.add_argument("--dpi", type=int, default=100)
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))
        parser.add_argument("--name", default="report-city-month", help="Pages are <name>-<page>.png.")
        parser.add_argument("--pages", type=int, help="Only the first PAGES pages. Default: all of them.")

    def handle(self, *args, city, kind, start, language, dpi, out, name, pages, **options):
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise CommandError("pdftoppm is missing: make system-deps installs poppler-utils.")
        found = City.objects.filter(name=city).order_by("pk").first()
        if found is None:
            raise CommandError(f"No city is called {city}. Load the demo first: manage.py load_demo.")
        today = timezone.localdate()
        period = period_of(kind, datetime.date.fromisoformat(start)) if start else last_complete_period(kind, today)
        report = present(build_snapshot(city=found, kind=kind, period=period), language)
        visuals.embed_photos(report)
        pdf = render_pdf(render_html(report, highlights_only=True))
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{name}-*.png"):
            old.unlink()
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "report.pdf"
            source.write_bytes(pdf)
            # Our own arguments only: a number, a temporary file and the folder given on the command line.
            last = ["-l", str(pages)] if pages else []
            subprocess.run([pdftoppm, "-r", str(dpi), *last, "-png", str(source), str(folder / name)], check=True)  # noqa: S603
        written = sorted(folder.glob(f"{name}-*.png"))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} pages: " + ", ".join(str(page) for page in written)))
