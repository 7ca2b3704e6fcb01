"""/metrics: who may read it, and what it counts (requests, latency, database time). Across the
workers of a real gunicorn: config/tests/test_metrics_workers.py."""

import pytest
from django.conf import settings as project_settings
from django.urls import reverse

from health.tests.scrape import LOOPBACK, scrape, value

OUTSIDE = "203.0.113.7"  # TEST-NET-3: a visitor on the internet
TOKEN = "a-metrics-token-for-the-tests-0123456789"


def refused(response):
    return response.status_code == 403 and b"omcs_" not in response.content and b"# HELP" not in response.content


@pytest.mark.django_db
def test_an_outside_address_is_refused_and_sees_no_metric(client, admin):
    assert refused(client.get("/metrics", REMOTE_ADDR=OUTSIDE))
    assert refused(client.post("/metrics", REMOTE_ADDR=OUTSIDE))
    client.force_login(admin)  # being an admin of the site opens nothing here
    assert refused(client.get("/metrics", REMOTE_ADDR=OUTSIDE))


@pytest.mark.parametrize(
    "proxy_header",
    [
        {"HTTP_X_FORWARDED_FOR": OUTSIDE},
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1"},  # whatever the proxy says, it came through it
        {"HTTP_X_REAL_IP": OUTSIDE},
        {"HTTP_X_FORWARDED_PROTO": "https"},  # a proxy set up only for BEHIND_TLS_PROXY
        {"HTTP_FORWARDED": f"for={OUTSIDE}"},
    ],
)
@pytest.mark.django_db
def test_a_visitor_through_the_same_hosts_proxy_is_refused_although_it_arrives_from_loopback(client, proxy_header):
    assert client.get("/metrics", **LOOPBACK).status_code == 200  # the control: loopback alone reads it
    assert refused(client.get("/metrics", **LOOPBACK, **proxy_header))


@pytest.mark.django_db
def test_allowed_addresses_and_networks_come_from_the_setting(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200  # the default: loopback, both families
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16", "192.0.2.10"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.10").status_code == 200
    assert refused(client.get("/metrics", REMOTE_ADDR="10.21.0.1"))
    assert refused(client.get("/metrics", REMOTE_ADDR="127.0.0.1"))  # no longer in the list
    settings.METRICS_ALLOWED_IPS = []  # the token only
    assert refused(client.get("/metrics", REMOTE_ADDR="::1"))


@pytest.mark.django_db
def test_the_bearer_token_opens_it_from_anywhere_and_a_wrong_one_does_not(client, settings):
    through_proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": OUTSIDE}
    assert refused(client.get("/metrics", **through_proxy, HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))  # no token set
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", **through_proxy, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200 and b"omcs_http_requests_total" in response.content
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=f"bearer {TOKEN}").status_code == 200
    for wrong in (f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", "Bearer ", f"Token {TOKEN}", TOKEN, f"Basic {TOKEN}"):
        assert refused(client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=wrong)), wrong


@pytest.mark.django_db
def test_it_is_never_cached_nor_redirected_to_https(client, settings):
    # Production's default, with the exemptions of config/settings.py (before the first request:
    # the test client reads the middleware's settings then).
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = project_settings.SECURE_REDIRECT_EXEMPT
    assert client.get("/", **LOOPBACK).status_code == 301  # the control: a page goes to HTTPS
    response = client.get("/metrics", **LOOPBACK)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=1.0.0; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert "no-store" in client.get("/metrics", REMOTE_ADDR=OUTSIDE)["Cache-Control"]


@pytest.mark.django_db
def test_a_session_waiting_for_its_second_factor_does_not_change_the_answer(client, admin):
    from ambassadors.tests.second_factor import unverified

    client.force_login(admin)
    unverified(client)
    assert client.get(reverse("ambassadors:cities"), **LOOPBACK).status_code == 302  # the control: the gate
    assert client.get("/metrics", **LOOPBACK).status_code == 200
    assert refused(client.get("/metrics", REMOTE_ADDR=OUTSIDE))


@pytest.mark.acceptance_pending
@pytest.mark.django_db
def test_an_ambassador_who_has_not_accepted_does_not_change_the_answer(client, ambassador):
    client.force_login(ambassador)
    assert client.get(reverse("ambassadors:cities"), **LOOPBACK).status_code == 302  # the control: the gate
    assert client.get("/metrics", **LOOPBACK).status_code == 200
    assert refused(client.get("/metrics", REMOTE_ADDR=OUTSIDE))


@pytest.mark.django_db
def test_requests_are_counted_by_view_method_and_status_with_their_latency_and_database_time(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    assert client.post("/healthz").status_code == 405
    after = scrape(client)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    healthz = {"method": "GET", "view": "healthz"}
    assert grew("omcs_http_requests_total", **healthz, status="200") == 3
    assert grew("omcs_http_requests_total", method="POST", view="healthz", status="405") == 1
    assert grew("omcs_http_requests_total", method="GET", view="<unmatched>", status="404") == 1
    assert grew("omcs_http_request_duration_seconds_count", **healthz) == 3
    assert grew("omcs_http_request_duration_seconds_sum", **healthz) > 0
    assert grew("omcs_http_request_duration_seconds_bucket", **healthz, le="+Inf") == 3
    # /healthz asks the database (SELECT 1, the heartbeat, the backlog): its time and queries count.
    assert grew("omcs_http_request_db_duration_seconds_count", **healthz) == 3
    assert grew("omcs_http_request_db_duration_seconds_sum", **healthz) > 0
    assert grew("omcs_db_queries_total", **healthz) >= 3 * 3
