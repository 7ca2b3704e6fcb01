"""Practices on the panel, in the city reports and on "Mi ciudad": what a scope's cities published
and replicated in a period, old reports that never counted them, and the city's own lists."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments import services as commitment_services
from practices.models import Practice
from practices.tests.factories import PracticeFactory, ReplicationActionFactory, ReplicationFactory
from reports.content import build_snapshot, present
from reports.outputs import figure_rows, render_html, render_outputs
from reports.periods import Period
from reports.tests.factories import ProgressReportFactory, ReportedActionFactory

LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LOCAL)
OCTOBER = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def at(*moment):
    return time_machine.travel(datetime.datetime(*moment, tzinfo=LOCAL), tick=False)


def publish(by, *moment, title="Escuela de Gobernanza Emocional", status=Practice.Status.PUBLISHED):
    """A practice of `by`'s city, from an approved action of March, reviewed at that moment."""
    with at(*moment):
        source = ReportedActionFactory(by=by)
        return PracticeFactory(by=by, actions=[source], status=status, title=title)


def replicate(by, practice, *moment, done_on=None):
    """`by`'s city replicates `practice` from that moment; with `done_on` (a moment), the action
    that completes it is approved then."""
    with at(*moment):
        replication = ReplicationFactory(practice=practice, by=by)
        link = ReplicationActionFactory(replication=replication, completes=True) if done_on else None
    if done_on:
        with at(*done_on):
            action = commitment_services.action_submit(action=link.action, by=by)
            commitment_services.action_approve(action=action, by=UserFactory(is_staff=True, is_superuser=True))
    return replication


