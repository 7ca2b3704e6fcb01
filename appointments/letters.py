"""The appointment letter as a PDF, drawn with WeasyPrint as the progress reports are
(reports/outputs.py: the DejaVu fonts, tagged PDF, nothing fetched from outside)."""

from django.template.loader import render_to_string
from django.utils import formats, translation


def letter_context(letter, *, verify_url):
    appointment = letter.appointment
    user, city = appointment.user, appointment.city
    with translation.override(letter.language):
        return {
            "letter": letter,
            "name": user.get_full_name() or user.get_username(),
            "city": city.name,
            "country": city.country.name,
            "appointed_on": formats.date_format(appointment.appointed_on, "DATE_FORMAT"),
            "term_ends_on": appointment.term_ends_on and formats.date_format(appointment.term_ends_on, "DATE_FORMAT"),
            "accepted_on": formats.date_format(letter.acceptance.accepted_at, "DATE_FORMAT"),
            "issued_on": formats.date_format(letter.issued_at, "DATE_FORMAT"),
            "wording": letter.acceptance.wording,
            "verify_url": verify_url,
        }


def letter_pdf(letter, *, verify_url) -> bytes:
    """The letter in its language (the one its commitments were accepted in)."""
    from weasyprint import HTML  # imported here: loading Pango costs time most requests never need
    from weasyprint.urls import URLFetcher

    with translation.override(letter.language):
        html = render_to_string("appointments/letter.html", letter_context(letter, verify_url=verify_url))
    fetcher = URLFetcher(allowed_protocols=["data"], allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_tags=True)
