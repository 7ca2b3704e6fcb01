"""Action writes through the API: the same forms' checks, the same services, the same rows and
history as the pages; errors in the caller's language."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import translation

from commitments.models import Action, ActionStatusChange, Evidence, IndicatorValue, Notification
from commitments.tests.factories import ActionFactory, ActionFormFactory, water_management

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _catalogue():
    commitment = water_management()
    return (
        commitment,
        commitment.focus_areas.filter(active=True).first(),
        commitment.indicators.filter(kind="number").first(),
    )


def _json(commitment, area, indicator, lima_neighbour):
    return {
        "commitment": commitment.pk,
        "title": "Cosecha de lluvia",
        "description": "Tanques en 12 escuelas.",
        "started_on": "2026-10-01",
        "ended_on": "2026-10-20",
        "people_reached": 300,
        "women_reached": 160,
        "partners": "Sedapal",
        "good_practice": True,
        "focus_areas": [area.pk],
        "cities_involved": [lima_neighbour.pk],
        "indicator_values": [{"indicator": indicator.pk, "value": "12.5"}],
        "links": [{"url": "https://example.org/tanques", "title": "Fotos"}],
    }


def _form(commitment, area, indicator, lima_neighbour):
    return ActionFormFactory(
        title="Cosecha de lluvia",
        description="Tanques en 12 escuelas.",
        started_on="2026-10-01",
        ended_on="2026-10-20",
        people_reached="300",
        women_reached="160",
        partners="Sedapal",
        good_practice="on",
        focus_areas=[area.pk],
        cities_involved=[lima_neighbour.pk],
        **{
            f"values-indicator_{indicator.pk}": "12.5",
            "links-TOTAL_FORMS": "1",
            "links-0-url": "https://example.org/tanques",
            "links-0-title": "Fotos",
            "submit": "",
        },
    )


def _rows(action):
    """Everything the action wrote, without ids and times: the row, its details, its steps, its
    audit entries."""
    action = Action.objects.get(pk=action.pk)
    return {
        "action": {
            name: getattr(action, name) for name in [*Action.AUTHOR_FIELDS, "status", "commitment_id", "city_id"]
        },
        "focus_areas": sorted(action.focus_areas.values_list("pk", flat=True)),
        "cities": sorted(action.cities_involved.values_list("pk", flat=True)),
        "values": list(action.indicator_values.values_list("indicator_id", "value")),
        "links": list(action.evidence.values_list("url", "title", "uploaded_by")),
        "steps": list(action.status_changes.values_list("from_status", "to_status", "by", "comment")),
        "history": [
            (entry.history_type, entry.history_user_id, entry.status, entry.title)
            for entry in Action.history.filter(id=action.pk).order_by("history_id")
        ],
        "value_history": list(
            IndicatorValue.history.filter(action_id=action.pk).values_list("history_type", "history_user", "value")
        ),
        "link_history": list(
            Evidence.history.filter(action_id=action.pk).values_list("history_type", "history_user", "url")
        ),
    }


def test_an_api_create_and_submit_writes_what_the_form_writes(ambassador, client_for, token_client, other_ambassador):
    commitment, area, indicator = _catalogue()
    neighbour = other_ambassador.ambassadorships.get().city
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]), _form(commitment, area, indicator, neighbour)
    )
    assert response.status_code == 302
    by_form = Action.objects.get()
    api = token_client(ambassador)

    created = api.post("/api/v1/actions/", _json(commitment, area, indicator, neighbour), format="json")
    assert created.status_code == 201, created.content
    submitted = api.post(f"/api/v1/actions/{created.json()['id']}/submit/")

    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    by_api = Action.objects.get(pk=created.json()["id"])
    assert _rows(by_api) == _rows(by_form)
    assert _rows(by_api)["steps"] == [("", "draft", ambassador.pk, ""), ("draft", "submitted", ambassador.pk, "")]


def test_a_patch_changes_only_what_it_sends(ambassador, token_client):
    action = ActionFactory(by=ambassador, links=[{"url": "https://example.org/a", "title": "A"}], people_reached=10)
    api = token_client(ambassador)

    response = api.patch(f"/api/v1/actions/{action.pk}/", {"title": "Nuevo título"}, format="json")

    assert response.status_code == 200, response.content
    action.refresh_from_db()
    assert (action.title, action.people_reached, action.description) == ("Nuevo título", 10, "Limpieza con 40 vecinos.")
    assert response.json()["links"] == [{"url": "https://example.org/a", "title": "A"}]
    assert action.focus_areas.count() == 1
    assert Action.history.filter(id=action.pk).count() == 2  # created, then the one change


def test_a_coordinator_approves_and_returns_with_the_review_rules(ambassador, coordinator, token_client):
    first, second = (ActionFactory(by=ambassador, status="submitted") for _ in range(2))
    api = token_client(coordinator)

    approved = api.post(f"/api/v1/actions/{first.pk}/approve/", {}, format="json")
    refused = api.post(f"/api/v1/actions/{second.pk}/return/", {"comment": "  "}, format="json")
    returned = api.post(f"/api/v1/actions/{second.pk}/return/", {"comment": "Falta el acta."}, format="json")

    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert refused.status_code == 400
    assert refused.json() == {"comment": ["Explique qué debe corregirse: el comentario es obligatorio."]}
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert ActionStatusChange.objects.filter(action=second, to_status="returned", comment="Falta el acta.").exists()
    assert Notification.objects.filter(recipient=ambassador).count() == 2
    again = api.post(f"/api/v1/actions/{first.pk}/approve/", {}, format="json")
    assert again.status_code == 400  # already decided: the service's own refusal


def test_an_ambassador_cannot_review_nor_a_coordinator_log(ambassador, coordinator, token_client):
    submitted = ActionFactory(by=ambassador, status="submitted")

    assert token_client(ambassador).post(f"/api/v1/actions/{submitted.pk}/approve/").status_code == 403
    logged = token_client(coordinator).post(
        "/api/v1/actions/", {"commitment": submitted.commitment_id, "title": "X"}, format="json"
    )
    assert logged.status_code == 403
    assert (
        token_client(coordinator).patch(f"/api/v1/actions/{submitted.pk}/", {"title": "X"}, format="json").status_code
        == 403
    )
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_submission_that_lacks_data_says_what_at_each_field(ambassador, token_client):
    action = ActionFactory(by=ambassador, incomplete=True)

    response = token_client(ambassador).post(f"/api/v1/actions/{action.pk}/submit/")

    assert response.status_code == 400
    assert set(response.json()) >= {"started_on", "description"}
    action.refresh_from_db()
    assert action.status == "draft"


@pytest.mark.parametrize(
    ("language", "negative", "dates"),
    [
        ("es", "No puede ser un número negativo.", "La fecha de fin no puede ser anterior a la de inicio."),
        ("en", "It cannot be a negative number.", "The end date cannot be earlier than the start date."),
        ("pt-BR", "Não pode ser um número negativo.", "A data de término não pode ser anterior à de início."),
    ],
)
def test_errors_come_as_json_at_each_field_in_the_callers_language(ambassador, token_client, language, negative, dates):
    commitment, _area, _indicator = _catalogue()
    api = token_client(ambassador, HTTP_ACCEPT_LANGUAGE=language)

    missing = api.post("/api/v1/actions/", {"commitment": commitment.pk, "people_reached": -3}, format="json")
    assert missing.status_code == 400
    with translation.override(language):
        required = str(forms.Field.default_error_messages["required"])  # what the pages say
    assert missing.json()["title"] == [required]
    assert missing.json()["people_reached"] == [negative]
    backwards = api.post(
        "/api/v1/actions/",
        {"commitment": commitment.pk, "title": "X", "started_on": "2026-10-02", "ended_on": "2026-10-01"},
        format="json",
    )
    assert backwards.status_code == 400
    assert list(backwards.json()) == ["ended_on"]
    assert backwards.json()["ended_on"] == [dates]
    assert not Action.objects.exists()


def test_an_unknown_indicator_or_a_bad_link_is_named(ambassador, token_client):
    commitment, _area, indicator = _catalogue()

    response = token_client(ambassador).post(
        "/api/v1/actions/",
        {
            "commitment": commitment.pk,
            "title": "X",
            "indicator_values": [{"indicator": 999999, "value": 1}, {"indicator": indicator.pk, "value": -1}],
            "links": [{"url": "no es un enlace", "title": "?"}],
        },
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors["indicator_values"]) == {"999999", str(indicator.pk)}
    assert "url" in errors["links"][0]
    assert not Action.objects.exists()


def test_values_in_the_api_are_decimals_as_the_form_saves_them(ambassador, token_client):
    commitment, _area, indicator = _catalogue()
    response = token_client(ambassador).post(
        "/api/v1/actions/",
        {"commitment": commitment.pk, "title": "X", "indicator_values": [{"indicator": indicator.pk, "value": 3.25}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert IndicatorValue.objects.get().value == Decimal("3.25")
