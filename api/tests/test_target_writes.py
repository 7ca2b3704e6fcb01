"""Targets through the API: the target page's form and commitments.services.target_save."""

import pytest

from commitments.models import Indicator, Target

pytestmark = pytest.mark.django_db


def _body(city, **changes):
    return {
        "city": city.pk,
        "indicator": Indicator.objects.get(code="1.2-a").pk,
        "horizon": "long",
        "baseline": "0",
        "baseline_year": 2025,
        "target_value": "1000",
        "due_on": "2030-12-31",
        **changes,
    }


def test_an_ambassador_sets_a_target_of_the_city_with_its_progress(ambassador, lima, token_client):
    response = token_client(ambassador).post("/api/v1/targets/", _body(lima), format="json")

    assert response.status_code == 201, response.content
    target = Target.objects.get(pk=response.json()["id"])
    assert (target.city, target.horizon, target.updated_by) == (lima, "long", ambassador)
    assert response.json()["status"] in {"on_track", "at_risk", "achieved", "off_track"}
    assert target.history.get().history_user == ambassador


def test_a_patch_adjusts_only_what_it_sends(ambassador, coordinator, lima, token_client):
    created = token_client(ambassador).post("/api/v1/targets/", _body(lima), format="json").json()

    response = token_client(coordinator).patch(
        f"/api/v1/targets/{created['id']}/", {"target_value": "1500"}, format="json"
    )

    assert response.status_code == 200, response.content
    target = Target.objects.get(pk=created["id"])
    assert (target.target_value, target.horizon, target.updated_by) == (1500, "long", coordinator)


def test_the_target_rules_answer_at_their_fields(ambassador, lima, token_client):
    api = token_client(ambassador, HTTP_ACCEPT_LANGUAGE="en")
    assert api.post("/api/v1/targets/", _body(lima), format="json").status_code == 201

    duplicate = api.post("/api/v1/targets/", _body(lima), format="json")
    backwards = api.post("/api/v1/targets/", _body(lima, horizon="medium", target_value="0"), format="json")

    assert duplicate.status_code == 400 and duplicate.json()
    assert backwards.status_code == 400
    assert "target_value" in backwards.json()
    assert Target.objects.count() == 1


def test_another_citys_ambassador_cannot_set_nor_adjust_limas_targets(ambassador, other_ambassador, lima, token_client):
    created = token_client(ambassador).post("/api/v1/targets/", _body(lima), format="json").json()
    api = token_client(other_ambassador)

    assert api.post("/api/v1/targets/", _body(lima, horizon="short"), format="json").status_code == 400
    assert api.patch(f"/api/v1/targets/{created['id']}/", {"target_value": "1"}, format="json").status_code == 404
    assert Target.objects.get().target_value == 1000
