"""Attacks on the good-practice library, as a hostile user. Each test asserts what SHOULD happen:
a failing test is a vulnerability or a bug (see the report); a passing one documents an attack
that is correctly refused.

Run: .venv/bin/pytest -n0 -q -p no:cacheprovider practices/tests/test_attack.py
(and with DATABASE_URL=postgres://postgres@127.0.0.1:5432/atk for the search and the races)."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from ambassadors import services as people
from ambassadors.models import Ambassador
from ambassadors.tests.factories import UserFactory
from commitments import services as action_services
from commitments.models import Action, Commitment, FocusArea
from commitments.sample_files import pdf_bytes, png_bytes, upload
from commitments.tests.factories import ActionFactory, EvidenceFactory
from core.models import OutgoingEmail
from core.tests.threads import at_once
from practices import services
from practices.models import CommitmentFollow, Exchange, Practice, Replication, ReplicationAction
from practices.tests.factories import PRACTICE_TEXT, ExchangeFactory, PracticeFactory, ReplicationFactory

NOT_PUBLISHED = [Practice.Status.DRAFT, Practice.Status.SUBMITTED, Practice.Status.RETURNED]
SECRET = "Plan reservado de Lima"
LIST = reverse("practices:list")
CREATE = reverse("practices:create")
FOLLOW = reverse("practices:follow")

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real races need PostgreSQL (DATABASE_URL=postgres://...)"
)


def url(name, *args):
    return reverse(name, args=args)


def page_of(practice):
    return url("practices:practice", practice.pk)


def evidence_url(practice, evidence):
    return url("practices:evidence", practice.pk, evidence.pk)


def approved(by, reviewer, **fields):
    return ActionFactory(by=by, status=Action.Status.APPROVED, reviewer=reviewer, **fields)


def form_data(actions, **fields):
    return {
        "title": "Escuela de Gobernanza Emocional",
        **PRACTICE_TEXT,
        "actions": [action.pk for action in actions],
        "save": "",
        **fields,
    }


def titles(response):
    return [practice.title for practice in response.context["page"].object_list]


def end_appointment(user, on=datetime.date(2026, 1, 1)):
    people.ambassador_end(ambassador=Ambassador.objects.get(user=user, status="active"), ended_on=on)


def pause_appointment(user):
    people.ambassador_set_paused(ambassador=Ambassador.objects.get(user=user), paused=True)


def fresh(user):
    """The user again, without the roles cached on the object (roles_of caches them)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="revisora", is_staff=True, is_superuser=True)


@pytest.fixture
def files(ambassador, other_ambassador, reviewer):
    """Lima's approved action with a photo (shared), a budget PDF and a link (not shared); a
    second approved action of Lima with a file; a draft action of Lima with a file; a Rosario
    approved action with a file. Lima's published practice shares only the photo."""
    main = ActionFactory(by=ambassador, title="Taller de escucha")
    photo = action_services.evidence_add_file(
        action=main, by=ambassador, uploaded_file=upload("foto.png", png_bytes()), title="Foto del taller"
    )
    budget = action_services.evidence_add_file(
        action=main, by=ambassador, uploaded_file=upload("presupuesto.pdf", pdf_bytes()), title="Presupuesto reservado"
    )
    link = EvidenceFactory(action=main, url="https://example.org/acta-reservada", title="Acta reservada")
    action_services.action_submit(action=main, by=ambassador)
    action_services.action_approve(action=main, by=reviewer)

    second = ActionFactory(by=ambassador, title="Segunda acción")
    second_file = action_services.evidence_add_file(
        action=second, by=ambassador, uploaded_file=upload("otra.pdf", pdf_bytes()), title="Otra acción"
    )
    action_services.action_submit(action=second, by=ambassador)
    action_services.action_approve(action=second, by=reviewer)

    draft_action = ActionFactory(by=ambassador, title="Borrador de acción")
    draft_file = action_services.evidence_add_file(
        action=draft_action, by=ambassador, uploaded_file=upload("borrador.pdf", pdf_bytes()), title="Borrador"
    )

    rosario = ActionFactory(by=other_ambassador, title="Acción de Rosario")
    rosario_file = action_services.evidence_add_file(
        action=rosario, by=other_ambassador, uploaded_file=upload("rosario.pdf", pdf_bytes()), title="De Rosario"
    )
    action_services.action_submit(action=rosario, by=other_ambassador)
    action_services.action_approve(action=rosario, by=reviewer)

    main.refresh_from_db()
    second.refresh_from_db()
    rosario.refresh_from_db()
    practice = PracticeFactory(by=ambassador, actions=[main], evidence=[photo], status="published", reviewer=reviewer)
    other_practice = PracticeFactory(
        by=ambassador,
        actions=[second],
        evidence=[second_file],
        status="published",
        reviewer=reviewer,
        title="Otra práctica de Lima",
    )
    rosario_practice = PracticeFactory(
        by=other_ambassador,
        actions=[rosario],
        evidence=[rosario_file],
        status="published",
        reviewer=reviewer,
        title="Práctica de Rosario",
    )
    return {
        "main": main,
        "photo": photo,
        "budget": budget,
        "link": link,
        "second": second,
        "second_file": second_file,
        "draft_action": draft_action,
        "draft_file": draft_file,
        "rosario": rosario,
        "rosario_file": rosario_file,
        "practice": practice,
        "other_practice": other_practice,
        "rosario_practice": rosario_practice,
    }


