"""`make bench`'s driver (bench/run.py) writes its JSON where --out says, inside the repository or not.

The databases and the measurements are stood in for: what is tested is where the JSON goes and
what the run prints at its end (issue 27: an --out outside the repository crashed on relative_to,
after the whole run)."""

import json

import pytest

from bench import run


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """A stand-in repository; the run seeds and measures nothing."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.setattr(run, "ROOT", root)
    monkeypatch.setattr(run, "machine", lambda: {"cores": 2})
    monkeypatch.setattr(run, "prepare", lambda **arguments: ({}, {"migrate_s": 1.0, "seed_s": 2.0}))
    monkeypatch.setattr(run, "measure", lambda part, env, folder: {"ratio": 0.5})
    return root


def _written(path):
    return json.loads(path.read_text())["sizes"]["10"]


def test_an_out_outside_the_repository_is_written_and_printed_whole(repository, tmp_path, capsys):
    out = tmp_path / "elsewhere" / "perf.json"  # its folder does not exist yet
    run.main(["--sizes", "10", "--parts", "submissions", "--out", str(out)])
    assert _written(out) == {"setup": {"migrate_s": 1.0, "seed_s": 2.0}, "submissions": {"ratio": 0.5}}
    assert capsys.readouterr().out.rstrip().endswith(f"JSON: {out}")


def test_a_relative_out_is_the_callers_directorys(repository, tmp_path, monkeypatch, capsys):
    caller = tmp_path / "caller"
    caller.mkdir()
    monkeypatch.chdir(caller)
    run.main(["--sizes", "10", "--parts", "submissions", "--out", "perf.json"])
    assert _written(caller / "perf.json")["submissions"] == {"ratio": 0.5}
    assert capsys.readouterr().out.rstrip().endswith(f"JSON: {caller / 'perf.json'}")


def test_an_out_inside_the_repository_is_printed_relative_to_it(repository, capsys):
    out = repository / "docs" / "performance.json"
    run.main(["--sizes", "10", "--parts", "submissions", "--out", str(out)])
    assert _written(out)["submissions"] == {"ratio": 0.5}
    assert capsys.readouterr().out.rstrip().endswith("JSON: docs/performance.json")
