"""The practice library and a practice's page: who reads what, what the page shows and lets each
person do, the files it shares, the filters and orders, and the queries each page costs."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from ambassadors.tests.factories import AmbassadorFactory, CityFactory, UserFactory
from commitments import services as action_services
from commitments.models import Action, Commitment, FocusArea
from commitments.sample_files import pdf_bytes, png_bytes, upload
from commitments.tests.factories import ActionFactory, water_management
from conftest import session_queries
from practices import services
from practices.models import CommitmentFollow, Practice
from practices.tests.factories import (
    ExchangeFactory,
    PracticeFactory,
    ReplicationActionFactory,
    ReplicationFactory,
)

NOT_PUBLISHED = [Practice.Status.DRAFT, Practice.Status.SUBMITTED, Practice.Status.RETURNED]


def practice_url(practice):
    return reverse("practices:practice", args=[practice.pk])


def library(client, **query):
    return client.get(reverse("practices:list"), query)


def titles(response):
    return [practice.title for practice in response.context["page"].object_list]


@pytest.fixture
def reviewer(db):
    return UserFactory(is_staff=True, is_superuser=True)


def approved_action(by, reviewer, **fields):
    return ActionFactory(by=by, status=Action.Status.APPROVED, reviewer=reviewer, **fields)


# Who reads a practice ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", NOT_PUBLISHED)
def test_a_practice_not_yet_published_is_read_only_in_its_citys_scope(
    client_for, ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin, status
):
    practice = PracticeFactory(by=ambassador, status=status)
    for outsider in (other_ambassador, coordinator_elsewhere):
        assert client_for(outsider).get(practice_url(practice)).status_code == 404
    for insider in (ambassador, coordinator, admin):
        assert client_for(insider).get(practice_url(practice)).status_code == 200


@pytest.mark.django_db
def test_a_published_practice_is_read_by_every_member_of_the_network(
    client_for, ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin
):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    for member in (ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin):
        assert client_for(member).get(practice_url(practice)).status_code == 200
    assert client_for(UserFactory()).get(practice_url(practice)).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, ambassador):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    for response in (
        client.get(reverse("practices:list")),
        client.get(practice_url(practice)),
        client.post(reverse("practices:feature", args=[practice.pk]), {"featured": "1"}),
        client.post(reverse("practices:follow"), {"commitments": []}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_someone_outside_the_network_has_no_library(client_for):
    assert library(client_for(UserFactory())).status_code == 403


# Shared files -------------------------------------------------------------------------------


@pytest.fixture
def practice_with_files(ambassador, reviewer):
    """A published practice of Lima's whose action has a photo and a report; only the photo is shared."""
    action = ActionFactory(by=ambassador)
    for uploaded, title in (
        (upload("foto.png", png_bytes()), "Taller"),
        (upload("presupuesto.pdf", pdf_bytes()), "Presupuesto reservado"),
    ):
        action_services.evidence_add_file(action=action, by=ambassador, uploaded_file=uploaded, title=title)
    action_services.action_submit(action=action, by=ambassador)
    action_services.action_approve(action=action, by=reviewer)
    photo, report = action.evidence.order_by("pk")
    practice = PracticeFactory(by=ambassador, actions=[action], evidence=[photo], status=Practice.Status.PUBLISHED)
    return practice, photo, report


def evidence_url(practice, evidence):
    return reverse("practices:evidence", args=[practice.pk, evidence.pk])


@pytest.mark.django_db
def test_only_the_chosen_file_is_shared_outside_the_city(
    client_for, other_ambassador, coordinator_elsewhere, practice_with_files
):
    practice, photo, report = practice_with_files
    page = client_for(other_ambassador).get(practice_url(practice)).content.decode()
    assert evidence_url(practice, photo) in page
    assert f'height="160" src="{evidence_url(practice, photo)}" alt="Taller"' in page  # its thumbnail
    assert evidence_url(practice, report) not in page
    assert reverse("commitments:evidence_download", args=[report.pk]) not in page
    assert "Presupuesto reservado" not in page and "presupuesto.pdf" not in page
    for outsider in (other_ambassador, coordinator_elsewhere):
        assert client_for(outsider).get(evidence_url(practice, report)).status_code == 404