# 1. Reading another city's practice that is not published ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", NOT_PUBLISHED)
def test_outsiders_reach_nothing_of_an_unpublished_practice(
    client_for, ambassador, other_ambassador, coordinator_elsewhere, reviewer, status
):
    action = approved(ambassador, reviewer)
    EvidenceFactory(action=action, url="https://example.org/x")
    evidence = action.evidence.get()
    practice = PracticeFactory(by=ambassador, actions=[action], evidence=[evidence], status=status, title=SECRET)
    no_role = UserFactory()
    for outsider in (other_ambassador, coordinator_elsewhere, no_role):
        client = client_for(outsider)
        assert client.get(page_of(practice)).status_code == 404
        assert client.get(evidence_url(practice, evidence)).status_code == 404
        assert client.get(url("practices:edit", practice.pk)).status_code == 404
        assert client.post(url("practices:edit", practice.pk), form_data([action])).status_code == 404
        assert client.post(url("practices:submit", practice.pk)).status_code == 404
        assert client.post(url("practices:review", practice.pk), {"decision": "approve"}).status_code == 404
        assert client.post(url("practices:feature", practice.pk), {"featured": "1"}).status_code == 404
        assert client.post(url("practices:replicate", practice.pk), {"notes": ""}).status_code == 404
    practice.refresh_from_db()
    assert practice.status == status and not practice.featured and not practice.replications.exists()


@pytest.mark.django_db
def test_the_library_its_filters_search_and_orders_never_list_an_unpublished_practice(
    client_for, ambassador, other_ambassador, coordinator_elsewhere, reviewer
):
    area = FocusArea.objects.filter(commitment__axis__number=3, commitment__number=1).first()
    for status in NOT_PUBLISHED:
        PracticeFactory(
            by=ambassador,
            actions=[approved(ambassador, reviewer)],
            status=status,
            title=f"{SECRET} {status}",
            goals=[5],
            focus_areas=[area],
        )
    commitment = Commitment.objects.get(axis__number=3, number=1)
    for user in (other_ambassador, coordinator_elsewhere):
        client = client_for(user)
        for query in (
            {},
            {"q": "reservado"},
            {"q": "Lima"},
            {"q": "reservado", "orden": "replicas"},
            {"orden": "recientes"},
            {"sdg": "5"},
            {"commitment": commitment.pk},
            {"axis": commitment.axis_id},
            {"country": "PE"},
            {"page": "2"},
        ):
            response = client.get(LIST, query)
            assert response.status_code == 200
            assert SECRET not in response.content.decode(), query
        page = client.get(LIST).content.decode()
        # The filter choices do not reveal that Peru or the focus area have anything in preparation.
        form = client.get(LIST).context["filter"].form
        assert "PE" not in [str(choice[0]) for choice in form.fields["country"].choices]
        assert area.pk not in [getattr(choice[0], "value", choice[0]) for choice in form.fields["focus_area"].choices]
        assert "en preparación" not in page


@pytest.mark.django_db
def test_my_city_of_another_city_is_not_found_and_its_drafts_stay_hidden(
    client_for, ambassador, other_ambassador, coordinator, coordinator_elsewhere, lima, reviewer
):
    PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="submitted", title=SECRET)
    progress = url("reports:city_progress", lima.pk)
    assert client_for(other_ambassador).get(progress).status_code == 404
    assert client_for(coordinator_elsewhere).get(progress).status_code == 404
    assert SECRET in client_for(coordinator).get(progress).content.decode()  # in scope: expected


@pytest.mark.django_db
def test_a_replication_page_and_an_exchange_never_reveal_an_unpublished_practice(
    client_for, ambassador, other_ambassador, reviewer
):
    """Defence in depth: rows the services would refuse, written straight to the database."""
    draft = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], title=SECRET)
    replication = Replication.objects.create(
        practice=draft,
        city=Ambassador.objects.get(user=other_ambassador).city,
        started_by=other_ambassador,
        started_at=timezone.now(),
    )
    assert client_for(other_ambassador).get(url("practices:replication", replication.pk)).status_code == 404
    exchange = ExchangeFactory(by=other_ambassador)
    exchange.practices.add(draft)
    response = client_for(other_ambassador).get(url("exchanges:exchange", exchange.pk))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    listing = client_for(other_ambassador).get(reverse("exchanges:list"))
    assert [row.practice_count for row in listing.context["page"].object_list] == [0]


@pytest.mark.django_db
def test_in_preparation_shows_only_the_readers_own_city(client_for, ambassador, other_ambassador, reviewer):
    PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], title=SECRET)
    response = client_for(other_ambassador).get(LIST)
    assert response.context["in_preparation"] == []
    assert response.context["awaiting_review"] == []
    assert SECRET not in response.content.decode()


# 2. Evidence that was not chosen to be shared -----------------------------------------------


@pytest.mark.django_db
def test_only_the_chosen_evidence_is_served_whatever_id_is_put_in_the_url(client_for, other_ambassador, files):
    client = client_for(other_ambassador)
    practice = files["practice"]
    assert client.get(evidence_url(practice, files["photo"])).status_code == 200
    for evidence in (files["budget"], files["link"], files["second_file"], files["draft_file"], files["rosario_file"]):
        assert client.get(evidence_url(practice, evidence)).status_code == 404, evidence.title
    # Another city's practice id with Lima's photo: not its evidence.
    assert client.get(evidence_url(files["rosario_practice"], files["photo"])).status_code == 404
    # Nor the commitments' own download, out of scope.
    assert client.get(url("commitments:evidence_download", files["budget"].pk)).status_code == 404
    assert client.get(url("practices:evidence", practice.pk, 10**30)).status_code == 404


