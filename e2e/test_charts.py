"""The panel in a browser: its charts are drawn settled at once for a visitor who asks the system
for reduced motion (and animate for the others), and its network tables fit a 360 px phone."""

from .browsing import wait_until

CHARTS = ["chart-actions", "chart-people", "chart-funds", "city-map"]


def animated(page):
    """Whether each chart animates (Chart.js's own resolved option), once the map has its outlines."""
    wait_until(page, "() => Chart.getChart(document.getElementById('city-map'))")
    return page.evaluate(
        "(ids) => ids.map((id) => Chart.getChart(document.getElementById(id)).options.animation !== false)", CHARTS
    )


def test_the_charts_do_not_animate_under_reduced_motion_and_the_tables_fit_a_phone(open_browser):
    visitor = open_browser("coord.sur", device="phone")  # the browser tests ask for reduced motion
    page = visitor.go("/panel/")
    assert page.evaluate("() => matchMedia('(prefers-reduced-motion: reduce)').matches")
    assert animated(page) == [False] * len(CHARTS)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll("section[aria-labelledby=network-heading] .table-responsive")]
            .map((box) => box.scrollWidth - box.clientWidth)"""
    )
    assert overflow == [0, 0], "the network tables scroll sideways on a 360 px phone"

    page.emulate_media(reduced_motion="no-preference")
    visitor.go("/panel/")
    assert animated(page) == [True] * len(CHARTS)
