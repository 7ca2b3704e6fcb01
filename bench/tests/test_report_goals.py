"""The report bench's verdict on issue 27's goals, from the figures it measured."""

import argparse

import pytest

from bench.reports import _pdf_cities, goals


def _single(busiest_ms):
    return [
        {"role": "busiest", "with_pdf": {"median_ms": busiest_ms}},
        {"role": "median", "with_pdf": {"median_ms": 90.0}},
    ]


def _run(reports, wall, *, of_cities=1000, failed=0, unfinished=0):
    extrapolated = round(wall * of_cities / reports, 1)
    return {
        "reports": reports,
        "of_cities": of_cities,
        "wall_s": wall,
        "extrapolated_wall_s": extrapolated,
        "failed": failed,
        "unfinished": unfinished,
    }


def test_every_citys_run_is_judged_on_its_own_time_and_the_busiest_on_its_pdf():
    verdict = goals(_single(1800.0), {"with_pdf": _run(1000, 151.0)})
    assert verdict["busiest_with_pdf_ms"] == {"value": 1800.0, "goal": 2000, "met": True}
    assert verdict["all_with_pdf_s"] == {"value": 151.0, "goal": 150, "met": False, "extrapolated": False}


def test_a_sample_is_judged_on_its_extrapolation_and_says_so():
    verdict = goals(_single(2100.0), {"with_pdf": _run(100, 14.0)})
    assert verdict["busiest_with_pdf_ms"]["met"] is False
    assert verdict["all_with_pdf_s"] == {"value": 140.0, "goal": 150, "met": True, "extrapolated": True}


def test_failed_reports_or_no_pdf_run_leave_the_goal_unmeasured():
    assert goals(_single(1.0), {"with_pdf": _run(1000, 90.0, failed=3)})["all_with_pdf_s"]["met"] is None
    assert goals([], {"with_pdf": None}) == {
        "busiest_with_pdf_ms": {"value": None, "goal": 2000, "met": None},
        "all_with_pdf_s": {"value": None, "goal": 150, "met": None, "extrapolated": False},
    }


def test_pdf_cities_is_all_or_a_whole_number():
    assert _pdf_cities("all") is None
    assert _pdf_cities("0") == 0
    assert _pdf_cities("250") == 250
    for wrong in ("-1", "some"):
        with pytest.raises(argparse.ArgumentTypeError):
            _pdf_cities(wrong)
