"""The demo as `make run` loads it: refused without DEBUG, idempotent, and every demo account
signs in and sees its demo scope."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ambassadors.demo import DEMO_PASSWORD
from ambassadors.models import Ambassador, City, Coordinator
from ambassadors.tests.second_factor import code_for

DEMO_ACCOUNTS = [
    "admin",
    "coord.norte",
    "coord.sur",
    "emb.cdmx",
    "emb.monterrey",
    "emb.bogota",
    "emb.medellin",
    "emb.lima",
    "emb.valparaiso",
    "emb.rosario",
    "emb.sanjose",
]


@pytest.mark.django_db
def test_load_demo_refuses_to_run_outside_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", skip_reports=True)
    assert not Ambassador.objects.exists()


@pytest.mark.django_db
def test_load_demo_creates_eight_cities_in_six_countries_with_one_ambassador_each(settings):
    settings.DEBUG = True
    call_command("load_demo", skip_reports=True)
    call_command("load_demo", skip_reports=True)  # idempotent
    current = Ambassador.objects.current().select_related("city")
    assert sorted(a.city.name for a in current) == sorted(
        ["Ciudad de México", "Monterrey", "Bogotá", "Medellín", "Lima", "Valparaíso", "Rosario", "San José"]
    )
    assert len({a.city.country_id for a in current}) == 6
    # And Medellín's predecessor, who handed the post over (terms.demo).
    assert Ambassador.objects.count() == 9
    scopes = {c.user.username: sorted(c.countries.values_list("code", flat=True)) for c in Coordinator.objects.all()}
    assert scopes == {"coord.norte": ["CR", "MX"], "coord.sur": ["AR", "CL", "CO", "PE"]}


class TestOnTheDemo:
    def test_every_demo_account_logs_in_with_the_demo_password(self, demo_for_reading, client):
        for username in DEMO_ACCOUNTS:
            response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 302, username
            if username == "admin" or username.startswith("coord."):
                # They have the second factor, with the demo's documented TOTP secret.
                assert response.url == reverse("login_code"), username
                response = client.post(reverse("login_code"), {"code": code_for(username)})
            assert response.url == reverse("ambassadors:landing"), username
            client.post(reverse("logout"))

    def test_the_demo_coordinators_see_exactly_their_demo_cities(self, demo_for_reading):
        from django.contrib.auth import get_user_model

        coord_norte = get_user_model().objects.get(username="coord.norte")
        network = City.objects.visible_to(coord_norte).filter(ambassadors__isnull=False)
        assert sorted(network.values_list("name", flat=True)) == ["Ciudad de México", "Monterrey", "San José"]
