"""The terms pages: what they show, and a query count that does not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from ambassadors.models import Ambassador
from ambassadors.tests.factories import AmbassadorFactory, CityFactory, UserFactory
from commitments.tests.factories import ActionFactory
from terms import services

from .conftest import TODAY, set_term

pytestmark = pytest.mark.django_db


def _more_terms(peru, coordinator, count):
    """`count` cities of Peru with a term ending soon, and as many handed over, each leaving a draft."""
    for n in range(count):
        set_term(AmbassadorFactory(city=CityFactory(country=peru)), 10 + n)
        outgoing = AmbassadorFactory(city=CityFactory(country=peru))
        ActionFactory(by=outgoing.user)
        services.successor_appoint(outgoing=outgoing, user=UserFactory(), by=coordinator)


def test_the_terms_page_reads_the_same_queries_for_more_rows(
    client_for, coordinator, peru, alicia_term, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    _more_terms(peru, coordinator, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("terms:terms")).status_code == 200
    _more_terms(peru, coordinator, 4)
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("terms:terms")).content.decode()
    assert page.count("sin terminar") == 5


def test_the_left_behind_page_reads_the_same_queries_for_more_rows(
    client_for, coordinator, peru, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    _more_terms(peru, coordinator, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("terms:left_behind"))
    _more_terms(peru, coordinator, 4)
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("terms:left_behind")).content.decode()
    assert page.count("Continuarla") == 5


def test_the_term_page_shows_the_term_and_both_forms(client_for, coordinator, alicia_term):
    page = client_for(coordinator).get(reverse("terms:term", args=[alicia_term.pk])).content.decode()
    assert "Renovar el periodo" in page and "Nombrar a un sucesor" in page
    assert (TODAY + datetime.timedelta(days=50)).isoformat() in page


def test_a_handed_over_term_shows_its_successor_and_offers_no_second_handover(
    client_for, coordinator, alicia_term, newcomer
):
    services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    client = client_for(coordinator)
    page = client.get(reverse("terms:term", args=[alicia_term.pk])).content.decode()
    assert "Nora Paz" in page and "Nombrar a un sucesor" not in page and "Renovar el periodo" not in page
    listed = client.get(reverse("terms:terms")).content.decode()
    assert "sucede Nora Paz" in listed and "Nora Paz sucede a Alicia" in listed


def test_a_term_far_from_its_end_is_not_listed(client_for, coordinator, alicia_term):
    Ambassador.objects.filter(pk=alicia_term.pk).update(term_ends_on=TODAY + datetime.timedelta(days=91))
    assert "Lima" not in client_for(coordinator).get(reverse("terms:terms")).content.decode()