@pytest.mark.django_db
def test_the_practice_page_shows_only_the_shared_evidence(client_for, other_ambassador, files):
    page = client_for(other_ambassador).get(page_of(files["practice"])).content.decode()
    assert evidence_url(files["practice"], files["photo"]) in page
    assert '<img class="d-block' in page  # the thumbnail, through the practice's own URL
    for hidden in ("presupuesto.pdf", "Presupuesto reservado", "acta-reservada", "Acta reservada", "borrador.pdf"):
        assert hidden not in page
    assert "/evidencias/" not in page.replace(evidence_url(files["practice"], files["photo"]), "")
    assert not re.search(r"/acciones/\d+/", page)  # no link to an action outside the reader's scope


@pytest.mark.django_db
@pytest.mark.parametrize("foreign", ["rosario_file", "draft_file", "second_file", "link"])
def test_a_forged_practice_form_cannot_share_evidence_it_does_not_own(client_for, ambassador, files, foreign):
    """rosario_file: another city's; draft_file: an unapproved action's; second_file: an approved
    action of the city not chosen as source; link: a link of the source (allowed, as a control)."""
    client = client_for(ambassador)
    evidence = files[foreign]
    response = client.post(CREATE, form_data([files["main"]], evidence=[evidence.pk], title="Forjada"))
    created = Practice.objects.filter(title="Forjada").first()
    if foreign == "link":
        assert created is not None and list(created.evidence.all()) == [evidence]
        return
    assert response.status_code == 200
    assert response.context["form"].errors.get("evidence")
    assert created is None
    # The same through the edit page of an existing draft.
    draft = PracticeFactory(by=ambassador, actions=[files["main"]])
    client.post(url("practices:edit", draft.pk), form_data([files["main"]], evidence=[evidence.pk]))
    assert not draft.evidence.exists()


@pytest.mark.django_db
def test_a_forged_practice_form_cannot_take_another_citys_or_an_unapproved_action(client_for, ambassador, files):
    client = client_for(ambassador)
    for action in (files["rosario"], files["draft_action"]):
        response = client.post(CREATE, form_data([action], title="Forjada"))
        assert response.context["form"].errors.get("actions")
    assert not Practice.objects.filter(title="Forjada").exists()
    # ?accion= of another city's action does not prefill from it.
    page = client.get(CREATE, {"accion": files["rosario"].pk}).content.decode()
    assert "Acción de Rosario" not in page


# 3. Forged POSTs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_citys_ambassador_edits_or_submits(client_for, ambassador, coordinator, admin, reviewer):
    action = approved(ambassador, reviewer)
    practice = PracticeFactory(by=ambassador, actions=[action])
    for reader in (coordinator, admin):
        client = client_for(reader)
        assert client.post(url("practices:edit", practice.pk), form_data([action], title="Cambio")).status_code == 403
        assert client.post(url("practices:submit", practice.pk)).status_code == 403
    practice.refresh_from_db()
    assert practice.status == "draft" and practice.title != "Cambio"


@pytest.mark.django_db
def test_a_submitted_or_published_practice_is_not_editable_by_its_own_ambassador(client_for, ambassador, reviewer):
    action = approved(ambassador, reviewer)
    for status in ("submitted", "published"):
        practice = PracticeFactory(by=ambassador, actions=[action], status=status)
        client = client_for(ambassador)
        assert client.post(url("practices:edit", practice.pk), form_data([action], title="Cambio")).status_code == 403
        practice.refresh_from_db()
        assert practice.title != "Cambio"


@pytest.mark.django_db
def test_approval_out_of_scope_or_by_the_author_is_refused(
    client_for, ambassador, other_ambassador, coordinator_elsewhere, peru, reviewer
):
    practice = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="submitted")
    assert (
        client_for(coordinator_elsewhere)
        .post(url("practices:review", practice.pk), {"decision": "approve"})
        .status_code
        == 404
    )
    assert client_for(ambassador).post(url("practices:review", practice.pk), {"decision": "approve"}).status_code == 403
    people.coordinator_set_scope(user=ambassador, countries=[peru])  # the author becomes a coordinator
    assert (
        client_for(fresh(ambassador)).post(url("practices:review", practice.pk), {"decision": "approve"}).status_code
        == 403
    )
    practice.refresh_from_db()
    assert practice.status == "submitted"


@pytest.mark.django_db
def test_a_coordinator_who_takes_over_the_city_cannot_publish_a_practice_they_wrote_and_sent(
    client_for, ambassador, coordinator, lima, reviewer
):
    """BUG: the review excludes only practice.author (the appointment that created it). Carla, a
    coordinator of Peru, is appointed ambassador of Lima after Alicia; she carries on Alicia's
    draft (allowed), rewrites it, sends it and then approves it herself: nobody else reviewed."""
    action = approved(ambassador, reviewer)
    practice = PracticeFactory(by=ambassador, actions=[action], title="Borrador de Alicia")
    end_appointment(ambassador)
    people.ambassador_appoint(city=lima, user=coordinator, appointed_on=datetime.date(2026, 1, 2))
    carla = client_for(fresh(coordinator))
    carla.post(url("practices:edit", practice.pk), form_data([action], title="Texto de Carla", submit=""))
    practice.refresh_from_db()
    assert practice.status == "submitted" and practice.title == "Texto de Carla"
    response = carla.post(url("practices:review", practice.pk), {"decision": "approve"})
    practice.refresh_from_db()
    assert practice.status == "submitted", "Carla published the practice she wrote and sent herself"
    assert response.status_code == 403