@pytest.mark.django_db
def test_a_chosen_file_downloads_for_another_citys_ambassador_and_is_never_rendered(
    client_for, other_ambassador, practice_with_files
):
    practice, photo, _report = practice_with_files
    response = client_for(other_ambassador).get(evidence_url(practice, photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="foto.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_a_file_not_shared_is_not_served_even_inside_the_city(client_for, ambassador, practice_with_files):
    practice, _photo, report = practice_with_files
    assert client_for(ambassador).get(evidence_url(practice, report)).status_code == 404


@pytest.mark.django_db
def test_the_files_of_a_draft_are_404_outside_its_city(client_for, ambassador, other_ambassador, practice_with_files):
    _practice, photo, _report = practice_with_files
    draft = PracticeFactory(by=ambassador, actions=[photo.action], evidence=[photo])
    assert client_for(other_ambassador).get(evidence_url(draft, photo)).status_code == 404
    assert client_for(ambassador).get(evidence_url(draft, photo)).status_code == 200


# What the page shows --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_practice_its_results_summed_per_indicator_and_its_summaries(
    client_for, ambassador, other_ambassador, reviewer
):
    commitment = water_management()
    indicator = commitment.indicators.filter(kind="number", aggregation="cumulative").first()
    actions = [
        approved_action(ambassador, reviewer, title=f"Taller {n}", indicator_values={indicator.pk: Decimal(value)})
        for n, value in enumerate(("1200.5", "300"))
    ]
    practice = PracticeFactory(
        by=ambassador,
        actions=actions,
        status=Practice.Status.PUBLISHED,
        summary_pt_br="Uma escola de governança emocional.",
        cost=Decimal("1234567.5"),
        cost_currency="PEN",
        partners="Universidad de Lima\nColegio de Psicólogos",
        goals=[16, 3],
    )
    response = client_for(other_ambassador).get(practice_url(practice))
    page = response.content.decode()
    for text in (
        "Una escuela municipal de gobernanza emocional",  # the reader's language: Spanish
        "Resumen en Portugués (Brasil)",
        '<p class="mb-0" lang="pt-br">Uma escola de governança emocional.</p>',
        "El trato a la ciudadanía en ventanilla generaba quejas.",
        "Las quejas bajaron un 30 % en un año.",
        "1\xa0234\xa0567,50 PEN",
        "<li>Universidad de Lima</li><li>Colegio de Psicólogos</li>",
        "ODS 3: Salud y bienestar",
        "ODS 16: Paz, justicia e instituciones sólidas",
        "Taller 0",
        "Taller 1",
    ):
        assert text in page
    [result] = response.context["results"]
    assert (result.pk, result.total) == (indicator.pk, Decimal("1500.5"))
    assert f'<td class="text-end">1\xa0500,50</td><td>{indicator.unit}</td>' in page
    # Another city's ambassador reads the titles of the actions, but may not open them.
    assert reverse("commitments:action", args=[actions[0].pk]) not in page


@pytest.mark.django_db
def test_the_citys_own_people_open_the_actions_a_practice_comes_from(client_for, ambassador, coordinator):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    action = practice.actions.get()
    for insider in (ambassador, coordinator):
        assert (
            reverse("commitments:action", args=[action.pk])
            in client_for(insider).get(practice_url(practice)).content.decode()
        )


@pytest.mark.django_db
def test_the_contact_shows_only_with_the_authors_consent(client_for, ambassador, other_ambassador):
    ambassador.email = "alicia@lima.example"
    ambassador.last_name = "Quispe"
    ambassador.save()
    with_consent = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED, contact_consent=True)
    without = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED, contact_consent=False)
    client = client_for(other_ambassador)
    assert (
        'Alicia Quispe · <a href="mailto:alicia@lima.example">'
        in client.get(practice_url(with_consent)).content.decode()
    )
    page = client.get(practice_url(without)).content.decode()
    assert "alicia@lima.example" not in page and "Contacto" not in page


