"""bench.goals judges issue 27's goals on one run's figures: the figure, its ratio to the limit, met
or not, and "not measured" for what the run left out."""

import json

from bench import goals


def _size(overview_ms, *, queries=25, floor_ms=None, city_ms=40.0, cities_ms=None, submissions=None):
    pages = {
        "overview": {"median_ms": overview_ms, "queries": queries},
        "city_dashboard": {"busiest": {"median_ms": city_ms}},
        "floor": {"overview": {"tally": {"median_ms": floor_ms}}},
    }
    if cities_ms is not None:
        pages["pages"] = {"Cities table": {"median_ms": cities_ms}}
    return {"pages": pages, **({"submissions": submissions} if submissions else {})}


def _verdicts(small, large, **extra):
    found = goals.verdicts({"cities": 1000, "sizes": {"10000": small, "1000000": large}, **extra})
    return {verdict.goal: verdict for verdict in found}


def test_each_goal_is_judged_against_its_limit_and_the_runs_own_10k_figure_and_floor():
    found = _verdicts(
        _size(70.0, cities_ms=30.0),
        _size(160.0, floor_ms=100.0, city_ms=90.0, cities_ms=45.0, submissions={"ratio": 0.6, "post_queries": 30}),
    )
    overview = found["Overview /panel/ median at 1M (ms)"]
    assert (overview.figure, round(overview.ratio, 3), overview.met) == (160.0, 1.067, False)
    assert found["Overview /panel/ median at 10k (ms)"].met is True
    assert found["Overview / its SQL floor (tallies) at 1M"].figure == 1.6
    assert found["Overview /panel/: time at 1M / at 10k"].met is False  # 160 / 70 > 2
    assert found["A city's page, busiest city: time at 1M / at 10k"].met is False  # 90 / 40 > 2
    assert found["Cities table: time at 1M / at 10k"].figure == 1.5
    assert found["Overview SQL queries, the most at either size"].met is False  # 25 > 15
    assert found["Overview queries at 1M less those at 10k (flat)"].met is True
    assert found["Submissions/s over the ModelForm floor's writes/s at 1M"].met is True  # at least 0.5
    assert found["Queries of the submission's POST at 1M"].met is False


def test_what_the_run_did_not_measure_is_not_met_but_not_measured():
    report_run = {"reports": {"celery": {"with_pdf": {"ready": 100, "failed": 0, "wall_s": 25.0}}}}
    found = _verdicts(_size(70.0), {**_size(100.0), **report_run})
    assert found["1,000 monthly reports with PDFs, 2 workers, at 1M (s)"].met is None  # 100 of 1,000 cities
    assert found["CPU per submission, GET + POST, at 1M (ms)"].met is None
    assert "not measured" in goals.table(list(found.values()))
    assert "NOT MET" not in goals.table([found["Overview /panel/ median at 10k (ms)"]])


def test_the_recorded_runs_goals_print_as_markdown(tmp_path, capsys):
    recorded = tmp_path / "performance.json"
    large = {"pages": {"overview": {"median_ms": 90}}}
    recorded.write_text(json.dumps({"cities": 1000, "sizes": {"10000": {}, "1000000": large}}))
    goals.main([str(recorded)])
    table = capsys.readouterr().out
    assert "| Overview /panel/ median at 1M (ms) | 90.00 | ≤ 150 | 0.60 | met |" in table
    assert "not measured" in table
