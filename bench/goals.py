"""Issue 27's goals, judged on one `make bench` run: each with its figure, the ratio of that figure
to its limit, and met or not met.

Each goal is judged within the run, against the run's own 10k figure or floor where it says so,
since figures on these shared machines move by 2x from day to day. A figure the run did not
measure (a part left out with --parts, a size not run) is "not measured", never met.
"""

from dataclasses import dataclass


def lookup(figures, *keys):
    """figures[key][key]…; a list is searched for the item whose "role" is the key. None when absent."""
    for key in keys:
        if isinstance(figures, list):
            figures = next((item for item in figures if isinstance(item, dict) and item.get("role") == key), None)
        elif isinstance(figures, dict):
            figures = figures.get(key)
        else:
            return None
        if figures is None:
            return None
    return figures


@dataclass(frozen=True)
class Verdict:
    goal: str
    figure: float | None
    limit: float
    at_most: bool = True  # the figure must stay at or under the limit (else at or above it)
    unit: str = ""

    @property
    def ratio(self):
        """The figure over its limit (at most 1 is met), or the limit over the figure for an
        at-least goal, so that a ratio at most 1 always means met."""
        if self.figure is None or not self.limit:
            return None
        if self.at_most:
            return self.figure / self.limit
        return self.limit / self.figure if self.figure else None

    @property
    def met(self):
        if self.figure is None:
            return None
        return self.figure <= self.limit if self.at_most else self.figure >= self.limit


# The coordinator pages judged at 1M against 10k: the overview and a city's page are measured
# with their floors; the rest by bench.pages' "pages".
SCALED_PAGES = [
    ("Overview /panel/", ("pages", "overview", "median_ms")),
    ("A city's page, busiest city", ("pages", "city_dashboard", "busiest", "median_ms")),
]


def _scaled(small, large):
    """Each coordinator page's 1M median over its 10k median, at most 2."""
    pages = list(SCALED_PAGES)
    for name in sorted(set(lookup(small, "pages", "pages") or {}) | set(lookup(large, "pages", "pages") or {})):
        pages.append((name, ("pages", "pages", name, "median_ms")))
    verdicts = []
    for label, keys in pages:
        before, after = lookup(small, *keys), lookup(large, *keys)
        ratio = after / before if before and after is not None else None
        verdicts.append(Verdict(f"{label}: time at 1M / at 10k", ratio, 2, unit="x"))
    return verdicts


def _overview(small, large):
    overview_large = lookup(large, "pages", "overview", "median_ms")
    floor = lookup(large, "pages", "floor", "overview", "tally", "median_ms")
    queries = [lookup(size, "pages", "overview", "queries") for size in (small, large)]
    return [
        Verdict("Overview /panel/ median at 1M (ms)", overview_large, 150, unit="ms"),
        Verdict("Overview /panel/ median at 10k (ms)", lookup(small, "pages", "overview", "median_ms"), 80, unit="ms"),
        Verdict("Overview SQL queries, the most at either size", max(queries) if None not in queries else None, 15),
        Verdict(
            "Overview queries at 1M less those at 10k (flat)",
            queries[1] - queries[0] if None not in queries else None,
            0,
        ),
        Verdict(
            "Overview / its SQL floor (tallies) at 1M",
            overview_large / floor if overview_large is not None and floor else None,
            2,
            unit="x",
        ),
    ]


def _reports(large, cities):
    busiest = lookup(large, "reports", "single_city", "busiest", "with_pdf", "median_ms")
    with_pdf = lookup(large, "reports", "celery", "with_pdf") or {}
    # Only a run that wrote every city's report counts (an earlier bench wrote a hundred).
    every_city = with_pdf.get("ready") == cities and not with_pdf.get("failed")
    return [
        Verdict("Busiest city's monthly report with its PDF at 1M (ms)", busiest, 2000, unit="ms"),
        Verdict(
            f"{cities:,} monthly reports with PDFs, 2 workers, at 1M (s)",
            with_pdf.get("wall_s") if every_city else None,
            150,
            unit="s",
        ),
    ]


def _submissions(large):
    return [
        Verdict(
            "Submissions/s over the ModelForm floor's writes/s at 1M",
            lookup(large, "submissions", "ratio"),
            0.5,
            at_most=False,
        ),
        Verdict("Queries of the submission's POST at 1M", lookup(large, "submissions", "post_queries"), 25),
        Verdict(
            "CPU per submission, GET + POST, at 1M (ms)",
            lookup(large, "submissions", "cpu_ms_per_submission"),
            60,
            unit="ms",
        ),
    ]


def verdicts(results):
    """Every goal of the run in `results` (bench.run's JSON): the smallest size stands for 10k,
    the largest for 1M."""
    sizes = sorted(results.get("sizes", {}), key=int)
    if not sizes:
        return []
    small, large = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
    cities = results.get("cities", 1000)
    return [*_overview(small, large), *_scaled(small, large), *_reports(large, cities), *_submissions(large)]


def as_json(verdict):
    return {
        "goal": verdict.goal,
        "figure": verdict.figure,
        "limit": verdict.limit,
        "ratio": verdict.ratio,
        "met": verdict.met,
    }


def table(found):
    """The verdicts as the run prints them."""
    width = max((len(verdict.goal) for verdict in found), default=10)
    lines = [f"{'goal':<{width}}  {'figure':>10}  {'limit':>8}  {'ratio':>6}  verdict"]
    for verdict in found:
        figure = f"{verdict.figure:>10,.2f}" if verdict.figure is not None else f"{'-':>10}"
        ratio = f"{verdict.ratio:>6.2f}" if verdict.ratio is not None else f"{'-':>6}"
        sign = "≤" if verdict.at_most else "≥"
        state = {True: "met", False: "NOT MET", None: "not measured"}[verdict.met]
        lines.append(f"{verdict.goal:<{width}}  {figure}  {sign}{verdict.limit:>7,g}  {ratio}  {state}")
    return "\n".join(lines)


def markdown(found):
    """The verdicts as a Markdown table, for docs/performance.md."""
    lines = ["| goal | figure | limit | ratio | verdict |", "|---|---|---|---|---|"]
    for verdict in found:
        figure = f"{verdict.figure:,.2f}" if verdict.figure is not None else "—"
        ratio = f"{verdict.ratio:.2f}" if verdict.ratio is not None else "—"
        state = {True: "met", False: "**not met**", None: "not measured"}[verdict.met]
        sign = "≤" if verdict.at_most else "≥"
        lines.append(f"| {verdict.goal} | {figure} | {sign} {verdict.limit:,g} | {ratio} | {state} |")
    return "\n".join(lines)


def main(argv=None):
    """python -m bench.goals [docs/performance.json]: the goals of a recorded run, as Markdown."""
    import json
    import sys
    from pathlib import Path

    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0] if argv else Path(__file__).resolve().parent.parent / "docs" / "performance.json")
    sys.stdout.write(markdown(verdicts(json.loads(path.read_text()))) + "\n")


if __name__ == "__main__":
    main()