@pytest.mark.django_db
def test_the_review_history_and_its_comments_are_for_the_citys_scope_only(
    client_for, ambassador, other_ambassador, coordinator
):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.SUBMITTED)
    services.practice_approve(practice=practice, by=coordinator, comment="Muy clara, gracias.")
    for insider in (ambassador, coordinator):
        page = client_for(insider).get(practice_url(practice)).content.decode()
        assert "Historial de la revisión" in page and "Muy clara, gracias." in page
    page = client_for(other_ambassador).get(practice_url(practice)).content.decode()
    assert "Historial de la revisión" not in page and "Muy clara, gracias." not in page


@pytest.mark.django_db
def test_the_page_shows_where_it_spread_as_a_table_and_on_the_map(client_for, ambassador, other_ambassador, lima):
    lima.latitude, lima.longitude = Decimal("-12.04637"), Decimal("-77.04279")
    lima.save()
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    bogota = CityFactory(name="Bogotá", country__code="CO", latitude=Decimal("4.711"), longitude=Decimal("-74.0721"))
    in_progress = ReplicationFactory(practice=practice, by=AmbassadorFactory(city=bogota).user)
    ReplicationActionFactory(replication=in_progress)
    ReplicationFactory(practice=practice, by=other_ambassador)  # Rosario has no coordinates: table only
    exchange = ExchangeFactory(by=ambassador, title="Webinar andino", practices=[practice])
    response = client_for(other_ambassador).get(practice_url(practice))
    page = response.content.decode()
    assert [(r.city.name, r.state) for r in response.context["practice"].replications.all()] == [
        ("Bogotá", "in_progress"),
        ("Rosario", "planned"),
    ]
    country = '<td class="d-none d-sm-table-cell">'  # the country column folds away on a phone
    assert f'<th scope="row" class="fw-normal">Bogotá</th>{country}Colombia</td><td>En curso</td>' in page
    assert f'<th scope="row" class="fw-normal">Rosario</th>{country}Argentina</td><td>Planificada</td>' in page
    data = json.loads(page.split('<script id="practice-map-data" type="application/json">')[1].split("</script>")[0])
    assert data["countries"] == ["032", "170", "604"]
    assert [(city["name"], city["role"], city["state"]) for city in data["cities"]] == [
        ("Lima", "origin", ""),
        ("Bogotá", "replication", "En curso"),
    ]
    assert 'role="img"' in page and "js/practice_map.js" in page
    assert exchange.title in page


@pytest.mark.django_db
def test_a_practice_without_coordinates_draws_no_map(client_for, ambassador, other_ambassador):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    page = client_for(other_ambassador).get(practice_url(practice)).content.decode()
    assert "practice-map" not in page and "Todavía ninguna ciudad registró que la replica." in page


# What each person may do on the page ----------------------------------------------------------


@pytest.mark.django_db
def test_the_ambassador_edits_and_sends_a_draft_that_nobody_else_may_change(client_for, ambassador, coordinator):
    practice = PracticeFactory(by=ambassador)
    assert client_for(ambassador).get(practice_url(practice)).context["can_edit"]
    page = client_for(coordinator).get(practice_url(practice))
    assert not page.context["can_edit"] and "Enviar a revisión" not in page.content.decode()


@pytest.mark.django_db
def test_a_coordinator_of_the_country_reviews_a_submitted_practice(
    client_for, ambassador, coordinator, coordinator_elsewhere
):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.SUBMITTED)
    page = client_for(coordinator).get(practice_url(practice)).content.decode()
    for text in ('name="comment"', 'name="decision" value="approve"', "Aprobar y publicar", 'value="return"'):
        assert text in page
    assert "Aprobar y publicar" not in client_for(ambassador).get(practice_url(practice)).content.decode()


