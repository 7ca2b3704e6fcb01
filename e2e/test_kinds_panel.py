"""The kinds' figures and the hazard events in a browser: on a 360 px phone the coordinator's panel
shows Lima's training and flood, marks Lima on the map with a triangle apart from the activity
dots, lists the flood in the map's table, and its figures tables fit the screen; "Mi ciudad"
shows the same to Lima's ambassador. axe audits every page."""

from django.utils import timezone

from ambassadors.models import City
from commitments.models import Action
from hazards.models import HazardEvent
from kinds.tests.factories import TrainingFactory

from .browsing import wait_until

FLOOD = "Desborde del río Rímac"


def _lima_has_a_training_and_a_flood():
    lima = City.objects.get(name="Lima")
    ambassador = Action.objects.filter(city=lima).first().ambassador.user
    day = timezone.localdate().replace(day=1)
    TrainingFactory(
        by=ambassador,
        action={"started_on": day, "people_reached": 40, "women_reached": 25, "indigenous_reached": 6},
        sessions=[(day, 3)],
        public_servants=30,
    )
    HazardEvent.objects.create(
        city=lima, hazard="flood", title=FLOOD, started_on=day, people_affected=1200, recorded_by=ambassador
    )
    return lima


def _sideways(page, section):
    return page.evaluate(
        """(id) => [...document.querySelectorAll(`section[aria-labelledby=${id}] .table-responsive`)]
            .map((box) => box.scrollWidth - box.clientWidth)""",
        section,
    )


def test_the_panel_marks_the_flood_on_the_map_and_its_figures_fit_a_phone(open_browser):
    lima = _lima_has_a_training_and_a_flood()
    coordinator = open_browser("coord.sur", device="phone")
    page = coordinator.go("/panel/?period=year")
    wait_until(page, "() => Chart.getChart(document.getElementById('city-map'))")
    markers = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById('city-map'));
            const hazards = chart.data.datasets[1];
            return {style: hazards.pointStyle, places: hazards.data.map((point) => point.marker.name)};
        }"""
    )
    assert markers == {"style": "triangle", "places": ["Lima"]}
    assert page.locator("section[aria-labelledby=kinds-heading]").get_by_text("Formaciones realizadas").is_visible()
    assert page.locator(".legend-hazard").is_visible()
    assert _sideways(page, "kinds-heading") == [0] * len(_sideways(page, "kinds-heading"))
    assert _sideways(page, "hazards-heading") == [0]
    map_section = page.locator("section[aria-labelledby=map-heading]")
    map_section.get_by_text("Ver como tabla").click()
    assert map_section.get_by_text(FLOOD).is_visible()

    ambassador = open_browser("emb.lima", device="phone")
    mine = ambassador.go(f"/ciudades/{lima.pk}/progreso/")
    assert mine.locator("section[aria-labelledby=hazards-heading]").get_by_text(FLOOD).is_visible()
    assert mine.locator("section[aria-labelledby=kinds-heading]").get_by_text("Personas indígenas").first.is_visible()
    assert _sideways(mine, "kinds-heading") == [0] * len(_sideways(mine, "kinds-heading"))
