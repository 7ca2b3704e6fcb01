"""Reading a scrape of /metrics in the tests: the samples by name and labels."""

from prometheus_client.parser import text_string_to_metric_families

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}  # Prometheus on the same host, straight to gunicorn


def samples(text):
    """{(sample name, frozenset of its labels): value} of a scrape's text."""
    if isinstance(text, bytes):
        text = text.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped, name, **labels):
    """One sample's value, 0 when the scrape has none (a count not started yet)."""
    return scraped.get((name, frozenset(labels.items())), 0)


def scrape(client, **extra):
    response = client.get("/metrics", **{**LOOPBACK, **extra})
    assert response.status_code == 200, response.content[:200]
    return samples(response.content)