@pytest.mark.django_db
def test_another_city_replicates_a_published_practice_and_then_finds_its_replication(
    client_for, ambassador, other_ambassador
):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    assert "Replicar esta práctica" not in client_for(ambassador).get(practice_url(practice)).content.decode()
    client = client_for(other_ambassador)
    page = client.get(practice_url(practice)).content.decode()
    assert "Cómo la adaptarán (opcional)" in page and 'name="notes"' in page
    replication = ReplicationFactory(practice=practice, by=other_ambassador)
    response = client.get(practice_url(practice))
    assert response.context["own_replication"] == replication
    assert "Ver la réplica de su ciudad" in response.content.decode()
    assert "Cómo la adaptarán (opcional)" not in response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_of_the_country_features_a_published_practice(client_for, ambassador, coordinator):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    client = client_for(coordinator)
    assert "Destacar en la biblioteca" in client.get(practice_url(practice)).content.decode()
    response = client.post(reverse("practices:feature", args=[practice.pk]), {"featured": "1"}, follow=True)
    assert response.redirect_chain == [(practice_url(practice), 302)]
    practice.refresh_from_db()
    assert practice.featured
    assert "La práctica aparece destacada en la biblioteca." in response.content.decode()
    assert "Dejar de destacar" in response.content.decode()
    client.post(reverse("practices:feature", args=[practice.pk]), {"featured": "0"})
    practice.refresh_from_db()
    assert not practice.featured


@pytest.mark.django_db
def test_only_the_countrys_coordinators_feature_and_only_by_post(
    client_for, ambassador, other_ambassador, coordinator, coordinator_elsewhere
):
    published = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    draft = PracticeFactory(by=ambassador)
    url = reverse("practices:feature", args=[published.pk])
    for outsider in (other_ambassador, coordinator_elsewhere, ambassador):
        assert client_for(outsider).post(url, {"featured": "1"}).status_code == 403
    assert (
        "Destacar en la biblioteca"
        not in client_for(coordinator_elsewhere).get(practice_url(published)).content.decode()
    )
    assert (
        client_for(other_ambassador).post(reverse("practices:feature", args=[draft.pk]), {"featured": "1"}).status_code
        == 404
    )
    assert client_for(coordinator).get(url).status_code == 405
    published.refresh_from_db()
    assert not published.featured


# The library ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_library_lists_only_published_practices_and_says_what_waits_for_each_person(
    client_for, ambassador, other_ambassador, coordinator
):
    PracticeFactory(by=ambassador, title="Publicada de Lima", status=Practice.Status.PUBLISHED)
    PracticeFactory(by=ambassador, title="Borrador de Lima")
    PracticeFactory(by=ambassador, title="Enviada de Lima", status=Practice.Status.SUBMITTED)
    PracticeFactory(by=other_ambassador, title="Borrador de Rosario")

    response = library(client_for(ambassador))
    page = response.content.decode()
    assert titles(response) == ["Publicada de Lima"]
    assert "Prácticas de su ciudad en preparación" in page
    assert {p.title for p in response.context["in_preparation"]} == {"Borrador de Lima", "Enviada de Lima"}
    assert "Borrador de Rosario" not in page and "Esperan su revisión" not in page

    response = library(client_for(coordinator))
    assert [p.title for p in response.context["awaiting_review"]] == ["Enviada de Lima"]
    assert "Espera su revisión (1)" in response.content.decode()
    assert "Borrador de Lima" not in response.content.decode()

    response = library(client_for(other_ambassador))
    assert titles(response) == ["Publicada de Lima"]
    assert "Enviada de Lima" not in response.content.decode() and "Borrador de Lima" not in response.content.decode()


@pytest.mark.django_db
def test_a_card_shows_city_country_commitments_summary_sdgs_replications_and_the_featured_badge(
    client_for, ambassador, other_ambassador, coordinator
):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED, goals=[5])
    services.practice_feature(practice=practice, by=coordinator, featured=True)
    ReplicationFactory(practice=practice, by=other_ambassador)
    page = library(client_for(other_ambassador)).content.decode()
    commitment = f'<span class="commitment-code" title="{water_management().title}">3.1</span>'
    for text in ("Lima, Perú", commitment, "1 ciudad la replica", "ODS 5", "Destacada", "gobernanza emocional"):
        assert text in page


@pytest.mark.django_db
def test_only_an_ambassador_in_office_is_offered_to_publish(client_for, ambassador, coordinator):
    assert library(client_for(ambassador)).context["can_publish"]
    assert not library(client_for(coordinator)).context["can_publish"]
    assert "Publicar una práctica" not in library(client_for(coordinator)).content.decode()


