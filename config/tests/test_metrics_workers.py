"""/metrics under a real gunicorn with several workers: the counts of every worker, recycled ones
included, in every scrape (prometheus_client's multiprocess mode, set up by gunicorn.conf.py)."""

import http.client

import pytest

from config.tests.servers import gunicorn, request, shared_database_url
from health.tests.scrape import samples, value

OUTSIDE = "203.0.113.7"


@pytest.mark.django_db(transaction=True)
def test_gunicorn_workers_recycled_after_two_requests_still_add_up_to_every_request(tmp_path):
    """Two sync workers, each replaced after two requests: the six requests are answered by several
    processes, most of them gone by the scrape, and every scrape still counts all six."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"left by an earlier run")  # emptied at start
    environment = {"GUNICORN_WORKERS": "2", "GUNICORN_MAX_REQUESTS": "2", "GUNICORN_MAX_REQUESTS_JITTER": "0"}
    with gunicorn(shared_database_url(tmp_path), PROMETHEUS_MULTIPROC_DIR=str(folder), **environment) as [port]:
        before = samples(request(port, "GET", "/metrics").body)
        assert all(request(port, "GET", "/healthz").status_code == 200 for _ in range(6))
        scraped = [samples(request(port, "GET", "/metrics").body) for _ in range(3)]
        refused_through_proxy = _get(port, "/metrics", {"X-Forwarded-For": OUTSIDE})
    healthz = {"method": "GET", "view": "healthz", "status": "200"}
    counted = {
        value(s, "omcs_http_requests_total", **healthz) - value(before, "omcs_http_requests_total", **healthz)
        for s in scraped
    }
    assert counted == {6}, counted  # every scrape, whichever worker answered it
    pids = {path.stem.rsplit("_", 1)[1] for path in folder.glob("counter_*.db")}
    assert len(pids) >= 4 and "999999" not in pids  # 11 requests: at least 5 workers answered
    assert refused_through_proxy == (403, False)


def _get(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, b"omcs_" in response.read()
    finally:
        connection.close()
