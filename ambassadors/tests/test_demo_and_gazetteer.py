import pytest
from django.core.management import CommandError, call_command

from ambassadors.models import City, Country


@pytest.mark.django_db
def test_the_gazetteer_loads_a_country_and_its_cities_and_a_reload_changes_nothing():
    call_command("load_gazetteer", country=["CR"])
    cities = City.objects.filter(country_id="CR")
    san_jose = cities.get(geoname_id=3621849)
    assert (san_jose.name, san_jose.time_zone) == ("San José", "America/Costa_Rica")
    assert san_jose.population > 300_000
    count = cities.count()
    assert count > 10

    san_jose.name = "San José de Costa Rica"
    san_jose.save()
    call_command("load_gazetteer", country=["CR"])
    assert cities.count() == count
    assert City.objects.get(geoname_id=3621849).name == "San José de Costa Rica"


@pytest.mark.django_db
def test_the_gazetteer_knows_every_latin_american_country_and_refuses_others():
    call_command("load_gazetteer", country=["BO"])
    assert Country.objects.get(code="BO").subregion == "south_america"
    with pytest.raises(CommandError, match="ES"):
        call_command("load_gazetteer", country=["ES"])
