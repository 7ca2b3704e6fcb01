"""A city's transition plan through its pages: Alicia (Lima) writes the diagnosis and the strategy,
adds a milestone on each horizon and sends it; Carla (coordinator of Peru) returns it with a
comment or approves it; a revision starts version 2 while version 1 stays in force, until version
2 is approved and supersedes it. Milestone progress is kept on the plan in force. Only Lima's
scope finds any of it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ambassadors.tests.factories import UserFactory
from commitments.models import Commitment
from commitments.sample_files import pdf_bytes
from commitments.tests.factories import TargetFactory, seeded_commitment
from commitments.tests.helpers import page_messages
from conftest import session_queries
from core.models import OutgoingEmail
from funding import services
from funding.models import Document, Milestone, TransitionPlan
from funding.tests.factories import PLAN_TEXT, MilestoneFactory, OpportunityFactory, TransitionPlanFactory

START = reverse("funding:plan_start")
MY_PLAN = reverse("funding:my_plan")


def plan_url(plan, name="plan"):
    return reverse(f"funding:{name}", args=[plan.pk])


def milestone_data(horizon, **fields):
    return {
        "horizon": horizon,
        "title": f"Hito a {horizon}",
        "due_on": "2028-06-30",
        "responsible": "Gerencia de Ambiente",
        "description": "",
        "save": "",
        **fields,
    }


def section(html, anchor):
    """The HTML of the page's <section id=anchor>, up to the next section of the same level."""
    start = html.index(f'<section class="mb-4" id="{anchor}"')
    following = html.find('<section class="mb-4', start + 1)
    return html[start : following if following != -1 else len(html)]


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def steps(plan):
    return list(plan.status_changes.values_list("from_status", "to_status", "by__username", "comment"))


# Starting a plan --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_ambassador_without_a_plan_is_sent_to_start_it_and_starts_it(client_for, ambassador):
    client = client_for(ambassador)
    assert client.get(MY_PLAN).url == START
    response = client.get(START)
    assert response.status_code == 200
    assert "Empezar el plan de transición" in response.content.decode()

    energy = seeded_commitment("1.4")
    response = client.post(
        START,
        {
            "diagnosis_summary": PLAN_TEXT["diagnosis_summary"],
            "diagnosis_on": "2026-03-01",
            "strategy": "Movilidad eléctrica\n\n  Eficiencia en edificios públicos  ",
            "commitments": [energy.pk],
        },
        follow=True,
    )
    plan = TransitionPlan.objects.get()
    assert response.redirect_chain == [(plan_url(plan), 302)]
    assert page_messages(response) == [
        "Plan guardado como borrador. Ahora agregue sus hitos: al menos uno a corto, mediano y largo plazo."
    ]
    assert (plan.city.name, plan.version, plan.status, plan.diagnosis_on) == (
        "Lima",
        1,
        "draft",
        datetime.date(2026, 3, 1),
    )
    assert list(plan.commitments.all()) == [energy]
    assert steps(plan) == [("", "draft", "alicia", "")]
    page = response.content.decode()
    assert "Borrador" in page
    strategy = text(section(page, "strategy"))
    assert "Movilidad eléctrica" in strategy and "Eficiencia en edificios públicos" in strategy
    assert f"{energy.code} {energy.title}" in strategy
    # Each horizon is there, empty for now, with its button to add a milestone.
    milestones = text(section(page, "milestones"))
    for horizon in ("corto plazo", "mediano plazo", "largo plazo"):
        assert f"Ningún hito a {horizon} todavía." in milestones
        assert f"Agregar un hito a {horizon}" in milestones
    assert client.get(MY_PLAN).url == plan_url(plan)