@pytest.mark.django_db
def test_featuring_out_of_scope_a_draft_or_as_an_ambassador_is_refused(
    client_for, ambassador, other_ambassador, coordinator, coordinator_elsewhere, reviewer
):
    published = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    draft = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)])
    assert (
        client_for(coordinator_elsewhere).post(url("practices:feature", published.pk), {"featured": "1"}).status_code
        == 403
    )
    assert client_for(ambassador).post(url("practices:feature", published.pk), {"featured": "1"}).status_code == 403
    assert (
        client_for(other_ambassador).post(url("practices:feature", published.pk), {"featured": "1"}).status_code == 403
    )
    assert client_for(coordinator).post(url("practices:feature", draft.pk), {"featured": "1"}).status_code == 403
    assert client_for(coordinator).get(url("practices:feature", published.pk)).status_code == 405
    assert not Practice.objects.filter(featured=True).exists()


@pytest.mark.django_db
def test_replicating_as_a_coordinator_a_draft_or_ones_own_practice_is_refused(
    client_for, ambassador, other_ambassador, coordinator, admin, reviewer
):
    published = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    draft = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)])
    assert client_for(coordinator).post(url("practices:replicate", published.pk)).status_code == 403
    assert client_for(admin).post(url("practices:replicate", published.pk)).status_code == 403
    client_for(ambassador).post(url("practices:replicate", published.pk))  # its own city's
    client_for(ambassador).post(url("practices:replicate", draft.pk))  # its own city's draft
    assert client_for(other_ambassador).post(url("practices:replicate", draft.pk)).status_code == 404
    assert not Replication.objects.exists()
    client_for(other_ambassador).post(url("practices:replicate", published.pk))
    client_for(other_ambassador).post(url("practices:replicate", published.pk))
    assert Replication.objects.count() == 1


@pytest.mark.django_db
def test_replication_links_are_only_of_the_replicating_city_and_only_it_changes_them(
    client_for, ambassador, other_ambassador, coordinator, reviewer
):
    replication = ReplicationFactory(
        by=other_ambassador,
        practice=PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published"),
    )
    page = url("practices:replication", replication.pk)
    lima_action = ActionFactory(by=ambassador)
    response = client_for(other_ambassador).post(page, {"action": lima_action.pk, "completes": "on"})
    assert response.status_code == 200 and response.context["link_form"].errors.get("action")
    with pytest.raises(ValidationError):
        services.replication_link(replication=replication, action=lima_action, by=other_ambassador)
    link = services.replication_link(
        replication=replication, action=ActionFactory(by=other_ambassador), by=other_ambassador
    )
    for intruder in (ambassador, coordinator):
        client = client_for(intruder)
        assert client.post(url("practices:replication_unlink", link.pk)).status_code == 403
        assert client.post(page, {"notes": "Pisado"}).status_code == 403
        assert client.post(page, {"action": lima_action.pk}).status_code == 403
    assert ReplicationAction.objects.filter(pk=link.pk).exists()
    replication.refresh_from_db()
    assert replication.notes != "Pisado"


@pytest.mark.django_db
def test_exchanges_another_persons_is_not_editable_and_a_draft_is_not_linked(
    client_for, ambassador, other_ambassador, coordinator, reviewer
):
    exchange = ExchangeFactory(by=other_ambassador)
    edit = url("exchanges:edit", exchange.pk)
    for intruder in (ambassador, coordinator):
        assert client_for(intruder).get(edit).status_code == 403
        assert client_for(intruder).post(edit, {"title": "Pisado"}).status_code == 403
    draft = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)])
    data = {
        "kind": "webinar",
        "title": "Con borrador",
        "started_on": "2026-10-20",
        "cities": [],
        "practices": [draft.pk],
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Quito",
        "partners-0-country": "EC",
    }
    response = client_for(ambassador).post(reverse("exchanges:create"), data)
    assert response.status_code == 200 and response.context["form"].errors.get("practices")
    assert not Exchange.objects.filter(title="Con borrador").exists()
    with pytest.raises(ValidationError):
        services.exchange_save(
            by=ambassador,
            data={"kind": "webinar", "title": "x", "started_on": datetime.date(2026, 1, 1)},
            cities=[],
            partner_cities=[{"name": "Quito", "country": "EC"}],
            practices=[draft],
        )


@pytest.mark.django_db
def test_following_needs_a_role(client_for, ambassador, coordinator):
    commitment = Commitment.objects.active().first()
    assert client_for(UserFactory()).post(FOLLOW, {"commitments": [commitment.pk]}).status_code == 403
    end_appointment(ambassador)
    assert client_for(fresh(ambassador)).post(FOLLOW, {"commitments": [commitment.pk]}).status_code == 403
    assert client_for(coordinator).get(FOLLOW).status_code == 405
    assert not CommitmentFollow.objects.exists()


# 4. Hostile input ----------------------------------------------------------------------------