def route(name):
    """The URL of a page the practices app may not have yet (practices:list, practices:create)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.fixture
def october_work(ambassador, other_ambassador):
    """Lima (Peru) publishes on October's last evening and just after midnight; a draft and a
    returned practice of October never count. Rosario (Argentina) publishes in October and
    replicates Lima's; Lima replicates Rosario's and completes it in October."""
    lima_early = publish(ambassador, 2026, 9, 2, 9, 0, title="Presupuesto participativo")
    publish(ambassador, 2026, 10, 31, 23, 30, title="El último día")
    publish(ambassador, 2026, 11, 1, 0, 30, title="El día después")
    publish(ambassador, 2026, 10, 10, 9, 0, title="Borrador", status=Practice.Status.DRAFT)
    publish(ambassador, 2026, 10, 11, 9, 0, title="Devuelta", status=Practice.Status.RETURNED)
    rosario_practice = publish(other_ambassador, 2026, 10, 15, 9, 0, title="Huertos urbanos")
    replicate(other_ambassador, lima_early, 2026, 10, 12, 9, 0)
    replicate(ambassador, rosario_practice, 2026, 10, 20, 9, 0, done_on=(2026, 10, 25, 9, 0))


def panel_practices(client, start, end):
    response = client.get(reverse("reports:overview"), {"period": "custom", "start": start, "end": end})
    assert response.status_code == 200
    return response.context["figures"]["practices"], response.content.decode()


@pytest.mark.django_db
def test_the_panel_counts_the_practices_and_replications_of_the_scopes_cities_in_the_period(
    client_for, october_work, coordinator, admin
):
    carla, page = panel_practices(client_for(coordinator), "2026-10-01", "2026-10-31")
    # Peru only: Lima's practice of the last day, Lima's replication started and done.
    assert carla == {"published": 1, "replications_started": 1, "replications_done": 1}
    for label in ("Prácticas publicadas", "Réplicas iniciadas", "Réplicas realizadas"):
        assert label in page
    everyone, _page = panel_practices(client_for(admin), "2026-10-01", "2026-10-31")
    assert everyone == {"published": 2, "replications_started": 2, "replications_done": 1}
    november, _page = panel_practices(client_for(coordinator), "2026-11-01", "2026-11-30")
    assert november == {"published": 1, "replications_started": 0, "replications_done": 0}


@pytest.mark.django_db
def test_the_panel_reads_the_same_number_of_queries_with_more_practices(
    client_for, ambassador, other_ambassador, admin, django_assert_max_num_queries
):
    publish(ambassador, 2026, 10, 2, 9, 0)
    client = client_for(admin)
    with django_assert_max_num_queries(27) as few:
        panel_practices(client, "2026-01-01", "2026-12-31")
    for n in range(3):
        practice = publish(other_ambassador, 2026, 10, 3 + n, 9, 0, title=f"Práctica {n}")
        user = UserFactory(username=f"amb-{n}")
        ambassador_services.ambassador_appoint(
            city=CityFactory(name=f"Ciudad {n}"), user=user, appointed_on=datetime.date(2025, 1, 1)
        )
        replicate(user, practice, 2026, 10, 10, 9, 0, done_on=(2026, 10, 20, 9, 0))
    with django_assert_max_num_queries(27) as many:
        figures, _page = panel_practices(client, "2026-01-01", "2026-12-31")
    assert len(few.captured_queries) == len(many.captured_queries)
    assert figures == {"published": 4, "replications_started": 3, "replications_done": 3}


@pytest.fixture
def lima_october(ambassador, other_ambassador, lima):
    """Lima publishes in September and October (and once in November, after the report's month);
    it replicates two of Rosario's practices, one completed only in November."""
    publish(ambassador, 2026, 9, 1, 9, 0, title="Presupuesto participativo")
    publish(ambassador, 2026, 10, 10, 9, 0, title="Escuela de Gobernanza Emocional")
    publish(ambassador, 2026, 11, 2, 9, 0, title="Publicada en noviembre")
    huertos = publish(other_ambassador, 2026, 9, 5, 9, 0, title="Huertos urbanos")
    mercados = publish(other_ambassador, 2026, 9, 6, 9, 0, title="Mercados limpios")
    replicate(ambassador, huertos, 2026, 10, 12, 9, 0, done_on=(2026, 11, 3, 9, 0))
    replicate(ambassador, mercados, 2026, 10, 13, 9, 0)
    return build_snapshot(city=lima, kind="month", period=OCTOBER)


@pytest.mark.django_db
def test_a_city_report_counts_its_practices_and_lists_them_as_they_stood_at_the_periods_end(lima_october):
    practices = json.loads(json.dumps(lima_october))["practices"]  # plain JSON, stored as it is
    assert (practices["published"], practices["replications_started"], practices["replications_done"]) == (1, 2, 0)
    assert [(entry["title"], entry["published_on"]) for entry in practices["own"]] == [
        ("Presupuesto participativo", "2026-09-01"),
        ("Escuela de Gobernanza Emocional", "2026-10-10"),
    ]
    assert [(entry["title"], entry["city"], entry["state"]) for entry in practices["replicating"]] == [
        ("Huertos urbanos", "Rosario", "in_progress"),  # completed in November: in progress on 31 October
        ("Mercados limpios", "Rosario", "planned"),
    ]
    report = present(lima_october, "es")
    html = render_html(report)
    assert "Buenas prácticas" in html and "Huertos urbanos" in html and "En curso" in html and "Planificada" in html
    assert "Publicada en noviembre" not in html
    assert "La ciudad publicó 1 buena práctica. Empezó a replicar 2 prácticas de otras ciudades." in report["narrative"]
    rows = {row[2]: row[3] for row in figure_rows(report) if row[0] == "Buenas prácticas"}
    assert rows == {"Prácticas publicadas": 1, "Réplicas iniciadas": 2, "Réplicas realizadas": 0}
    english = present(lima_october, "en")
    assert "Huertos urbanos" in render_html(english)


@pytest.mark.django_db
def test_a_report_stored_before_practices_were_counted_still_reads_and_writes_its_files(
    client_for, lima_october, ambassador, lima
):
    old = {key: value for key, value in lima_october.items() if key != "practices"}
    old["version"] = 1
    report = present(old, "es")
    assert report["practices"] is None
    assert "Buenas prácticas" not in render_html(report)
    assert "práctica" not in report["narrative"]
    assert all(row[0] != "Buenas prácticas" for row in figure_rows(report))
    files, failures = render_outputs(snapshot=old, language="es", name="lima-antiguo", with_pdf=False)
    assert failures == {} and set(files) == {"html_file", "xlsx_file", "csv_file"}
    stored = ProgressReportFactory(
        city=lima, period_start=OCTOBER.start, period_end=OCTOBER.end, status="ready", snapshot=old, generated_at=TODAY
    )
    page = client_for(ambassador).get(reverse("reports:report", args=[stored.pk]))
    assert page.status_code == 200
    assert "Lima registró" in page.content.decode() and "Buenas prácticas" not in page.content.decode()


@pytest.fixture
def lima_practices(ambassador, other_ambassador):
    """Lima's practices in three statuses, and two of Rosario's it replicates (one done)."""
    draft = publish(ambassador, 2026, 11, 20, 9, 0, title="Borrador de Lima", status=Practice.Status.DRAFT)
    returned = publish(ambassador, 2026, 11, 19, 9, 0, title="Devuelta a Lima", status=Practice.Status.RETURNED)
    published = publish(ambassador, 2026, 10, 10, 9, 0, title="Escuela de Gobernanza Emocional")
    huertos = publish(other_ambassador, 2026, 9, 5, 9, 0, title="Huertos urbanos")
    mercados = publish(other_ambassador, 2026, 9, 6, 9, 0, title="Mercados limpios")
    replicate(ambassador, huertos, 2026, 10, 12, 9, 0, done_on=(2026, 11, 3, 9, 0))
    replicate(ambassador, mercados, 2026, 10, 13, 9, 0)
    replicate(other_ambassador, published, 2026, 10, 20, 9, 0)
    return {"draft": draft, "returned": returned, "published": published, "huertos": huertos, "mercados": mercados}


def section(page, heading_id):
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.django_db
def test_mi_ciudad_shows_the_citys_practices_in_every_status_and_the_ones_it_replicates(
    client_for, ambassador, coordinator, lima, lima_practices
):
    for user in (ambassador, coordinator):
        page = client_for(user).get(reverse("reports:city_progress", args=[lima.pk])).content.decode()
        practices = section(page, "practices-heading")
        for key, badge in (
            ("draft", "Borrador"),
            ("returned", "Devuelta con comentarios"),
            ("published", "Publicada"),
        ):
            practice = lima_practices[key]
            assert f'href="{reverse("practices:practice", args=[practice.pk])}">{practice.title}</a>' in practices
            assert badge in practices
        assert "replicada por 1 ciudad" in practices
        replicating = practices[practices.index('id="replications-heading"') :]
        assert "Huertos urbanos</a> · Rosario" in replicating and "Realizada" in replicating
        assert "Mercados limpios</a> · Rosario" in replicating and "Planificada" in replicating
        library = route("practices:list")
        assert (f'href="{library}"' in practices) if library else "Biblioteca de prácticas" not in practices


@pytest.mark.django_db
def test_only_the_citys_ambassador_is_offered_to_share_a_practice(client_for, ambassador, coordinator, lima):
    create = route("practices:create")
    for user, offered in ((ambassador, True), (coordinator, False)):
        page = client_for(user).get(reverse("reports:city_progress", args=[lima.pk])).content.decode()
        shown = "Compartir una práctica" in section(page, "practices-heading")
        assert shown == (offered and create is not None)
    page = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk])).content.decode()
    assert "La ciudad todavía no comparte prácticas." in page
    assert "La ciudad todavía no replica prácticas de otras ciudades." in page


@pytest.mark.django_db
def test_mi_ciudad_reads_the_same_number_of_queries_with_more_practices(
    client_for, ambassador, other_ambassador, coordinator, lima, django_assert_max_num_queries
):
    client = client_for(coordinator)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("reports:city_progress", args=[lima.pk]))
    for n in range(3):
        publish(ambassador, 2026, 10, 2 + n, 9, 0, title=f"Práctica {n}")
        publish(ambassador, 2026, 10, 2 + n, 9, 0, title=f"Borrador {n}", status=Practice.Status.DRAFT)
        replicate(
            ambassador, publish(other_ambassador, 2026, 10, 5, 9, 0), 2026, 10, 6 + n, 9, 0, done_on=(2026, 10, 9, 9, 0)
        )
    with django_assert_max_num_queries(25) as many:
        response = client.get(reverse("reports:city_progress", args=[lima.pk]))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert (len(response.context["practices"]), len(response.context["replications"])) == (6, 3)
