"""The submission bench's floor (bench/urls.py, issue 27): a login-protected ModelForm of Action
that renders with its CSRF token and, on POST, saves one action of the user's city and
redirects. The bench counts a submission only on that redirect."""

import re

import pytest
from django.test import Client

from bench.submission_clients import FLOOR_LOCATION
from commitments.models import Action, Commitment


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"


@pytest.fixture
def commitment(db):
    return Commitment.objects.active().first()


@pytest.mark.django_db
def test_the_floor_saves_one_action_of_the_city_and_redirects(bench_urls, client_for, ambassador, lima, commitment):
    client = client_for(ambassador)
    url = f"/bench/floor/{commitment.pk}/"
    page = client.get(url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'name="title"' in page
    data = {"title": "Piso", "started_on": "2026-10-05", "description": "x", "people_reached": "3"}
    response = client.post(url, data)
    action = Action.objects.get()
    assert response.status_code == 302 and FLOOR_LOCATION.fullmatch(response["Location"])
    assert re.search(rf"saved={action.pk}$", response["Location"])
    assert (action.city, action.commitment, action.ambassador.user) == (lima, commitment, ambassador)
    assert action.history.count() == 1


@pytest.mark.django_db
def test_the_floor_needs_a_login_and_a_valid_form(bench_urls, client_for, ambassador, commitment):
    url = f"/bench/floor/{commitment.pk}/"
    assert Client().get(url).status_code == 302  # to the login page
    response = client_for(ambassador).post(url, {"title": ""})
    assert response.status_code == 200 and not Action.objects.exists()