@pytest.mark.django_db
def test_the_start_form_keeps_what_was_typed_when_refused(client_for, ambassador):
    response = client_for(ambassador).post(
        START, {"diagnosis_summary": "Transporte: la mitad de las emisiones.", "diagnosis_on": "el martes"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["diagnosis_on"]
    assert form["diagnosis_summary"].value() == "Transporte: la mitad de las emisiones."
    page = response.content.decode()
    assert "no se perdió nada de lo que escribió" in page
    assert "Transporte: la mitad de las emisiones." in page
    assert not TransitionPlan.objects.exists()


@pytest.mark.django_db
def test_a_city_with_a_plan_does_not_start_another(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    client = client_for(ambassador)
    response = client.get(START, follow=True)
    assert response.redirect_chain == [(plan_url(plan), 302)]
    client.post(START, {"diagnosis_summary": "Otro"})
    assert TransitionPlan.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "admin", "nobody"])
def test_only_an_ambassador_in_office_starts_a_plan(request, client_for, who):
    user = UserFactory() if who == "nobody" else request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(START).status_code == 403
    assert client.post(START, {"diagnosis_summary": "x"}).status_code == 403
    assert not TransitionPlan.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_asking_for_their_plan_goes_to_the_pipeline(client_for, coordinator):
    assert client_for(coordinator).get(MY_PLAN).url == reverse("funding:index")


@pytest.mark.django_db
def test_someone_outside_the_network_has_no_plan(client_for):
    assert client_for(UserFactory()).get(MY_PLAN).status_code == 403


# Milestones and submission ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_milestone_per_horizon_then_the_plan_is_sent(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador, milestones=False)
    target = TargetFactory(city=plan.city, target_value=Decimal("40"), due_on=datetime.date(2030, 12, 31))
    client = client_for(ambassador)
    response = client.get(f"{plan_url(plan, 'milestone_create')}?horizonte=medium")
    assert response.status_code == 200
    assert response.context["form"]["horizon"].value() == "medium"

    energy = seeded_commitment("1.4")
    response = client.post(
        plan_url(plan, "milestone_create"),
        milestone_data(
            "short",
            title="Inventario de emisiones",
            due_on="2026-12-31",
            commitments=[energy.pk],
            targets=[target.pk],
            another="",
        ),
        follow=True,
    )
    short = Milestone.objects.get(title="Inventario de emisiones")
    assert response.redirect_chain == [(f"{plan_url(plan, 'milestone_create')}?horizonte=short", 302)]
    assert page_messages(response) == ["Hito agregado: «Inventario de emisiones» (corto plazo)."]
    assert (list(short.commitments.all()), list(short.targets.all())) == ([energy], [target])
    for horizon in ("medium", "long"):
        response = client.post(plan_url(plan, "milestone_create"), milestone_data(horizon), follow=True)
        milestone = Milestone.objects.get(horizon=horizon)
        assert response.redirect_chain == [(f"{plan_url(plan)}#milestone-{milestone.pk}", 302)]

    page = response.content.decode()
    timeline = section(page, "milestones")
    # An ordered list per horizon, under its heading, in the order short, medium, long.
    assert [text(heading).strip() for heading in re.findall(r"<h3[^>]*>(.*?)</h3>", timeline)] == [
        "Corto plazo (1 hito)",
        "Mediano plazo (1 hito)",
        "Largo plazo (1 hito)",
    ]
    assert timeline.count('<ol class="timeline') == 3
    milestone_text = text(timeline)
    assert "Inventario de emisiones" in milestone_text
    assert "Gerencia de Ambiente" in milestone_text
    assert f"{energy.code} {energy.title}" in milestone_text
    assert f"{target.indicator.code} {target.indicator.name}: 40 personas para el 31/12/2030" in milestone_text
    assert "Estado: Previsto" in milestone_text

    response = client.post(plan_url(plan, "plan_submit"), follow=True)
    assert response.redirect_chain == [(plan_url(plan), 302)]
    assert page_messages(response) == [
        "Plan enviado a revisión: un coordinador de su país lo leerá y lo aprobará o se lo devolverá."
    ]
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert "Enviado a revisión" in response.content.decode()
    # Nothing is changed while it waits.
    assert client.get(plan_url(plan, "plan_edit")).status_code == 403
    assert client.get(plan_url(plan, "milestone_create")).status_code == 403
    assert client.post(reverse("funding:milestone_remove", args=[short.pk])).status_code == 403


@pytest.mark.django_db
def test_sending_a_plan_without_a_milestone_on_each_horizon_says_which_is_missing_at_the_milestones(
    client_for, ambassador
):
    plan = TransitionPlanFactory(by=ambassador, milestones=False)
    MilestoneFactory(plan=plan, horizon="short")
    response = client_for(ambassador).post(plan_url(plan, "plan_submit"))
    assert response.status_code == 200
    page = response.content.decode()
    expected = "El plan necesita al menos un hito en cada horizonte; falta: mediano plazo, largo plazo."
    assert expected in text(section(page, "milestones"))
    summary = page[page.index('id="submission-errors"') :]
    assert '<a class="alert-link" href="#milestones">Hitos</a>' in summary[: summary.index("</div>")]
    plan.refresh_from_db()
    assert plan.status == "draft"


@pytest.mark.django_db
def test_sending_a_plan_without_a_diagnosis_shows_it_at_the_diagnosis(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador, diagnosis_summary="", strategy="")
    page = client_for(ambassador).post(plan_url(plan, "plan_submit")).content.decode()
    assert "Escriba el diagnóstico." in text(section(page, "diagnosis"))
    assert "Escriba al menos una prioridad de la estrategia." in text(section(page, "strategy"))
    assert "falta:" not in page


@pytest.mark.django_db
def test_a_milestone_form_keeps_what_was_typed_when_refused(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador, milestones=False)
    response = client_for(ambassador).post(
        plan_url(plan, "milestone_create"), milestone_data("long", title="Tranvía", due_on="", responsible="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"due_on", "responsible"}
    assert form["title"].value() == "Tranvía"
    assert form["horizon"].value() == "long"
    assert not plan.milestones.exists()


@pytest.mark.django_db
def test_a_milestone_takes_only_its_citys_targets(client_for, ambassador, rosario):
    plan = TransitionPlanFactory(by=ambassador, milestones=False)
    rosario_target = TargetFactory(city=rosario)
    response = client_for(ambassador).post(
        plan_url(plan, "milestone_create"), milestone_data("short", targets=[rosario_target.pk])
    )
    assert response.status_code == 200
    assert "targets" in response.context["form"].errors
    assert not plan.milestones.exists()


@pytest.mark.django_db
def test_a_milestone_is_edited_and_removed_on_a_draft(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    milestone = plan.milestones.get(horizon="long")
    client = client_for(ambassador)
    edit = reverse("funding:milestone_edit", args=[milestone.pk])
    response = client.get(edit)
    assert response.context["form"]["title"].value() == "Hito 3"
    response = client.post(edit, milestone_data("long", title="Red de tranvías", due_on="2040-01-31"), follow=True)
    assert page_messages(response) == ["Hito guardado: «Red de tranvías» (largo plazo)."]
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("Red de tranvías", datetime.date(2040, 1, 31))

    response = client.post(reverse("funding:milestone_remove", args=[milestone.pk]), follow=True)
    assert response.redirect_chain == [(f"{plan_url(plan)}#milestones", 302)]
    assert page_messages(response) == ["Hito quitado del plan: «Red de tranvías»."]
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.django_db
def test_the_diagnosis_and_strategy_are_edited_on_a_draft(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    client = client_for(ambassador)
    response = client.get(plan_url(plan, "plan_edit"))
    assert response.context["form"]["strategy"].value() == PLAN_TEXT["strategy"]
    response = client.post(
        plan_url(plan, "plan_edit"),
        {"diagnosis_summary": "Nuevo inventario 2026.", "diagnosis_on": "2026-04-15", "strategy": "Agua"},
        follow=True,
    )
    assert page_messages(response) == ["Diagnóstico y estrategia guardados."]
    plan.refresh_from_db()
    assert (plan.diagnosis_summary, plan.priorities) == ("Nuevo inventario 2026.", ["Agua"])


@pytest.mark.django_db
def test_a_link_is_added_to_the_diagnosis_and_a_refusal_keeps_what_was_typed(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    client = client_for(ambassador)
    add = plan_url(plan, "plan_document_add")
    response = client.post(add, {"url": "", "title": "Inventario de emisiones 2025"})
    assert response.status_code == 200
    assert response.context["document_form"].non_field_errors() == [
        "Suba un archivo o pegue un enlace (uno de los dos)."
    ]
    page = response.content.decode()
    assert 'value="Inventario de emisiones 2025"' in page
    assert '<details class="border rounded p-3" id="add-document" open>' in page

    response = client.post(
        add, {"url": "https://lima.example/inventario.pdf", "title": "Inventario de emisiones 2025"}, follow=True
    )
    assert response.redirect_chain == [(f"{plan_url(plan)}#diagnosis", 302)]
    assert page_messages(response) == ["Documento añadido al diagnóstico: «Inventario de emisiones 2025»."]
    document = Document.objects.get()
    assert (document.plan, document.url, document.uploaded_by) == (
        plan,
        "https://lima.example/inventario.pdf",
        ambassador,
    )
    diagnosis = section(response.content.decode(), "diagnosis")
    assert 'href="https://lima.example/inventario.pdf" rel="noopener noreferrer"' in diagnosis


@pytest.mark.django_db
def test_a_file_is_added_to_the_diagnosis_once_checked(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    client = client_for(ambassador)
    add = plan_url(plan, "plan_document_add")
    page = client.post(
        add, {"file": SimpleUploadedFile("mapa.html", b"<html><script>x</script></html>"), "title": "Mapa"}
    )
    assert page.status_code == 200
    assert "una página web o una imagen SVG" in " ".join(page.context["document_form"].errors["file"])
    assert not Document.objects.exists()

    pdf = SimpleUploadedFile("inventario.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(add, {"file": pdf, "title": ""}, follow=True)
    assert page_messages(response) == ["Documento añadido al diagnóstico: «inventario.pdf»."]
    document = Document.objects.get()
    assert (document.plan, document.original_name, document.content_type) == (plan, "inventario.pdf", "application/pdf")
    assert "inventario.pdf" in text(section(response.content.decode(), "diagnosis"))


# Review ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_returns_a_plan_only_with_a_comment_and_the_ambassador_is_told(
    client_for, ambassador, coordinator
):
    plan = TransitionPlanFactory(by=ambassador, status="submitted")
    client = client_for(coordinator)
    page = client.get(plan_url(plan)).content.decode()
    assert "Este plan espera su revisión." in page
    assert 'id="review"' in page

    response = client.post(plan_url(plan, "plan_review"), {"decision": "return", "comment": "   "})
    assert response.status_code == 200
    assert response.context["review_form"].errors["comment"] == [
        "Explique qué debe corregirse: el comentario es obligatorio."
    ]
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert not OutgoingEmail.objects.exists()

    response = client.post(
        plan_url(plan, "plan_review"), {"decision": "return", "comment": "Falta el costo de cada hito."}, follow=True
    )
    assert page_messages(response) == ["Plan de Lima devuelto a su embajador con su comentario (versión 1)."]
    plan.refresh_from_db()
    assert plan.status == "returned"
    change = plan.status_changes.get(to_status="returned")
    assert (change.by, change.comment) == (coordinator, "Falta el costo de cada hito.")
    email = OutgoingEmail.objects.get(key=f"plan-decision:{change.pk}")
    assert (email.recipient, email.to) == (ambassador, ambassador.email)
    assert email.subject == "Plan de transición de Lima devuelto con comentarios (versión 1)"
    assert "Falta el costo de cada hito." in email.body
    assert plan_url(plan) in email.body

    # Alicia reads the comment on the plan and may change it again.
    page = client_for(ambassador).get(plan_url(plan)).content.decode()
    assert "Devuelto con comentarios" in page and "Falta el costo de cada hito." in page
    assert plan_url(plan, "plan_edit") in page


@pytest.mark.django_db
def test_a_coordinator_approves_a_plan_and_it_is_in_force(client_for, ambassador, coordinator):
    plan = TransitionPlanFactory(by=ambassador, status="submitted")
    response = client_for(coordinator).post(
        plan_url(plan, "plan_review"), {"decision": "approve", "comment": ""}, follow=True
    )
    assert page_messages(response) == ["Plan de Lima aprobado: la versión 1 está en vigor desde hoy."]
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert list(TransitionPlan.objects.in_force()) == [plan]
    assert steps(plan) == [
        ("", "draft", "alicia", ""),
        ("draft", "submitted", "alicia", ""),
        ("submitted", "approved", "carla", ""),
    ]
    page = text(response.content.decode())
    assert "Aprobado · en vigor desde el" in page
    change = plan.status_changes.get(to_status="approved")
    email = OutgoingEmail.objects.get(key=f"plan-decision:{change.pk}")
    assert email.recipient == ambassador
    assert email.subject == "Plan de transición de Lima aprobado (versión 1)"
    assert "aprobó la versión 1 del plan de transición de Lima" in email.body


@pytest.mark.django_db
def test_an_ambassador_cannot_review_a_plan(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador, status="submitted")
    client = client_for(ambassador)
    assert 'id="review"' not in client.get(plan_url(plan)).content.decode()
    assert client.post(plan_url(plan, "plan_review"), {"decision": "approve"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "submitted"


# Versions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_revising_starts_version_2_while_version_1_stays_in_force_until_2_is_approved(
    client_for, ambassador, coordinator
):
    first = TransitionPlanFactory(by=ambassador, status="approved", reviewer=coordinator)
    client = client_for(ambassador)
    page = client.get(plan_url(first)).content.decode()
    assert 'id="revise"' in page and "Empezar la versión 2" in page

    response = client.post(plan_url(first, "plan_revise"), {"revision_reason": "  "})
    assert response.status_code == 200
    assert response.context["revise_form"].errors["revision_reason"] == ["Explique por qué se revisa el plan."]
    assert TransitionPlan.objects.count() == 1

    response = client.post(
        plan_url(first, "plan_revise"), {"revision_reason": "Nuevo inventario de emisiones."}, follow=True
    )
    second = TransitionPlan.objects.get(version=2)
    assert response.redirect_chain == [(plan_url(second), 302)]
    assert page_messages(response) == [
        "Versión 2 empezada como borrador, copia de la versión 1. "
        "La versión 1 sigue en vigor hasta que se apruebe la nueva."
    ]
    assert (second.status, second.revision_reason) == ("draft", "Nuevo inventario de emisiones.")
    assert second.milestones.count() == 3
    page = text(response.content.decode())
    assert "Motivo de la revisión: Nuevo inventario de emisiones." in page
    assert "Esta versión está en preparación; mientras tanto rige la versión 1." in page
    assert list(TransitionPlan.objects.in_force()) == [first]
    first_page = text(client.get(plan_url(first)).content.decode())
    assert "Aprobado · en vigor desde el" in first_page
    assert "La versión 2 está en preparación (borrador)." in first_page
    assert "Empezar la versión" not in first_page  # one version in preparation at a time
    assert client.get(reverse("funding:city_plan", args=[first.city_id])).url == plan_url(first)
    assert client.get(MY_PLAN).url == plan_url(second)

    client.post(plan_url(second, "plan_submit"))
    client_for(coordinator).post(plan_url(second, "plan_review"), {"decision": "approve", "comment": "Bien."})
    second.refresh_from_db()
    assert second.status == "approved"
    assert list(TransitionPlan.objects.in_force()) == [second]
    client = client_for(ambassador)
    first_page = text(client.get(plan_url(first)).content.decode())
    assert "Reemplazado por la versión 2" in first_page
    assert "la reemplazó la versión 2" in first_page
    versions = text(section(client.get(plan_url(second)).content.decode(), "versions"))
    assert "Versión 2 Aprobado · en vigor desde el" in versions
    assert "Versión 1 Reemplazado por la versión 2" in versions
    assert client.get(reverse("funding:city_plan", args=[first.city_id])).url == plan_url(second)


@pytest.mark.django_db
def test_only_the_latest_approved_version_is_revised(client_for, ambassador, coordinator):
    first = TransitionPlanFactory(by=ambassador, status="approved", reviewer=coordinator)
    client = client_for(ambassador)
    client.post(plan_url(first, "plan_revise"), {"revision_reason": "Otra vez"}, follow=True)
    response = client.post(plan_url(first, "plan_revise"), {"revision_reason": "Y otra"}, follow=True)
    assert page_messages(response) == ["Solo se revisa la última versión aprobada del plan."]
    assert TransitionPlan.objects.count() == 2
    assert client_for(coordinator).post(plan_url(first, "plan_revise"), {"revision_reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_a_city_without_a_plan_says_so(client_for, ambassador, coordinator, lima):
    city_id = lima.pk
    response = client_for(coordinator).get(reverse("funding:city_plan", args=[city_id]))
    assert response.status_code == 200
    assert "Lima todavía no tiene un plan de transición." in response.content.decode()
    assert START not in response.content.decode()
    page = client_for(ambassador).get(reverse("funding:city_plan", args=[city_id])).content.decode()
    assert START in page


# Milestone progress --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_milestones_status_is_kept_up_to_date_on_the_plan_in_force(client_for, ambassador, coordinator):
    plan = TransitionPlanFactory(by=ambassador, status="approved", reviewer=coordinator)
    milestone = plan.milestones.get(horizon="short")
    client = client_for(ambassador)
    page = client.get(plan_url(plan)).content.decode()
    assert f'for="milestone-{milestone.pk}-status"' in page
    response = client.post(
        reverse("funding:milestone_status", args=[milestone.pk]), {"status": "in_progress"}, follow=True
    )
    assert response.redirect_chain == [(f"{plan_url(plan)}#milestone-{milestone.pk}", 302)]
    assert page_messages(response) == ["Estado del hito «Hito 1»: En curso."]
    milestone.refresh_from_db()
    assert milestone.status == "in_progress"
    assert milestone.status_changed_at is not None
    assert "Estado: En curso" in text(section(response.content.decode(), "milestones"))

    response = client.post(reverse("funding:milestone_status", args=[milestone.pk]), {"status": "won"}, follow=True)
    assert page_messages(response) == ["Elija un estado de la lista."]
    # The coordinator reads it but does not keep it.
    coordinator_client = client_for(coordinator)
    assert 'name="status"' not in coordinator_client.get(plan_url(plan)).content.decode()
    assert (
        coordinator_client.post(
            reverse("funding:milestone_status", args=[milestone.pk]), {"status": "done"}
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_a_milestone_of_a_submitted_or_superseded_version_keeps_its_status(client_for, ambassador, coordinator):
    first = TransitionPlanFactory(by=ambassador, status="approved", reviewer=coordinator)
    old = first.milestones.get(horizon="short")
    client = client_for(ambassador)
    client.post(plan_url(first, "plan_revise"), {"revision_reason": "Nuevo inventario."})
    second = TransitionPlan.objects.get(version=2)
    client.post(plan_url(second, "plan_submit"))
    waiting = second.milestones.get(horizon="short")
    assert client.post(reverse("funding:milestone_status", args=[waiting.pk]), {"status": "done"}).status_code == 403
    client_for(coordinator).post(plan_url(second, "plan_review"), {"decision": "approve"})
    client = client_for(ambassador)
    assert client.post(reverse("funding:milestone_status", args=[old.pk]), {"status": "done"}).status_code == 403
    old.refresh_from_db()
    assert old.status == "planned"


@pytest.mark.django_db
def test_an_overdue_milestone_says_so_in_words(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    past = timezone.localdate() - datetime.timedelta(days=3)
    MilestoneFactory(plan=plan, horizon="short", title="Ordenanza de movilidad", due_on=past)
    page = client_for(ambassador).get(plan_url(plan)).content.decode()
    milestone = Milestone.objects.get(title="Ordenanza de movilidad")
    item = page[page.index(f'id="milestone-{milestone.pk}"') :]
    item = text(item[: item.index("</li>")])
    assert "Atrasado: la fecha prevista ya pasó" in item
    assert "1 atrasado" in text(page)
    assert text(page).count("Atrasado: la fecha prevista ya pasó") == 1


@pytest.mark.django_db
def test_the_opportunities_that_would_finance_a_milestone_are_listed_on_it(client_for, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    milestone = plan.milestones.get(horizon="medium")
    OpportunityFactory(by=ambassador, title="Ciudades resilientes 2027", milestones=[milestone], funder_name="")
    page = client_for(ambassador).get(plan_url(plan)).content.decode()
    item = page[page.index(f'id="milestone-{milestone.pk}"') :]
    assert "Ciudades resilientes 2027" in text(item[: item.index("</li>\n")])


@pytest.mark.django_db
def test_a_milestone_lists_its_nearest_opportunities_and_all_of_them_on_asking(client_for, ambassador, monkeypatch):
    from funding import plan_views

    monkeypatch.setattr(plan_views, "OPPORTUNITIES_PER_MILESTONE", 2)
    plan = TransitionPlanFactory(by=ambassador)
    milestone, other = plan.milestones.get(horizon="medium"), plan.milestones.get(horizon="short")
    today = timezone.localdate()
    for days in (30, 10, 20):
        OpportunityFactory(
            by=ambassador, title=f"A {days} días", milestones=[milestone], deadline=today + datetime.timedelta(days)
        )
    OpportunityFactory(by=ambassador, title="La del otro hito", milestones=[other])
    client = client_for(ambassador)

    def listed(response, of):
        return [
            o.title
            for group in response.context["timeline"]
            for m in group["milestones"]
            if m == of
            for o in m.opportunities_shown
        ]

    response = client.get(plan_url(plan))
    assert listed(response, milestone) == ["A 10 días", "A 20 días"] and listed(response, other) == ["La del otro hito"]
    link = (
        f'<a href="{plan_url(plan)}?hito={milestone.pk}#milestone-{milestone.pk}">'
        f"Ver las 3 oportunidades de «{milestone.title}»</a>"
    )
    assert link in response.content.decode()
    # The page drawn again after a refused form (at the form's POST-only address) links the same.
    refused = client.post(plan_url(plan, "plan_document_add"), {"url": "no es una dirección"})
    assert refused.status_code == 200 and link in refused.content.decode()
    assert f'"?hito={other.pk}#' not in response.content.decode()
    expanded = client.get(plan_url(plan), {"hito": milestone.pk})
    assert listed(expanded, milestone) == ["A 10 días", "A 20 días", "A 30 días"]
    assert "Ver las 3 oportunidades" not in expanded.content.decode()
    assert client.get(plan_url(plan), {"hito": "nada"}).status_code == 200


@pytest.mark.django_db
def test_opportunities_of_another_city_linked_to_a_milestone_never_hide_its_own(
    client_for, ambassador, other_ambassador, monkeypatch
):
    """Links the services refuse (made here in the database): another city's opportunities on a
    milestone are never shown, and never crowd out the city's own from its first ones."""
    from funding import plan_views

    monkeypatch.setattr(plan_views, "OPPORTUNITIES_PER_MILESTONE", 2)
    plan = TransitionPlanFactory(by=ambassador)
    milestone = plan.milestones.get(horizon="medium")
    today = timezone.localdate()
    foreign = [
        OpportunityFactory(by=other_ambassador, title=f"Ajena {days}", deadline=today + datetime.timedelta(days))
        for days in (1, 2, 3)
    ]
    milestone.opportunities.add(*foreign)
    for days in (10, 20, 30):
        OpportunityFactory(
            by=ambassador, title=f"Propia {days}", milestones=[milestone], deadline=today + datetime.timedelta(days)
        )
    client = client_for(ambassador)
    page = client.get(plan_url(plan)).content.decode()
    assert "Ajena" not in page
    assert f"Ver las 3 oportunidades de «{milestone.title}»" in page
    expanded = client.get(plan_url(plan), {"hito": milestone.pk})
    shown = [
        o.title
        for g in expanded.context["timeline"]
        for m in g["milestones"]
        if m == milestone
        for o in m.opportunities_shown
    ]
    assert shown == ["Propia 10", "Propia 20", "Propia 30"] and "Ajena" not in expanded.content.decode()


# Queries -----------------------------------------------------------------------------------


def _busy_plan(ambassador, milestones):
    plan = TransitionPlanFactory(by=ambassador)
    commitments = list(Commitment.objects.all()[:2])
    targets = [TargetFactory(city=plan.city, horizon=horizon) for horizon in ("short", "medium")]
    for number in range(milestones):
        milestone = MilestoneFactory(plan=plan, title=f"Paso {number}", horizon=("short", "medium", "long")[number % 3])
        milestone.commitments.set(commitments)
        milestone.targets.set(targets)
        OpportunityFactory(by=ambassador, milestones=[milestone])
    plan.commitments.set(commitments)
    services.document_add(by=ambassador, plan=plan, url="https://lima.example/estudio.pdf", title="Estudio")
    return plan


@pytest.mark.django_db
def test_the_plan_page_reads_a_fixed_number_of_queries(client_for, ambassador, django_assert_max_num_queries):
    plan = _busy_plan(ambassador, milestones=9)
    client = client_for(ambassador)
    client.get(plan_url(plan))  # warm the session's and the catalogue's caches
    with django_assert_max_num_queries(17 + session_queries()) as captured:
        response = client.get(plan_url(plan))
    assert response.status_code == 200
    assert text(response.content.decode()).count("Cambiar el estado de «Paso") == 9
    few = len(captured.captured_queries)
    plan.milestones.filter(title__in=["Paso 0", "Paso 1", "Paso 2", "Paso 3"]).delete()
    with django_assert_max_num_queries(few):
        client.get(plan_url(plan))


# Scope -------------------------------------------------------------------------------------


def _plan_urls(plan, milestone):
    return [
        ("get", plan_url(plan)),
        ("get", plan_url(plan, "plan_edit")),
        ("post", plan_url(plan, "plan_edit")),
        ("get", plan_url(plan, "milestone_create")),
        ("post", plan_url(plan, "milestone_create")),
        ("post", plan_url(plan, "plan_submit")),
        ("post", plan_url(plan, "plan_review")),
        ("post", plan_url(plan, "plan_revise")),
        ("post", plan_url(plan, "plan_document_add")),
        ("get", reverse("funding:milestone_edit", args=[milestone.pk])),
        ("post", reverse("funding:milestone_edit", args=[milestone.pk])),
        ("post", reverse("funding:milestone_remove", args=[milestone.pk])),
        ("post", reverse("funding:milestone_status", args=[milestone.pk])),
        ("get", reverse("funding:city_plan", args=[plan.city_id])),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
@pytest.mark.parametrize("who", ["other_ambassador", "coordinator_elsewhere"])
def test_nobody_outside_the_citys_scope_finds_its_plan(request, client_for, ambassador, status, who):
    plan = TransitionPlanFactory(by=ambassador, status=status)
    milestone = plan.milestones.first()
    client = client_for(request.getfixturevalue(who))
    data = {"decision": "approve", "comment": "x", "status": "done", "revision_reason": "x", **PLAN_TEXT}
    for method, url in _plan_urls(plan, milestone):
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    plan.refresh_from_db()
    assert (plan.status, plan.milestones.count(), plan.documents.count()) == (status, 3, 0)
    assert TransitionPlan.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, ambassador):
    plan = TransitionPlanFactory(by=ambassador)
    for url in (MY_PLAN, START, plan_url(plan)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_a_coordinator_of_the_country_and_an_admin_read_the_plan_but_do_not_write_it(
    client_for, ambassador, coordinator, admin
):
    plan = TransitionPlanFactory(by=ambassador)
    for user in (coordinator, admin):
        client = client_for(user)
        page = client.get(plan_url(plan)).content.decode()
        assert "Plan de transición de Lima" in page
        assert plan_url(plan, "plan_edit") not in page
        assert client.get(plan_url(plan, "plan_edit")).status_code == 403
        assert client.post(plan_url(plan, "plan_submit")).status_code == 403
        assert client.post(plan_url(plan, "plan_document_add"), {"url": "https://x.example"}).status_code == 403
