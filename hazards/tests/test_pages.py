"""The hazard log's pages: who sees a city's events and who records and corrects them, the list
(newest first, filtered, paginated, its queries flat with more events) and an event's page with
its figures and the actions that answer it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import AmbassadorFactory, CityFactory, UserFactory
from commitments.models import ExchangeRate
from conftest import session_queries
from hazards.models import HazardEvent, HazardResponse
from hazards.tests.factories import HazardEventFactory, HazardResponseFactory
from hazards.views import EVENTS_PER_PAGE

pytestmark = pytest.mark.django_db


def titles(response):
    return [event.title for event in response.context["page"].object_list]


@pytest.fixture
def lima_events(ambassador):
    """Three events of Lima, recorded out of order: a flood, a heatwave and a landslide."""
    day = datetime.date
    return [
        HazardEventFactory(
            by=ambassador, title="Huaico en Chosica", hazard="landslide", started_on=day(2026, 3, 2), ended_on=None
        ),
        HazardEventFactory(
            by=ambassador, title="Desborde del Rímac", started_on=day(2026, 1, 20), ended_on=day(2026, 1, 23)
        ),
        HazardEventFactory(
            by=ambassador,
            title="Ola de calor de verano",
            hazard="heatwave",
            started_on=day(2026, 2, 8),
            ended_on=day(2026, 2, 15),
        ),
    ]


@pytest.fixture
def rosario_event(other_ambassador):
    return HazardEventFactory(by=other_ambassador, title="Bajante del Paraná", hazard="drought", currency="ARS")


# The list ----------------------------------------------------------------------------------


def test_anonymous_people_log_in_and_people_outside_the_network_are_refused(client, client_for):
    response = client.get(reverse("hazards:events"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client_for(UserFactory()).get(reverse("hazards:events")).status_code == 403


def test_the_navigation_links_the_event_log_for_network_members(client_for, ambassador, coordinator):
    for user in (ambassador, coordinator):
        page = client_for(user).get(reverse("practices:list")).content.decode()
        assert f'href="{reverse("hazards:events")}">Riesgos</a>' in page


def test_the_ambassador_sees_the_events_of_their_city_newest_first(client_for, ambassador, lima_events, rosario_event):
    response = client_for(ambassador).get(reverse("hazards:events"))
    assert response.status_code == 200
    assert titles(response) == ["Huaico en Chosica", "Ola de calor de verano", "Desborde del Rímac"]
    page = response.content.decode()
    assert "Registrar un evento" in page
    assert 'name="city"' not in page, "one city: no city filter"
    assert "1\xa0200 personas afectadas" in page and "desde el 02/03/2026" in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", {"Huaico en Chosica", "Ola de calor de verano", "Desborde del Rímac"}),
        ("coordinator_elsewhere", set()),
        ("other_ambassador", {"Bajante del Paraná"}),
        ("admin", {"Huaico en Chosica", "Ola de calor de verano", "Desborde del Rímac", "Bajante del Paraná"}),
    ],
)
def test_each_role_reads_the_events_of_its_scope(role, expected, request, client_for, lima_events, rosario_event):
    response = client_for(request.getfixturevalue(role)).get(reverse("hazards:events"))
    assert set(titles(response)) == expected
    assert ("Registrar un evento" in response.content.decode()) == (role == "other_ambassador")


def test_the_list_filters_by_city_and_hazard_and_ignores_a_city_out_of_scope(
    client_for, admin, coordinator, lima, rosario, lima_events, rosario_event
):
    client = client_for(admin)
    assert titles(client.get(reverse("hazards:events"), {"city": rosario.pk})) == ["Bajante del Paraná"]
    assert titles(client.get(reverse("hazards:events"), {"hazard": "heatwave"})) == ["Ola de calor de verano"]
    assert titles(client.get(reverse("hazards:events"), {"city": lima.pk, "hazard": "drought"})) == []
    # Carla coordinates Peru: Rosario is no choice of hers, so she sees her whole scope.
    response = client_for(coordinator).get(reverse("hazards:events"), {"city": rosario.pk})
    assert len(titles(response)) == 3 and "Bajante del Paraná" not in titles(response)
    assert "city" in response.context["form"].errors


def test_the_list_is_paginated(client_for, ambassador):
    for day in range(EVENTS_PER_PAGE + 5):
        HazardEventFactory(
            by=ambassador,
            title=f"Evento {day:02}",
            started_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
            ended_on=None,
        )
    client = client_for(ambassador)
    first = client.get(reverse("hazards:events"))
    assert len(titles(first)) == EVENTS_PER_PAGE and titles(first)[0] == f"Evento {EVENTS_PER_PAGE + 4:02}"
    second = client.get(reverse("hazards:events"), {"page": 2, "hazard": "flood"})
    assert titles(second) == [f"Evento {day:02}" for day in range(4, -1, -1)]
    assert "hazard=flood&amp;page=1" in second.content.decode()


def _count_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(reverse("hazards:events"))
    assert response.status_code == 200
    return len(captured)


def test_the_lists_queries_stay_flat_with_more_events_cities_and_responses(
    client_for, admin, ambassador, other_ambassador, lima_events, rosario_event, django_assert_max_num_queries
):
    client = client_for(admin)
    limit = 6 + session_queries()
    few = _count_queries(client, django_assert_max_num_queries, limit)
    for number in range(8):
        city_ambassador = AmbassadorFactory(city=CityFactory(name=f"Ciudad {number}")).user
        event = HazardEventFactory(by=city_ambassador, title=f"Inundación {number}")
        HazardResponseFactory(by=city_ambassador, events=[event])
    HazardResponseFactory(by=ambassador, events=lima_events[:2])
    many = _count_queries(client, django_assert_max_num_queries, limit)
    assert many == few
    response = client.get(reverse("hazards:events"))
    counts = {event.title: event.response_count for event in response.context["page"].object_list}
    assert counts["Inundación 3"] == 1 and counts["Huaico en Chosica"] == 1 and counts["Ola de calor de verano"] == 0


# An event's page -----------------------------------------------------------------------------


def test_an_events_page_shows_its_figures_with_the_loss_in_dollars(client_for, coordinator, ambassador):
    ExchangeRate.objects.create(currency="PEN", usd_per_unit=Decimal("0.27"), effective_on=datetime.date(2020, 1, 1))
    event = HazardEventFactory(
        by=ambassador, people_affected=15000, deaths=2, missing=None, economic_loss=Decimal("1000000"), currency="PEN"
    )
    response = client_for(coordinator).get(reverse("hazards:event", args=[event.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "15\xa0000" in page and "Sin dato" in page  # missing not known
    assert "1\xa0000\xa0000,00 PEN" in page and "270\xa0000,00 USD" in page
    assert "Corregir los datos" not in page, "a coordinator reads"


def test_an_events_page_lists_the_actions_that_answer_it_with_their_phase(client_for, ambassador, lima_events):
    flood = lima_events[1]
    HazardResponseFactory(by=ambassador, events=[flood], title="Limpieza de cauces", phase="recover")
    HazardResponseFactory(by=ambassador, events=[lima_events[0]], title="Muros de contención")
    response = client_for(ambassador).get(reverse("hazards:event", args=[flood.pk]))
    assert [r.action.title for r in response.context["responses"]] == ["Limpieza de cauces"]
    page = response.content.decode()
    assert "Recuperación" in page and "Muros de contención" not in page
    assert "Corregir los datos" in page and "Registrar una acción de respuesta (3.1)" in page


# Who reads, who writes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "detail", "edit"),
    [
        ("ambassador", 200, 200),
        ("other_ambassador", 404, 404),
        ("coordinator", 200, 403),
        ("coordinator_elsewhere", 404, 404),
        ("admin", 200, 403),
    ],
)
def test_who_reads_and_who_corrects_an_event_of_lima(role, detail, edit, request, client_for, lima_events):
    event = lima_events[1]
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("hazards:event", args=[event.pk])).status_code == detail
    assert client.get(reverse("hazards:event_edit", args=[event.pk])).status_code == edit
    response = client.post(
        reverse("hazards:event_edit", args=[event.pk]),
        {"hazard": "flood", "title": "Cambiado", "started_on": "2026-01-20"},
    )
    assert response.status_code == (302 if role == "ambassador" else edit)
    event.refresh_from_db()
    assert (event.title == "Cambiado") == (role == "ambassador")


@pytest.mark.parametrize("role", ["coordinator", "coordinator_elsewhere", "admin"])
def test_only_an_ambassador_in_office_records_events(role, request, client_for):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("hazards:event_create")).status_code == 403
    response = client.post(
        reverse("hazards:event_create"), {"hazard": "flood", "title": "X", "started_on": "2026-01-01"}
    )
    assert response.status_code == 403 and not HazardEvent.objects.exists()


def test_the_ambassador_records_an_event_of_their_city_with_its_audit_entry(client_for, ambassador, lima):
    response = client_for(ambassador).post(
        reverse("hazards:event_create"),
        {
            "hazard": "flood",
            "title": "Activación de quebradas",
            "started_on": "2026-02-03",
            "ended_on": "2026-02-05",
            "area": "Chosica y Lurigancho",
            "people_affected": "3400",
            "deaths": "1",
            "missing": "0",
            "economic_loss": "2500000",
            "currency": "PEN",
            "description": "Lluvias intensas en la cuenca alta.",
        },
    )
    event = HazardEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hazards:event", args=[event.pk])
    assert (event.city, event.recorded_by, event.people_affected, event.deaths, event.missing) == (
        lima,
        ambassador,
        3400,
        1,
        0,
    )
    assert (event.economic_loss, event.currency) == (Decimal("2500000"), "PEN")
    [entry] = event.history.all()
    assert entry.history_user == ambassador and entry.history_type == "+"


def test_a_correction_is_saved_with_who_made_it(client_for, ambassador, lima_events):
    event = lima_events[1]
    data = {f: getattr(event, f) or "" for f in HazardEvent.AUTHOR_FIELDS}
    response = client_for(ambassador).post(reverse("hazards:event_edit", args=[event.pk]), {**data, "deaths": "3"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.deaths == 3 and event.recorded_by == ambassador
    latest = event.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.deaths) == ("~", ambassador, 3)
    assert event.history.count() == 2


def test_a_successor_corrects_the_events_their_predecessor_recorded(client_for, ambassador, lima, lima_events):
    successor = UserFactory()
    ambassador_services.ambassador_appoint(city=lima, user=successor, appointed_on=datetime.date(2026, 6, 1))
    assert client_for(successor).get(reverse("hazards:event_edit", args=[lima_events[0].pk])).status_code == 200
    assert client_for(ambassador).get(reverse("hazards:event_edit", args=[lima_events[0].pk])).status_code == 404


def test_responses_are_of_the_events_city_only(ambassador, other_ambassador, rosario_event, lima_events):
    response = HazardResponseFactory(by=ambassador, events=[rosario_event, lima_events[0]])
    assert list(response.events.all()) == [lima_events[0]]
    assert HazardResponse.objects.filter(events=rosario_event).count() == 0