MEGA = "x" * 1_000_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"title": MEGA},
        {"summary_es": MEGA},
        {"problem": MEGA},
        {"partners": MEGA},
        {"title": "Título\x00nulo"},
        {"summary_en": "bell\x07"},
        {"title": "a\u2028b"},
        {"cost": "-0.01", "cost_currency": "PEN"},
        {"cost": "12345678901234567890", "cost_currency": "PEN"},
        {"cost": "NaN", "cost_currency": "PEN"},
        {"cost": "Infinity", "cost_currency": "PEN"},
        {"cost": "1e400", "cost_currency": "PEN"},
        {"cost": "1", "cost_currency": "pen"},
        {"cost": "1", "cost_currency": "<b>"},
        {"goals": ["0"]},
        {"goals": ["18"]},
        {"goals": ["abc"]},
        {"goals": ["-1"]},
        {"actions": ["abc"]},
        {"actions": [str(10**30)]},
        {"evidence": [str(10**30)]},
        {"commitments": [str(-1)]},
        {"focus_areas": ["1e3"]},
    ],
)
def test_hostile_practice_fields_are_refused(client_for, ambassador, reviewer, fields):
    action = approved(ambassador, reviewer)
    response = client_for(ambassador).post(CREATE, {**form_data([action]), **fields})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_the_biggest_cost_allowed_is_stored_and_shown(client_for, ambassador, other_ambassador, reviewer):
    action = approved(ambassador, reviewer)
    client_for(ambassador).post(CREATE, form_data([action], cost="999999999999.99", cost_currency="USD"))
    practice = Practice.objects.get()
    assert practice.cost == Decimal("999999999999.99")
    assert client_for(ambassador).get(page_of(practice)).status_code == 200


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_html_in_a_practice_is_escaped_in_every_page_and_email(
    client_for, ambassador, other_ambassador, coordinator, lima, reviewer
):
    lima.name = "Lima</script><script>alert(1)</script>"
    lima.latitude, lima.longitude = Decimal("-12.05"), Decimal("-77.04")
    lima.save()
    ambassador.email = "alicia@example.org"
    ambassador.save()
    action = approved(ambassador, reviewer)
    practice = PracticeFactory(
        by=ambassador,
        actions=[action],
        status="submitted",
        title=f"T {XSS}"[:200],
        summary_es=f"S {XSS}",
        summary_en=f"E {XSS}",
        partners=f"P {XSS}",
        lessons=f"L {XSS}",
    )
    pages = [
        client_for(coordinator).get(page_of(practice)).content.decode(),
        client_for(ambassador).get(LIST).content.decode(),  # in preparation
        client_for(coordinator).get(LIST).content.decode(),  # awaiting review
        client_for(coordinator).get(url("reports:city_progress", lima.pk)).content.decode(),
    ]
    services.practice_approve(practice=practice, by=coordinator)
    pages += [
        client_for(other_ambassador).get(page_of(practice)).content.decode(),
        client_for(other_ambassador).get(LIST, {"q": "alert"}).content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    detail = pages[-2]
    data = re.search(r'<script id="practice-map-data" type="application/json">(.*?)</script>', detail, re.S)
    assert data, "the map's JSON is there"
    assert json.loads(data.group(1))["cities"][0]["name"] == lima.name
    email = OutgoingEmail.objects.get(key__startswith="practice-decision:")
    assert "\n" not in email.subject
    assert not getattr(email, "html", "")  # text only: a title is not HTML there


@pytest.mark.django_db
def test_bidi_override_characters_are_accepted_in_a_title(client_for, ambassador, other_ambassador, reviewer):
    """Observation (not a crash): U+202E (RIGHT-TO-LEFT OVERRIDE) and U+200B pass the
    single-line validator (it refuses only category Cc), so a title can be shown reversed
    ("gnp.exe" spoofing) in the library, the emails and the reports."""
    action = approved(ambassador, reviewer)
    client_for(ambassador).post(CREATE, form_data([action], title="Práctica \u202egnp.exe\u202c\u200b"))
    assert Practice.objects.filter(title__contains="\u202e").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"page": "999999999999999999999999"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "1e3"},
        {"orden": "-pk"},
        {"orden": "rank); DROP TABLE practices_practice;--"},
        {"orden": ["replicas", "recientes"]},
        {"q": "a & b | !c"},
        {"q": "gob:*"},
        {"q": "'; DROP TABLE practices_practice; --"},
        {"q": "\\"},
        {"q": "((("},
        {"q": "' OR 1=1 --"},
        {"q": "%_%"},
        {"q": "<->"},
        {"q": "x" * 10_000},
        {"q": "palabra " * 2000},
        {"q": "\ufdfa" * 300},
        {"sdg": "0"},
        {"sdg": "18"},
        {"sdg": "abc"},
        {"size": "huge"},
        {"axis": str(10**30)},
        {"commitment": str(10**30)},
        {"focus_area": str(10**30)},
        {"country": "ZZ"},
        {"country": "' OR 1=1"},
    ],
)
def test_odd_library_queries_never_crash(client_for, other_ambassador, ambassador, reviewer, query):
    PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], title=SECRET)
    response = client_for(other_ambassador).get(LIST, query)
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["\x00", "gobernanza\x00", "a\x00b"])
def test_a_null_byte_in_the_search_is_not_a_server_error(client_for, other_ambassador, ambassador, reviewer, q):
    """BUG: Django's CharField refuses the NUL, so the filter drops `q`; but the order is chosen
    from the raw ?q= (PracticeFilter.default_order / searching), so it orders by "-rank", which
    was never annotated: FieldError, a 500 on every database."""
    PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    client = client_for(other_ambassador)
    client.raise_request_exception = False
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200