@pytest.mark.django_db
def test_an_empty_result_says_so_and_keeps_the_query_and_the_filters(client_for, ambassador):
    PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)
    response = library(client_for(ambassador), q="teleférico", sdg="14")
    page = response.content.decode()
    assert titles(response) == []
    assert "Ninguna práctica publicada coincide con «teleférico» y los filtros elegidos." in page
    assert 'value="teleférico"' in page
    assert '<option value="14" selected>' in page


def _practice_in(city, reviewer, **fields):
    by = AmbassadorFactory(city=city).user
    return PracticeFactory(by=by, status=Practice.Status.PUBLISHED, reviewer=reviewer, **fields)


@pytest.mark.django_db
def test_the_filters_find_the_practices_of_an_axis_commitment_focus_area_country_sdg_and_city_size(
    client_for, ambassador, reviewer
):
    water = water_management()
    other = Commitment.objects.with_axis().get(axis__number=1, number=1)
    area = FocusArea.objects.filter(commitment=water).first()
    big = CityFactory(name="Grande", country__code="MX", population=9_000_000)
    medium = CityFactory(name="Mediana", country__code="PE", population=1_000_000)
    small = CityFactory(name="Pequeña", country__code="PE", population=499_999)
    unknown = CityFactory(name="Sin dato", country__code="PE", population=None)
    water_practice = _practice_in(big, reviewer, title="Agua", goals=[6], focus_areas=[area])
    _practice_in(medium, reviewer, title="Lazos", commitments=[other], goals=[17])
    _practice_in(small, reviewer, title="Pequeña", commitments=[other])
    _practice_in(unknown, reviewer, title="Sin población", commitments=[other])
    client = client_for(ambassador)

    def found(**query):
        return set(titles(library(client, **query)))

    assert found(axis=water.axis_id) == {"Agua"}
    assert found(axis=other.axis_id) == {"Lazos", "Pequeña", "Sin población"}
    assert found(commitment=water.pk) == {"Agua"}
    assert found(focus_area=area.pk) == {"Agua"}
    assert found(country="MX") == {"Agua"}
    assert found(country="PE") == {"Lazos", "Pequeña", "Sin población"}
    assert found(sdg="17") == {"Lazos"}
    assert found(size="mas-5millones") == {"Agua"}
    assert found(size="1-5millones") == {"Lazos"}
    assert found(size="500mil-1millon") == set()
    assert found(size="menos-500mil") == {"Pequeña"}
    assert found(size="1-5millones", sdg="6") == set()
    assert [p.pk for p in library(client, sdg="6").context["page"].object_list] == [water_practice.pk]


def _published_on(practice, day):
    Practice.objects.filter(pk=practice.pk).update(published_at=datetime.datetime(2026, 1, day, tzinfo=datetime.UTC))


@pytest.mark.django_db
def test_the_newest_come_first_with_the_featured_before_them_and_by_replications_on_request(
    client_for, ambassador, other_ambassador, coordinator
):
    older, featured, newest = (
        PracticeFactory(by=ambassador, title=title, status=Practice.Status.PUBLISHED)
        for title in ("Antigua", "Destacada", "Nueva")
    )
    for day, practice in enumerate((older, featured, newest), start=1):
        _published_on(practice, day)
    services.practice_feature(practice=featured, by=coordinator, featured=True)
    for _n in range(2):
        ReplicationFactory(practice=older)
    ReplicationFactory(practice=featured, by=other_ambassador)
    client = client_for(ambassador)
    assert titles(library(client)) == ["Destacada", "Nueva", "Antigua"]
    assert titles(library(client, orden="recientes")) == ["Destacada", "Nueva", "Antigua"]
    by_replications = library(client, orden="replicas").context["page"].object_list
    assert [(p.title, p.replication_count) for p in by_replications] == [("Antigua", 2), ("Destacada", 1), ("Nueva", 0)]


# Following commitments ------------------------------------------------------------------------


