"""What the API shows, and to whom: the scope of the pages, one city's ambassador nothing of another's."""

import datetime

import pytest
from django.urls import reverse

from ambassadors import services as ambassador_services
from commitments.tests.factories import ActionFactory
from conftest import session_queries

pytestmark = pytest.mark.django_db

RESOURCES = ["actions", "targets", "cities", "reports", "plans", "opportunities"]


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_an_action_shows_its_values_links_evidence_and_funds(lima_world, ambassador, token_client):
    draft = lima_world["draft"]

    row = token_client(ambassador).get(f"/api/v1/actions/{draft.pk}/").json()

    assert row["title"] == draft.title and row["status"] == "draft" and row["commitment_code"] == "3.1"
    assert [evidence["id"] for evidence in row["evidence"]] == [lima_world["evidence"].pk]
    assert row["evidence"][0]["download_url"].endswith(
        reverse("commitments:evidence_download", args=[lima_world["evidence"].pk])
    )
    assert [fund["id"] for fund in row["funds"]] == [lima_world["opportunity"].pk]
    valued = token_client(ambassador).get(f"/api/v1/actions/{lima_world['valued'].pk}/").json()
    assert [value["value"] for value in valued["indicator_values"]] == ["12.00"]
    assert valued["links"] == [{"url": "https://example.org/acta", "title": "Acta"}]


def test_the_evidence_link_downloads_through_the_scoped_view(lima_world, ambassador, other_ambassador, client_for):
    url = reverse("commitments:evidence_download", args=[lima_world["evidence"].pk])
    assert client_for(other_ambassador).get(url).status_code == 404
    assert client_for(ambassador).get(url).status_code == 200


def test_a_report_links_to_its_outputs(lima_world, coordinator, token_client):
    report = lima_world["report"]

    row = token_client(coordinator).get(f"/api/v1/reports/{report.pk}/").json()

    assert row["status"] == "ready"
    assert set(row["downloads"]) == {"pdf"}
    assert row["downloads"]["pdf"].endswith(reverse("reports:report_download", args=[report.pk, "pdf"]))


def test_a_countrys_report_is_read_by_its_coordinator_only(lima_world, coordinator, ambassador, token_client, peru):
    from reports.tests.factories import ScopeReportFactory

    report = ScopeReportFactory(country=peru)

    row = token_client(coordinator).get(f"/api/v1/reports/{report.pk}/").json()

    assert (row["scope"], row["country"], row["city"], row["city_name"]) == ("country", "PE", None, None)
    assert token_client(ambassador).get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_targets_come_with_their_progress(lima_world, ambassador, token_client):
    row = token_client(ambassador).get(f"/api/v1/targets/{lima_world['target'].pk}/").json()

    assert row["indicator_code"] == "1.2-a"
    assert row["status"] in {"achieved", "on_track", "at_risk", "off_track"}
    assert 0 <= row["progress_percent"] <= 100


def test_a_coordinator_reads_the_cities_of_the_scope(lima_world, coordinator, token_client, lima):
    client = token_client(coordinator)

    assert ids(client.get("/api/v1/cities/")) == {lima.pk}
    assert lima_world["submitted"].pk in ids(client.get("/api/v1/actions/"))


@pytest.mark.parametrize("resource", RESOURCES)
def test_another_citys_ambassador_reads_nothing_of_lima(lima_world, other_ambassador, token_client, resource, lima):
    client = token_client(other_ambassador)
    lima_ids = {
        "actions": lima_world["draft"].pk,
        "targets": lima_world["target"].pk,
        "cities": lima.pk,
        "reports": lima_world["report"].pk,
        "plans": lima_world["plan"].pk,
        "opportunities": lima_world["opportunity"].pk,
    }

    assert lima_ids[resource] not in ids(client.get(f"/api/v1/{resource}/"))
    assert lima_ids[resource] not in ids(client.get(f"/api/v1/{resource}/?city={lima.pk}"))
    assert client.get(f"/api/v1/{resource}/{lima_ids[resource]}/").status_code == 404


def test_another_citys_ambassador_cannot_write_limas_actions(lima_world, other_ambassador, token_client):
    client = token_client(other_ambassador)
    draft, submitted = lima_world["draft"], lima_world["submitted"]

    assert client.patch(f"/api/v1/actions/{draft.pk}/", {"title": "Mío"}, format="json").status_code == 404
    assert client.post(f"/api/v1/actions/{draft.pk}/submit/").status_code == 404
    assert client.post(f"/api/v1/actions/{submitted.pk}/approve/").status_code == 404
    assert client.post(f"/api/v1/actions/{submitted.pk}/return/", {"comment": "No"}, format="json").status_code == 404
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.title, draft.status, submitted.status) == ("Jornada de limpieza del río", "draft", "submitted")


def test_published_practices_are_read_across_the_network(lima_world, other_ambassador, token_client):
    assert lima_world["practice"].pk in ids(token_client(other_ambassador).get("/api/v1/practices/"))


def test_the_action_list_filters_by_status_commitment_and_dates(lima_world, ambassador, token_client):
    client = token_client(ambassador)
    draft, submitted = lima_world["draft"], lima_world["submitted"]

    assert submitted.pk in ids(client.get("/api/v1/actions/?status=submitted"))
    assert draft.pk not in ids(client.get("/api/v1/actions/?status=submitted"))
    assert draft.pk in ids(client.get(f"/api/v1/actions/?commitment={draft.commitment_id}&kind=general"))
    assert ids(client.get("/api/v1/actions/?started_after=2030-01-01")) == set()
    assert client.get("/api/v1/actions/?status=lost").status_code == 400


def test_the_action_list_pages_by_cursor(lima_world, ambassador, token_client):
    client = token_client(ambassador)

    first = client.get("/api/v1/actions/?page_size=2").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 2
    assert {row["id"] for row in first["results"]}.isdisjoint({row["id"] for row in second["results"]})


def test_the_action_list_costs_the_same_queries_however_many_rows(
    lima_world, ambassador, client_for, django_assert_max_num_queries, record_property
):
    client = client_for(ambassador)  # the session: what the browsable docs use
    # The session, the user, the roles with the acceptance of the commitments (the gate's one
    # query), the page of actions (scope, commitment, city and author joined in), then one query
    # per prefetch: focus areas, cities, values, evidence, opportunities.
    most = 8 + session_queries()
    with django_assert_max_num_queries(most) as few:
        assert len(client.get("/api/v1/actions/").json()["results"]) == 4
    for _ in range(20):
        ActionFactory(by=ambassador, links=[{"url": "https://example.org/x", "title": "x"}])
    with django_assert_max_num_queries(most) as many:
        assert len(client.get("/api/v1/actions/").json()["results"]) == 24
    assert len(many) == len(few)
    record_property("terminal_summary", f"API action list: {len(many)} queries for 4 or 24 rows")


def test_a_token_outlives_no_appointment(lima_world, ambassador, token_client):
    """The scope is the person's at each request: once the appointment ends, the same token reads
    nothing of the city and can no longer log actions (a token is no key of its own)."""
    client = token_client(ambassador)
    assert lima_world["draft"].pk in ids(client.get("/api/v1/actions/"))

    ambassador_services.ambassador_end(ambassador=ambassador.ambassadorships.get(), ended_on=datetime.date(2026, 11, 1))

    assert ids(client.get("/api/v1/actions/")) == set()
    assert client.get(f"/api/v1/actions/{lima_world['draft'].pk}/").status_code == 404
    created = client.post(
        "/api/v1/actions/", {"commitment": lima_world["draft"].commitment_id, "title": "X"}, format="json"
    )
    assert created.status_code == 403