@pytest.mark.django_db
def test_unicode_digits_in_accion_are_not_a_server_error(client_for, ambassador):
    """BUG: '²'.isdigit() is True but int('²') raises ValueError: /practicas/nueva/?accion=² is a 500."""
    client = client_for(ambassador)
    client.raise_request_exception = False
    for value in ("²", "³", "①", "\u0661"):
        assert client.get(CREATE, {"accion": value}).status_code == 200, value


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", str(10**30), "-1", "abc", ""])
def test_odd_commitment_ids_when_following_are_not_a_server_error(client_for, ambassador, value):
    """BUG ('²'): follow_commitments runs int() on anything str.isdigit() accepts; a
    superscript digit is a ValueError, a 500. 10**30 overflows SQLite's integer (pk__in)."""
    client = client_for(ambassador)
    client.raise_request_exception = False
    response = client.post(FOLLOW, {"commitments": [value]})
    assert response.status_code == 302


@pytest.mark.django_db
def test_huge_ids_in_the_urls_are_not_found(client_for, ambassador, admin):
    client = client_for(admin)
    big = 10**30
    for name, args in (
        ("practices:practice", [big]),
        ("practices:evidence", [big, big]),
        ("practices:edit", [big]),
        ("practices:replication", [big]),
        ("exchanges:exchange", [big]),
        ("exchanges:edit", [big]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(url("practices:replication_unlink", big)).status_code == 404
    assert client_for(ambassador).get(CREATE, {"accion": str(big)}).status_code == 200


@pytest.mark.django_db
def test_an_exchange_description_has_a_length_limit(client_for, ambassador, other_ambassador):
    """BUG (hostile input): Exchange.description is a TextField with no max length, and the
    ExchangeForm adds none (the practice form caps its texts at 10 000): a 1 MB description is
    stored and served to every member of the network on the exchange page."""
    data = {
        "kind": "webinar",
        "title": "Grande",
        "started_on": "2026-10-20",
        "description": MEGA,
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Quito",
        "partners-0-country": "EC",
    }
    response = client_for(ambassador).post(reverse("exchanges:create"), data)
    assert not Exchange.objects.filter(title="Grande").exists(), "a 1 MB description was stored"
    assert response.status_code == 200


@pytest.mark.django_db
def test_hostile_exchange_and_replication_text_is_refused(client_for, ambassador, other_ambassador, reviewer):
    base = {
        "kind": "webinar",
        "started_on": "2026-10-20",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-country": "EC",
    }
    client = client_for(ambassador)
    for extra in (
        {"title": "a\nb", "partners-0-name": "Quito"},
        {"title": "ok", "partners-0-name": "Qui\x00to"},
        {"title": "ok", "partners-0-name": "Quito", "kind": "party"},
        {"title": "ok", "partners-0-name": "Quito", "started_on": "2026-02-30"},
        {"title": "ok", "partners-0-name": "Quito", "ended_on": "2026-10-01"},
        {"title": "ok", "partners-0-name": "Quito", "partners-0-country": "XX"},
        {"title": "x" * 201, "partners-0-name": "Quito"},
    ):
        assert client.post(reverse("exchanges:create"), {**base, **extra}).status_code == 200
    assert not Exchange.objects.exists()
    published = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    other = client_for(other_ambassador)
    other.post(url("practices:replicate", published.pk), {"notes": "n" * 3001})
    other.post(url("practices:replicate", published.pk), {"notes": "bell\x07"})
    assert not Replication.objects.exists()


# 5. Logic ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_successor_cannot_publish_the_predecessors_email_as_contact(
    client_for, ambassador, other_ambassador, coordinator, lima, reviewer
):
    """BUG (privacy): the contact shown is practice.author.user (whoever created the practice),
    but the consent box ("mostrar MI nombre y correo") is ticked by whoever edits it: a successor
    who carries on the predecessor's draft publishes the predecessor's name and email."""
    ambassador.email = "alicia.privado@example.org"
    ambassador.save()
    action = approved(ambassador, reviewer)
    practice = PracticeFactory(by=ambassador, actions=[action], contact_consent=False)
    end_appointment(ambassador)
    successor = UserFactory(username="sofia", email="sofia@example.org")
    people.ambassador_appoint(city=lima, user=successor, appointed_on=datetime.date(2026, 1, 2))
    client_for(successor).post(url("practices:edit", practice.pk), form_data([action], contact_consent="on", submit=""))
    practice.refresh_from_db()
    services.practice_approve(practice=practice, by=coordinator)
    page = client_for(other_ambassador).get(page_of(practice)).content.decode()
    assert "alicia.privado@example.org" not in page, "Alicia's email was published on Sofía's consent"


@pytest.mark.django_db
def test_an_old_approved_action_does_not_complete_a_replication_before_it_started(
    client_for, ambassador, other_ambassador, reviewer
):
    """BUG (figures): any approved action of the replicating city may be linked with
    "completes", even one approved long before the replication was registered: the replication
    is "Realizada" at once, done_at earlier than started_at, and the reports count it done in a
    period when it did not exist yet (one old action can 'complete' every replication)."""
    from practices import figures

    old = approved(other_ambassador, reviewer, title="Acción de 2025")
    Action.objects.filter(pk=old.pk).update(decided_at=timezone.now() - datetime.timedelta(days=365))
    published = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    replication = ReplicationFactory(by=other_ambassador, practice=published)
    client_for(other_ambassador).post(
        url("practices:replication", replication.pk), {"action": old.pk, "completes": "on"}
    )
    replication = Replication.objects.with_state().get(pk=replication.pk)
    last_year = timezone.localdate() - datetime.timedelta(days=365)
    counts = figures.practice_counts(cities=[replication.city], start=last_year, end=last_year)
    assert counts["replications_done"] == 0, "counted done a year before it was registered"
    assert replication.done_at is None or replication.done_at >= replication.started_at


@pytest.mark.django_db
def test_a_paused_ambassador_reads_their_city_but_writes_nothing(client_for, ambassador, other_ambassador, reviewer):
    action = approved(ambassador, reviewer)
    draft = PracticeFactory(by=ambassador, actions=[action], title=SECRET)
    rosario_published = PracticeFactory(
        by=other_ambassador, actions=[approved(other_ambassador, reviewer)], status="published"
    )
    replication = ReplicationFactory(by=ambassador, practice=rosario_published)
    ExchangeFactory(by=ambassador)
    pause_appointment(ambassador)
    client = client_for(fresh(ambassador))
    assert client.get(page_of(draft)).status_code == 200  # reads its city (scope): by design
    assert client.get(CREATE).status_code == 403
    assert client.post(url("practices:edit", draft.pk), form_data([action], title="Cambio")).status_code == 403
    assert client.post(url("practices:submit", draft.pk)).status_code == 403
    assert client.post(url("practices:replicate", rosario_published.pk)).status_code in (403, 302)
    assert client.post(url("practices:replication", replication.pk), {"notes": "x"}).status_code == 403
    assert client.get(reverse("exchanges:create")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.title == SECRET
    assert Replication.objects.count() == 1
    assert client.post(FOLLOW, {"commitments": []}).status_code == 302  # still a member: by design


@pytest.mark.django_db
def test_a_paused_ambassador_cannot_rewrite_their_exchange(client_for, ambassador, other_ambassador, lima, rosario):
    """BUG (minor, inconsistent rule): a paused ambassador may not record an exchange
    (can_record_exchange needs an appointment in office) but may still open and rewrite the ones
    they recorded: exchange_edit only asks is_network_member (a paused appointment counts) and
    can_edit_exchange only compares created_by."""
    exchange = ExchangeFactory(by=ambassador, cities=[rosario])
    pause_appointment(ambassador)
    client = client_for(fresh(ambassador))
    assert client.get(reverse("exchanges:create")).status_code == 403
    data = {
        "kind": "visit",
        "title": "Reescrito en pausa",
        "started_on": "2026-10-20",
        "cities": [rosario.pk, lima.pk],
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
    }
    response = client.post(url("exchanges:edit", exchange.pk), data)
    exchange.refresh_from_db()
    assert exchange.title != "Reescrito en pausa", f"rewritten by a paused ambassador ({response.status_code})"
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_coordinator_does_not_feature_their_own_practice(client_for, ambassador, peru, reviewer):
    """Observation: the review excludes the author, featuring does not (can_feature_practice):
    an ambassador who also coordinates their country puts their own practice forward."""
    practice = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    people.coordinator_set_scope(user=ambassador, countries=[peru])
    client_for(fresh(ambassador)).post(url("practices:feature", practice.pk), {"featured": "1"})
    practice.refresh_from_db()
    assert not practice.featured, "the author featured their own practice"


@pytest.mark.django_db
def test_a_former_ambassador_reads_and_writes_nothing(client_for, ambassador, other_ambassador, lima, reviewer):
    action = approved(ambassador, reviewer)
    draft = PracticeFactory(by=ambassador, actions=[action], title=SECRET)
    EvidenceFactory(action=action, url="https://example.org/y")
    evidence = action.evidence.get()
    published = PracticeFactory(by=ambassador, actions=[action], evidence=[evidence], status="published")
    rosario_published = PracticeFactory(
        by=other_ambassador, actions=[approved(other_ambassador, reviewer)], status="published"
    )
    replication = ReplicationFactory(by=ambassador, practice=rosario_published)
    exchange = ExchangeFactory(by=ambassador)
    end_appointment(ambassador)
    client = client_for(fresh(ambassador))
    assert client.get(LIST).status_code == 403
    for target in (draft, published, rosario_published):
        assert client.get(page_of(target)).status_code == 404
    assert client.get(evidence_url(published, evidence)).status_code == 404
    assert client.get(CREATE).status_code == 403
    assert client.post(url("practices:edit", draft.pk), form_data([action])).status_code == 404
    assert client.post(url("practices:replicate", rosario_published.pk)).status_code == 404
    assert client.get(url("practices:replication", replication.pk)).status_code == 404
    assert client.get(reverse("exchanges:list")).status_code == 403
    assert client.get(url("exchanges:edit", exchange.pk)).status_code == 403
    assert client.get(url("reports:city_progress", lima.pk)).status_code == 404
    assert client.post(FOLLOW, {"commitments": []}).status_code == 403


@pytest.mark.django_db
def test_a_user_with_no_role_reads_and_writes_nothing(client_for, ambassador, reviewer):
    published = PracticeFactory(by=ambassador, actions=[approved(ambassador, reviewer)], status="published")
    exchange = ExchangeFactory(by=ambassador)
    client = client_for(UserFactory())
    assert client.get(LIST).status_code == 403
    assert client.get(page_of(published)).status_code == 404
    assert client.get(CREATE).status_code == 403
    assert client.post(url("practices:replicate", published.pk)).status_code == 404
    assert client.post(url("practices:feature", published.pk), {"featured": "1"}).status_code == 404
    assert client.get(reverse("exchanges:list")).status_code == 403
    assert client.get(url("exchanges:exchange", exchange.pk)).status_code == 403
    assert client.get(reverse("exchanges:create")).status_code == 403


# 6. Races (PostgreSQL) -----------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_publish_once(seeded_catalogue, ambassador, coordinator, admin):
    action = ActionFactory(by=ambassador, status=Action.Status.APPROVED, reviewer=admin)
    practice = PracticeFactory(by=ambassador, actions=[action], status="submitted")

    def approve(user):
        client = Client()
        client.force_login(user)
        return client.post(url("practices:review", practice.pk), {"decision": "approve"})

    with TestCase.captureOnCommitCallbacks(execute=False):
        outcomes = at_once(approve, [coordinator, admin, coordinator, admin])
    assert all(getattr(outcome, "status_code", None) == 302 for outcome in outcomes), outcomes
    assert practice.status_changes.filter(to_status="published").count() == 1
    assert OutgoingEmail.objects.filter(key__startswith="practice-decision:").count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_once_decide_once(seeded_catalogue, ambassador, coordinator, admin):
    action = ActionFactory(by=ambassador, status=Action.Status.APPROVED, reviewer=admin)
    practice = PracticeFactory(by=ambassador, actions=[action], status="submitted")

    def decide(argument):
        user, decision = argument
        client = Client()
        client.force_login(user)
        return client.post(url("practices:review", practice.pk), {"decision": decision, "comment": "Corrija"})

    outcomes = at_once(decide, [(coordinator, "approve"), (admin, "return")] * 2)
    assert all(getattr(outcome, "status_code", None) == 302 for outcome in outcomes), outcomes
    assert practice.status_changes.exclude(to_status__in=["draft", "submitted"]).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_replications_of_the_same_city_at_once_make_one(seeded_catalogue, ambassador, other_ambassador, admin):
    action = ActionFactory(by=ambassador, status=Action.Status.APPROVED, reviewer=admin)
    practice = PracticeFactory(by=ambassador, actions=[action], status="published", reviewer=admin)

    def replicate(_number):
        client = Client()
        client.force_login(other_ambassador)
        return client.post(url("practices:replicate", practice.pk), {"notes": "a la vez"})

    outcomes = at_once(replicate, list(range(6)))
    assert all(getattr(outcome, "status_code", None) == 302 for outcome in outcomes), outcomes
    assert Replication.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_an_approval_does_not_change_a_published_practice(
    seeded_catalogue, ambassador, coordinator, admin
):
    """The ambassador's edit form was opened while returned; it is sent again right as the
    coordinator approves the re-submitted practice: the published text must be the reviewed one."""
    action = ActionFactory(by=ambassador, status=Action.Status.APPROVED, reviewer=admin)
    practice = PracticeFactory(by=ambassador, actions=[action], status="submitted")

    def act(who):
        client = Client()
        if who == "edit":
            client.force_login(ambassador)
            return client.post(url("practices:edit", practice.pk), form_data([action], title="Cambiada tarde"))
        client.force_login(coordinator)
        return client.post(url("practices:review", practice.pk), {"decision": "approve"})

    edited, approved = at_once(act, ["edit", "approve"])
    practice.refresh_from_db()
    assert edited.status_code == 403 and approved.url == url("practices:practice", practice.pk)
    assert practice.status == "published" and practice.title != "Cambiada tarde"


@pytest.mark.django_db
def test_html_in_replication_notes_and_exchanges_is_escaped(
    client_for, ambassador, other_ambassador, rosario, reviewer
):
    published = PracticeFactory(
        by=ambassador, actions=[approved(ambassador, reviewer)], status="published", title=f"P {XSS}"[:200]
    )
    replication = ReplicationFactory(by=other_ambassador, practice=published, notes=f"N {XSS}")
    services.replication_link(
        replication=replication, action=ActionFactory(by=other_ambassador, title=f"A {XSS}"[:200]), by=other_ambassador
    )
    exchange = ExchangeFactory(
        by=ambassador,
        title=f"X {XSS}"[:200],
        description=f"D {XSS}",
        cities=[rosario],
        partner_cities=[{"name": f"C {XSS}"[:200], "country": "EC"}],
        practices=[published],
    )
    pages = [
        client_for(ambassador).get(url("practices:replication", replication.pk)).content.decode(),
        client_for(other_ambassador).get(url("practices:replication", replication.pk)).content.decode(),
        client_for(other_ambassador).get(url("exchanges:exchange", exchange.pk)).content.decode(),
        client_for(other_ambassador).get(reverse("exchanges:list")).content.decode(),
        client_for(other_ambassador).get(page_of(published)).content.decode(),
        client_for(other_ambassador).get(url("reports:city_progress", rosario.pk)).content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