@pytest.mark.django_db
def test_following_commitments_saves_them_and_the_library_shows_them_ticked(client_for, ambassador):
    water = water_management()
    ties = Commitment.objects.get(axis__number=1, number=1)
    client = client_for(ambassador)
    response = client.post(reverse("practices:follow"), {"commitments": [water.pk, ties.pk]}, follow=True)
    assert response.redirect_chain == [(reverse("practices:list"), 302)]
    assert set(CommitmentFollow.objects.filter(user=ambassador).values_list("commitment_id", flat=True)) == {
        water.pk,
        ties.pk,
    }
    page = response.content.decode()
    assert f'value="{water.pk}" id="follow-{water.pk}" checked' in page
    assert "resumen semanal" in page
    client.post(reverse("practices:follow"), {"commitments": [ties.pk]})
    assert list(CommitmentFollow.objects.filter(user=ambassador).values_list("commitment_id", flat=True)) == [ties.pk]
    assert client.get(reverse("practices:follow")).status_code == 405


# Queries ----------------------------------------------------------------------------------------

LIST_QUERIES = 15 + session_queries()
PAGE_QUERIES = 15 + session_queries()


def _published_practices(count, reviewer):
    """`count` published practices of new cities, each with two SDGs, two approved actions and
    a replication whose city linked an action to it."""
    for n in range(count):
        by = AmbassadorFactory().user
        actions = [approved_action(by, reviewer) for _ in range(2)]
        practice = PracticeFactory(
            by=by, reviewer=reviewer, actions=actions, status=Practice.Status.PUBLISHED, goals=[n % 17 + 1, 11]
        )
        ReplicationActionFactory(replication=ReplicationFactory(practice=practice))


@pytest.mark.django_db
def test_the_library_runs_the_same_queries_for_1_or_10_practices(
    client_for, other_ambassador, reviewer, django_assert_max_num_queries
):
    client = client_for(other_ambassador)
    _published_practices(1, reviewer)
    with django_assert_max_num_queries(LIST_QUERIES) as few:
        assert len(titles(library(client, q="gobernanza"))) == 1
    _published_practices(9, reviewer)
    with django_assert_max_num_queries(LIST_QUERIES) as many:
        assert len(titles(library(client, q="gobernanza"))) == 10
    assert len(few.captured_queries) == len(many.captured_queries)


def _rich_practice(ambassador, reviewer, size):
    """A published practice of Lima's with `size` actions (each with an indicator value and a
    shared link), SDGs, replications and exchanges."""
    indicator = water_management().indicators.filter(kind="number").first()
    actions = [
        approved_action(ambassador, reviewer, indicator_values={indicator.pk: Decimal(n + 1)}) for n in range(size)
    ]
    practice = PracticeFactory(
        by=ambassador, reviewer=reviewer, actions=actions, status=Practice.Status.PUBLISHED, goals=range(1, size + 1)
    )
    for _n in range(size):
        ReplicationActionFactory(replication=ReplicationFactory(practice=practice))
        ExchangeFactory(by=ambassador, practices=[practice])
    return practice


@pytest.mark.django_db
def test_a_practices_page_runs_the_same_queries_for_1_or_10_of_everything(
    client_for, ambassador, other_ambassador, reviewer, django_assert_max_num_queries
):
    small = _rich_practice(ambassador, reviewer, 1)
    large = _rich_practice(ambassador, reviewer, 10)
    client = client_for(other_ambassador)
    with django_assert_max_num_queries(PAGE_QUERIES) as few:
        assert client.get(practice_url(small)).status_code == 200
    with django_assert_max_num_queries(PAGE_QUERIES) as many:
        response = client.get(practice_url(large))
    assert len(response.context["practice"].replications.all()) == 10
    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.django_db
def test_a_practices_page_for_its_own_city_runs_a_fixed_number_of_queries(
    client_for, ambassador, reviewer, django_assert_max_num_queries
):
    small = _rich_practice(ambassador, reviewer, 1)
    large = _rich_practice(ambassador, reviewer, 10)
    client = client_for(ambassador)
    with django_assert_max_num_queries(PAGE_QUERIES) as few:
        client.get(practice_url(small))
    with django_assert_max_num_queries(PAGE_QUERIES) as many:
        client.get(practice_url(large))
    assert len(few.captured_queries) == len(many.captured_queries)
