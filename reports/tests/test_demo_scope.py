import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ambassadors.models import City
from reports.models import ProgressReport

SOUTH = {"Bogotá", "Medellín", "Lima", "Valparaíso", "Rosario"}


@pytest.mark.django_db
def test_coord_sur_sees_the_southern_cities_and_nothing_of_mexico_or_costa_rica(client, settings):
    settings.DEBUG = True
    call_command("load_demo")
    client.force_login(get_user_model().objects.get(username="coord.sur"))
    year = {"period": "year"}

    table = client.get(reverse("reports:cities"), year).context["table"]
    assert {row.city.name for row in table["rows"]} == SOUTH
    overview = client.get(reverse("reports:overview"), year).context
    assert set(overview["map"]["cities"]["name"]) == SOUTH
    assert overview["figures"]["network_cities"] == 5
    queue = client.get(reverse("commitments:review_queue")).context["page"].object_list
    assert {action.city.name for action in queue} == SOUTH  # one submitted demo action per city
    csv_export = client.get(reverse("reports:cities"), {**year, "format": "csv"}).content.decode("utf-8-sig")
    assert "Monterrey" not in csv_export and "San José" not in csv_export
    for city in City.objects.filter(country__in=["MX", "CR"], ambassadors__isnull=False):
        assert client.get(reverse("reports:city_progress", args=[city.pk])).status_code == 404
        assert city.actions.exists()
    # The demo queued last month's and last quarter's report of every city (run eagerly here).
    demo_cities = set(City.objects.filter(ambassadors__isnull=False).values_list("name", flat=True))
    ready = ProgressReport.objects.filter(status=ProgressReport.Status.READY)
    for kind in ("month", "quarter"):
        assert set(ready.filter(kind=kind, scope="city").values_list("city__name", flat=True)) == demo_cities
        # And the report of every coordinated country, and the network's.
        countries = ready.filter(kind=kind, scope="country").values_list("country", flat=True)
        assert set(countries) == {"AR", "CL", "CO", "CR", "MX", "PE"}
        assert ready.filter(kind=kind, scope="network").count() == 1
    listed = client.get(reverse("reports:reports")).context["page"].object_list
    assert {report.city.name for report in listed if report.scope == "city"} == SOUTH
    # Coord.sur reads the reports of her countries, not Mexico's, Costa Rica's or the network's.
    assert {report.country_id for report in listed if report.scope != "city"} == {"AR", "CL", "CO", "PE"}
