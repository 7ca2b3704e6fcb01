"""bench.report_pdf builds a city's month and measures its PDF both ways, on the same snapshot."""

import pytest

from bench import report_pdf


@pytest.mark.django_db
def test_the_bench_measures_both_pdfs_of_the_month_it_builds():
    figures = report_pdf.measure(report_pdf.busy_month(8), repetitions=1)
    assert (figures["actions"], figures["highlights"]) == (8, 5)
    every, short = figures["pdf_every_action"], figures["pdf_highlights"]
    assert every["pages"] >= short["pages"] >= 1
    assert "8 approved actions with evidence in the month, 5 highlights" in report_pdf.table(figures)
