"""An ambassador asks for a progress report on a phone, watches it wait in the queue, and downloads
its PDF once a real Celery worker (through the configured broker: Redis in CI) has written it."""

import datetime
import io
import re
from pathlib import Path

from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect
from pypdf import PdfReader

from config.celery import app
from core.tests.celery import broker_of_its_own, real_worker

from .browsing import field


def test_a_requested_report_shows_its_status_while_it_is_written_then_its_pdf_downloads(open_browser, tmp_path):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    ambassador.open_menu_item("Informes")
    two_months_ago = (timezone.localdate().replace(day=1) - datetime.timedelta(days=40)).replace(day=15)
    request = page.get_by_role("region", name="Pedir un informe")  # the list's filters have a period too
    field(request, "Periodicidad").select_option("month")
    field(request, "Un día del periodo").fill(two_months_ago.isoformat())
    field(request, "Idioma del informe").select_option("es")

    with broker_of_its_own(tmp_path):
        app.conf.task_always_eager = False  # queued for a worker that is not running yet
        if app.conf.broker_url.startswith("redis"):
            app.control.purge()  # nothing left over from other tests may reach this worker
        ambassador.submit(page.get_by_role("button", name="Pedir el informe"))

        status = page.get_by_role("status").filter(has_text="El informe se está preparando")
        expect(status).to_contain_text("En cola")
        expect(page.get_by_role("heading", level=1)).to_have_text("Informe de progreso: Lima")
        ambassador.screenshot("report-queued")

        with real_worker():
            # report-status.js asks for the status every few seconds and reloads the page when it is ready.
            pdf_link = page.get_by_role("link", name="Descargar PDF")
            pdf_link.wait_for(timeout=90_000)
            ambassador.check()

    expect(page.get_by_role("link", name="Descargar CSV")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Generado el \d\d/\d\d/\d{4}"))).to_be_visible()
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert re.fullmatch(rf"lima-month-{two_months_ago:%Y-%m}-01\.pdf", download.suggested_filename)
    pdf = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert "INFORME DE PROGRESO · MENSUAL\nLima, Lima (Perú)" in text
    with translation.override("es"):
        assert date_format(two_months_ago.replace(day=1), "DATE_FORMAT") in text  # "1 de septiembre de 2026"
