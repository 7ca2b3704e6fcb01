"""The public pages: anyone reads a published city's approved work, nothing else; the content is
cached per city and language until something it shows changes."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ambassadors.tests.factories import AmbassadorFactory, CityFactory
from commitments import services as commitment_services
from commitments.tests.factories import ActionFactory, TargetFactory
from funding.tests.factories import DisbursementFactory
from practices.tests.factories import PracticeFactory
from public import cache, services
from public.tests.factories import PublicPageFactory

LIMA = "/publico/lima-pe/"


@pytest.fixture
def lima_page(lima):
    return PublicPageFactory(city=lima)


def _approved(by, reviewer, n, **fields):
    return [
        ActionFactory(by=by, status="approved", reviewer=reviewer, title=f"Aprobada {i}", **fields) for i in range(n)
    ]


def _queries(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(queries)


def _fresh_cache(monkeypatch):
    monkeypatch.setattr(cache, "SALT", uuid.uuid4().hex[:8])


def test_a_city_whose_page_is_not_published_is_not_found(client, lima, ambassador):
    assert client.get(LIMA).status_code == 404
    PublicPageFactory(city=lima, status="pending")
    assert client.get(LIMA).status_code == 404
    assert client.get("/publico/no-such-city/").status_code == 404


def test_only_approved_actions_show_and_no_person(client, lima_page, ambassador, coordinator):
    ActionFactory(by=ambassador, status="approved", reviewer=coordinator, title="Huertos urbanos en Comas")
    ActionFactory(by=ambassador, title="Borrador secreto")
    ActionFactory(by=ambassador, status="submitted", title="Enviada sin revisar")
    ActionFactory(by=ambassador, status="returned", reviewer=coordinator, title="Devuelta con comentarios")
    response = client.get(LIMA)
    text = response.content.decode()
    assert "Huertos urbanos en Comas" in text
    for hidden in ("Borrador secreto", "Enviada sin revisar", "Devuelta con comentarios"):
        assert hidden not in text
    for person in (ambassador, coordinator):
        assert person.username not in text
        assert person.email not in text
    assert "Alicia" not in text and "Carla" not in text


def test_an_approval_shows_on_the_cached_page_at_once(
    client, lima_page, ambassador, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _approved(ambassador, coordinator, 1)
        waiting = ActionFactory(by=ambassador, status="submitted", title="Mercado de productores")
    assert "Mercado de productores" not in client.get(LIMA).content.decode()
    assert "Mercado de productores" not in client.get(LIMA).content.decode()  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        commitment_services.action_approve(action=waiting, by=coordinator)
    assert "Mercado de productores" in client.get(LIMA).content.decode()


def test_a_target_a_practice_or_money_written_shows_at_once(
    client, lima_page, ambassador, coordinator, lima, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [source] = _approved(ambassador, coordinator, 1)
    client.get(LIMA)
    with django_capture_on_commit_callbacks(execute=True):
        TargetFactory(city=lima, indicator__name_es="Árboles plantados en la ciudad")
    assert "Árboles plantados en la ciudad" in client.get(LIMA).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PracticeFactory(
            by=ambassador, actions=[source], title="Escuela de escucha", status="published", reviewer=coordinator
        )
    assert "Escuela de escucha" in client.get(LIMA).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        DisbursementFactory(opportunity__by=ambassador, opportunity__amount_awarded=250000, amount=50000)
    text = client.get(LIMA).content.decode()
    assert re.search(r"50[\s\u00a0.,]?000", text), "the disbursement shows"


def test_the_second_anonymous_request_reads_the_cache(
    client, lima_page, ambassador, coordinator, django_assert_max_num_queries
):
    _approved(ambassador, coordinator, 3)
    first = _queries(client, LIMA)
    with django_assert_max_num_queries(1):  # the page's address; the content comes from the cache
        client.get(LIMA)
    network_first = _queries(client, reverse("public:network"))
    with django_assert_max_num_queries(0):
        client.get(reverse("public:network"))
    assert first >= 10 and network_first >= 5  # what the cache spares


def test_a_citys_page_costs_the_same_queries_with_more_actions(
    client, lima_page, ambassador, coordinator, lima, monkeypatch
):
    rosario = CityFactory(name="Cusco", country=lima.country)
    _approved(ambassador, coordinator, 2, cities_involved=[rosario])
    TargetFactory(city=lima)
    few = _queries(client, LIMA)
    _approved(ambassador, coordinator, 30, cities_involved=[CityFactory(country=lima.country)])
    TargetFactory(city=lima)
    _fresh_cache(monkeypatch)
    many = _queries(client, LIMA)
    second_page = _queries(client, LIMA + "?page=2")
    assert few == many == second_page, (few, many, second_page)


def test_the_network_page_costs_the_same_queries_with_more_cities(
    client, lima_page, ambassador, coordinator, monkeypatch
):
    _approved(ambassador, coordinator, 2)
    few = _queries(client, reverse("public:network"))
    for _ in range(4):
        appointment = AmbassadorFactory()
        PublicPageFactory(city=appointment.city)
        _approved(appointment.user, coordinator, 2)
    _fresh_cache(monkeypatch)
    many = _queries(client, reverse("public:network"))
    assert few == many


def test_the_network_page_lists_public_cities_only_with_their_totals(
    client, lima_page, ambassador, coordinator, other_ambassador
):
    _approved(ambassador, coordinator, 2, people_reached=40, women_reached=25)
    ActionFactory(by=other_ambassador, status="approved", title="De Rosario, no pública")
    text = client.get(reverse("public:network")).content.decode()
    assert 'href="/publico/lima-pe/"' in text
    assert "Rosario" not in text
    assert "80" in text  # people reached over the public cities


def test_a_logged_in_readers_menu_never_reaches_an_anonymous_reader(client, lima_page, ambassador, coordinator):
    _approved(ambassador, coordinator, 1)
    client.force_login(ambassador)
    mine = client.get(LIMA)
    assert "Cerrar sesión" in mine.content.decode()
    assert "private" in mine["Cache-Control"]
    client.logout()
    anonymous = client.get(LIMA)
    text = anonymous.content.decode()
    assert "Cerrar sesión" not in text and "alicia" not in text.lower()
    # The browser's alone: the page holds a CSRF token and sets its cookie, no proxy may share it.
    assert "private" in anonymous["Cache-Control"] and "max-age=300" in anonymous["Cache-Control"]
    assert "public" not in anonymous["Cache-Control"]
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in anonymous["Vary"].split(",")}


def test_a_public_address_not_found_says_how_long_a_browser_may_keep_that(client, lima_page):
    for address in ("/publico/nadie-xx/", LIMA + "?page=999"):
        response = client.get(address)
        assert response.status_code == 404
        assert "private" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_a_page_has_its_sharing_tags_and_canonical_address(client, lima_page, settings):
    settings.SITE_URL = "https://omcs.example.org"
    text = client.get(LIMA + "?page=1").content.decode()
    assert '<link rel="canonical" href="https://omcs.example.org/publico/lima-pe/">' in text
    assert '<meta property="og:url" content="https://omcs.example.org/publico/lima-pe/">' in text
    assert '<meta property="og:type" content="website">' in text
    assert 'property="og:title" content="Lima: avances públicos"' in text
    assert '<meta name="description"' in text and 'property="og:description"' in text


@pytest.mark.parametrize(
    ("language", "heading", "network"),
    [
        ("es", "Acciones aprobadas", "Avances públicos de las ciudades"),
        ("en", "Approved actions", None),
        ("pt-br", "Ações aprovadas", None),
    ],
)
def test_each_language_gets_its_own_page(client, lima_page, ambassador, coordinator, language, heading, network):
    _approved(ambassador, coordinator, 1)
    client.get(LIMA, HTTP_ACCEPT_LANGUAGE="es")  # cached in Spanish first
    response = client.get(LIMA, HTTP_ACCEPT_LANGUAGE=language)
    assert f'lang="{language}"' in response.content.decode()
    assert heading in response.content.decode()


def test_a_page_number_out_of_reach_is_refused_and_a_bad_one_is_the_first(client, lima_page):
    assert client.get(LIMA + "?page=100000").status_code == 404
    assert client.get(LIMA + "?page=abc").status_code == 200


def test_the_ambassador_asks_and_a_coordinator_of_the_country_approves_on_the_site(
    client, ambassador, coordinator, coordinator_elsewhere, lima
):
    client.force_login(ambassador)
    assert "Solicitar la página pública" in client.get(reverse("public:request")).content.decode()
    response = client.post(reverse("public:request"), follow=True)
    assert "Solicitud enviada" in response.content.decode()
    assert "espera la decisión" in response.content.decode()
    page = lima.public_page
    client.force_login(coordinator_elsewhere)
    assert "Lima" not in client.get(reverse("public:requests")).content.decode()
    assert client.post(reverse("public:decide", args=[page.pk]), {"decision": "approve"}).status_code == 404
    client.force_login(coordinator)
    assert "Lima" in client.get(reverse("public:requests")).content.decode()
    response = client.post(reverse("public:decide", args=[page.pk]), {"decision": "decline"}, follow=True)
    assert "el comentario es obligatorio" in response.content.decode()
    response = client.post(reverse("public:decide", args=[page.pk]), {"decision": "approve"}, follow=True)
    assert "Página de Lima publicada" in response.content.decode()
    client.logout()
    assert client.get(LIMA).status_code == 200


def test_the_footer_leads_everyone_to_the_public_pages(client, db):
    assert 'href="/publico/"' in client.get(reverse("home")).content.decode()
    assert 'href="/publico/"' in client.get(reverse("login")).content.decode()


def test_the_demo_dates_do_not_matter_for_the_chart(client, lima_page, ambassador, coordinator):
    _approved(ambassador, coordinator, 1, started_on=datetime.date.today() - datetime.timedelta(days=400))
    assert client.get(LIMA).status_code == 200


def test_a_page_switched_off_leaves_the_cached_network_page_at_once(
    client, lima_page, admin, django_capture_on_commit_callbacks
):
    assert 'href="/publico/lima-pe/"' in client.get(reverse("public:network")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.page_admin_save(city=lima_page.city, slug=lima_page.slug, published=False, by=admin, page=lima_page)
    assert 'href="/publico/lima-pe/"' not in client.get(reverse("public:network")).content.decode()
    assert client.get(LIMA).status_code == 404


@pytest.mark.parametrize("raw", ["%C2%B2", "%E2%91%A0", "9" * 5000, "0" * 5000 + "1"])
def test_a_page_number_of_other_digits_or_of_thousands_of_them_is_no_server_error(client, lima_page, raw):
    # "²" and "①" pass str.isdigit() but not int(); Python refuses int() of more than 4300 digits.
    assert client.get(f"{LIMA}?page={raw}").status_code in (200, 404)


def test_a_page_number_past_the_last_page_is_not_found_and_not_cached_as_a_copy(
    client, lima_page, ambassador, coordinator
):
    _approved(ambassador, coordinator, 2)
    assert client.get(LIMA + "?page=1").status_code == 200
    for number in (2, 999):
        # Otherwise each number up to MAX_PAGE is the last page again, cached on its own, with a
        # canonical address of its own.
        assert client.get(f"{LIMA}?page={number}").status_code == 404
        assert client.get(f"{LIMA}?page={number}").status_code == 404  # from the cache


def test_a_decline_comment_with_a_control_character_is_refused_at_its_form(client, ambassador, coordinator, lima):
    page = services.page_request(city=lima, by=ambassador)
    client.force_login(coordinator)
    decision = {"decision": "decline", "comment": "Faltan\x0b metas."}
    client.post(reverse("public:decide", args=[page.pk]), decision, follow=True)
    page.refresh_from_db()
    assert (page.status, page.comment) == ("pending", "")


def test_asking_again_for_a_waiting_page_is_told_so_not_refused(client, ambassador, lima):
    client.force_login(ambassador)
    client.post(reverse("public:request"))
    response = client.post(reverse("public:request"), follow=True)
    assert response.status_code == 200
    assert "ya es pública o espera una decisión" in response.content.decode()
