"""The funding rules below the pages: who keeps and reviews a plan, how versions follow each
other and which one is in force, how an opportunity moves and what it keeps of each move, and the
disbursements of an awarded one."""

import datetime
import os
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import ExifTags, Image

from commitments.models import Horizon
from commitments.sample_files import jpeg_with_gps_bytes, pdf_bytes, upload
from funding import services
from funding.models import Milestone, Opportunity, OpportunityStageChange, TransitionPlan
from funding.tests.factories import (
    DisbursementFactory,
    FunderFactory,
    MilestoneFactory,
    OpportunityFactory,
    TransitionPlanFactory,
)

pytestmark = pytest.mark.django_db


def _sees(user, model, row):
    return model.objects.visible_to(user).filter(pk=row.pk).exists()


def test_a_citys_plan_and_pipeline_are_seen_by_its_scope_only(
    ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin
):
    plan = TransitionPlanFactory(by=ambassador)
    opportunity = OpportunityFactory(by=ambassador)
    for model, row in ((TransitionPlan, plan), (Opportunity, opportunity)):
        assert _sees(ambassador, model, row)
        assert _sees(coordinator, model, row)
        assert _sees(admin, model, row)
        assert not _sees(other_ambassador, model, row)
        assert not _sees(coordinator_elsewhere, model, row)


def test_only_the_citys_ambassador_writes_its_plan_and_a_coordinator_of_its_country_reviews_it(
    ambassador, other_ambassador, coordinator, coordinator_elsewhere
):
    plan = TransitionPlanFactory(by=ambassador)
    with pytest.raises(PermissionDenied):
        services.plan_update(plan=plan, by=other_ambassador, data={"strategy": "Otra cosa"})
    with pytest.raises(PermissionDenied):
        services.plan_submit(plan=plan, by=coordinator)
    services.plan_submit(plan=plan, by=ambassador)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=ambassador)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=coordinator_elsewhere)
    with pytest.raises(ValidationError) as refused:
        services.plan_return(plan=plan, by=coordinator, comment="  ")
    assert "comment" in refused.value.message_dict
    services.plan_approve(plan=plan, by=coordinator)
    plan.refresh_from_db()
    assert plan.status == TransitionPlan.Status.APPROVED and plan.approved_at is not None
    assert [change.to_status for change in plan.status_changes.all()] == ["draft", "submitted", "approved"]


def test_a_plan_is_sent_only_with_a_diagnosis_a_strategy_and_a_milestone_on_every_horizon(ambassador):
    plan = TransitionPlanFactory(by=ambassador, milestones=False, strategy="")
    MilestoneFactory(plan=plan, horizon=Horizon.SHORT)
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=plan, by=ambassador)
    errors = refused.value.message_dict
    assert set(errors) == {"strategy", "milestones"}
    assert "mediano plazo" in errors["milestones"][0] and "largo plazo" in errors["milestones"][0]


def test_a_revision_keeps_the_approved_version_in_force_until_the_next_is_approved(ambassador, coordinator):
    first = TransitionPlanFactory(by=ambassador, status=TransitionPlan.Status.APPROVED, reviewer=coordinator)
    milestone = first.milestones.get(horizon=Horizon.MEDIUM)
    opportunity = OpportunityFactory(by=ambassador, milestones=[milestone])
    with pytest.raises(ValidationError):
        services.plan_revise(plan=first, by=ambassador, reason="")
    second = services.plan_revise(plan=first, by=ambassador, reason="Nuevo gobierno municipal")
    assert second.version == 2 and second.status == TransitionPlan.Status.DRAFT
    assert TransitionPlan.objects.in_force().get(city=first.city) == first
    copy = second.milestones.get(origin=milestone)
    assert copy.title == milestone.title and set(opportunity.milestones.all()) == {milestone, copy}
    services.milestone_save(plan=second, by=ambassador, data={"title": "Hito nuevo"}, milestone=copy)
    milestone.refresh_from_db()
    assert milestone.title == "Hito 2", "the approved version is never edited"
    with pytest.raises(ValidationError):
        services.plan_revise(plan=first, by=ambassador, reason="Otra"), "one version in preparation at a time"
    between = timezone.now()
    services.plan_submit(plan=second, by=ambassador)
    services.plan_approve(plan=second, by=coordinator)
    assert TransitionPlan.objects.in_force().get(city=first.city) == second
    assert TransitionPlan.objects.in_force(on=between).get(city=first.city) == first


def test_progress_of_a_milestone_is_kept_on_the_plan_in_force_without_a_new_version(ambassador, coordinator):
    plan = TransitionPlanFactory(by=ambassador, status=TransitionPlan.Status.APPROVED, reviewer=coordinator)
    milestone = plan.milestones.first()
    with pytest.raises(PermissionDenied):
        services.milestone_set_status(milestone=milestone, by=coordinator, status=Milestone.Status.DONE)
    services.milestone_set_status(milestone=milestone, by=ambassador, status=Milestone.Status.DONE)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE and milestone.status_changed_at is not None
    with pytest.raises(PermissionDenied):
        services.milestone_save(plan=plan, by=ambassador, data={"title": "Otro"}, milestone=milestone)


def test_overdue_milestones_are_the_open_ones_past_their_date(ambassador):
    plan = TransitionPlanFactory(by=ambassador, milestones=False)
    late = MilestoneFactory(plan=plan, due_on=datetime.date(2026, 1, 31))
    MilestoneFactory(plan=plan, due_on=datetime.date(2027, 1, 31))
    done = MilestoneFactory(plan=plan, due_on=datetime.date(2026, 1, 31))
    services.milestone_set_status(milestone=done, by=ambassador, status=Milestone.Status.DONE)
    assert list(Milestone.objects.overdue(today=datetime.date(2026, 12, 2))) == [late]


def test_every_stage_change_goes_through_one_service_that_keeps_who_when_from_to_and_why(
    ambassador, other_ambassador, coordinator
):
    opportunity = OpportunityFactory(by=ambassador, amount=Decimal("100000.00"))
    with pytest.raises(PermissionDenied):
        services.opportunity_move(opportunity=opportunity, by=other_ambassador, to_stage="preparing")
    with pytest.raises(PermissionDenied):
        services.opportunity_move(opportunity=opportunity, by=coordinator, to_stage="preparing")
    with pytest.raises(ValidationError):
        services.opportunity_move(opportunity=opportunity, by=ambassador, to_stage="awarded")
    services.opportunity_move(opportunity=opportunity, by=ambassador, to_stage="preparing")
    services.opportunity_move(opportunity=opportunity, by=ambassador, to_stage="submitted", comment="Enviada")
    services.opportunity_move(
        opportunity=opportunity, by=ambassador, to_stage="awarded", amount_awarded=Decimal("80000.00")
    )
    opportunity.refresh_from_db()
    assert opportunity.stage == "awarded" and opportunity.amount_awarded == Decimal("80000.00")
    assert opportunity.decided_on == timezone.localdate()
    changes = list(OpportunityStageChange.objects.filter(opportunity=opportunity))
    assert [(c.from_stage, c.to_stage) for c in changes] == [
        ("", "identified"),
        ("identified", "preparing"),
        ("preparing", "submitted"),
        ("submitted", "awarded"),
    ]
    assert {c.by for c in changes} == {ambassador} and changes[2].comment == "Enviada"
    with pytest.raises(ValidationError):
        services.opportunity_move(opportunity=opportunity, by=ambassador, to_stage="rejected"), "decided is final"
    assert opportunity.history.count() == 4, "created, then one entry per move"


def test_a_stale_move_is_refused_rather_than_applied_twice(ambassador):
    opportunity = OpportunityFactory(by=ambassador)
    stale = Opportunity.objects.get(pk=opportunity.pk)
    services.opportunity_move(opportunity=opportunity, by=ambassador, to_stage="withdrawn")
    with pytest.raises(ValidationError):
        services.opportunity_move(opportunity=stale, by=ambassador, to_stage="withdrawn")
    assert opportunity.stage_changes.filter(to_stage="withdrawn").count() == 1


def test_an_opportunity_links_only_milestones_and_actions_of_its_own_city(ambassador, other_ambassador):
    elsewhere = TransitionPlanFactory(by=other_ambassador)
    with pytest.raises(ValidationError) as refused:
        OpportunityFactory(by=ambassador, milestones=list(elsewhere.milestones.all()))
    assert "milestones" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        OpportunityFactory(by=ambassador, funder=None, funder_name="")
    assert "funder" in refused.value.message_dict


def test_disbursements_come_on_an_awarded_opportunity_and_never_exceed_what_was_awarded(ambassador):
    submitted = OpportunityFactory(by=ambassador, stage="submitted")
    with pytest.raises(ValidationError):
        services.disbursement_add(
            opportunity=submitted, by=ambassador, amount=Decimal("1"), received_on=timezone.localdate()
        )
    awarded = OpportunityFactory(by=ambassador, stage="awarded", amount_awarded=Decimal("100.00"))
    DisbursementFactory(opportunity=awarded, amount=Decimal("60.00"))
    with pytest.raises(ValidationError) as refused:
        DisbursementFactory(opportunity=awarded, amount=Decimal("40.01"))
    assert refused.value.message_dict["amount"] == ["Supera lo que queda por recibir: 40,00 USD."]
    with pytest.raises(ValidationError) as refused:
        DisbursementFactory(
            opportunity=awarded, amount=Decimal("1"), received_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert "received_on" in refused.value.message_dict
    DisbursementFactory(opportunity=awarded, amount=Decimal("40.00"))
    assert services.disbursed_total(awarded) == Decimal("100.00")


def test_a_funder_named_from_the_catalogue_drops_the_typed_name(ambassador):
    funder = FunderFactory(name="Banco Interamericano de Desarrollo")
    opportunity = OpportunityFactory(by=ambassador, funder=funder, funder_name="BID")
    assert opportunity.funder_label == "Banco Interamericano de Desarrollo" and opportunity.funder_name == ""


def test_what_a_decision_fixed_stays_fixed_and_dates_keep_their_order(ambassador):
    opportunity = OpportunityFactory(by=ambassador, identified_on=datetime.date(2026, 3, 1))
    services.opportunity_move(opportunity=opportunity, by=ambassador, to_stage="submitted")
    with pytest.raises(ValidationError) as refused:
        services.opportunity_move(
            opportunity=opportunity, by=ambassador, to_stage="awarded", decided_on=datetime.date(2026, 2, 1)
        )
    assert "decided_on" in refused.value.message_dict, "a decision before the opportunity was found"
    services.opportunity_move(opportunity=opportunity, by=ambassador, to_stage="awarded")
    opportunity.refresh_from_db()
    for field, value in (("currency", "PEN"), ("identified_on", datetime.date(2026, 1, 5)), ("amount", Decimal(1))):
        with pytest.raises(ValidationError) as refused:
            services.opportunity_update(opportunity=opportunity, by=ambassador, data={field: value})
        assert set(refused.value.message_dict) == {field}, "it would change the money already counted"
    with pytest.raises(ValidationError) as refused:
        OpportunityFactory(by=ambassador, identified_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "identified_on" in refused.value.message_dict


def test_progress_kept_on_the_plan_in_force_reaches_the_version_in_preparation(ambassador, coordinator):
    first = TransitionPlanFactory(by=ambassador, status=TransitionPlan.Status.APPROVED, reviewer=coordinator)
    second = services.plan_revise(plan=first, by=ambassador, reason="Nuevo gobierno municipal")
    milestone = first.milestones.get(horizon=Horizon.SHORT)
    services.milestone_set_status(milestone=milestone, by=ambassador, status=Milestone.Status.DONE)
    services.plan_submit(plan=second, by=ambassador)
    services.plan_approve(plan=second, by=coordinator)
    assert second.milestones.get(origin=milestone).status == Milestone.Status.DONE


def test_a_document_is_taken_as_evidence_is_and_its_file_goes_with_its_last_row(
    ambassador, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    opportunity = OpportunityFactory(by=ambassador)
    photo = services.document_add(
        by=ambassador, opportunity=opportunity, uploaded_file=upload("obra.jpg", jpeg_with_gps_bytes())
    )
    with photo.file.open("rb") as stored:
        assert ExifTags.IFD.GPSInfo not in Image.open(stored).getexif(), "a photo's GPS position is not kept"
    path = photo.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(document=photo, by=ambassador)
    assert not os.path.exists(path), "a removed file does not stay on the disk"
    assert services.documents_uploaded_in_the_last_hour(ambassador) == 1, "a removed upload still counts"


def test_a_file_shared_by_two_versions_of_a_plan_stays_while_one_names_it(
    ambassador, coordinator, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    first = TransitionPlanFactory(by=ambassador, status=TransitionPlan.Status.DRAFT)
    study = services.document_add(by=ambassador, plan=first, uploaded_file=upload("estudio.pdf", pdf_bytes()))
    services.plan_submit(plan=first, by=ambassador)
    services.plan_approve(plan=first, by=coordinator)
    second = services.plan_revise(plan=first, by=ambassador, reason="Nuevo gobierno municipal")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(document=second.documents.get(), by=ambassador)
    study.refresh_from_db()
    assert os.path.exists(study.file.path), "version 1 still shows it"


def test_the_hourly_upload_cap_counts_evidence_and_documents_together(ambassador, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("commitments.evidence.MAX_UPLOADS_PER_HOUR", 2)
    opportunity = OpportunityFactory(by=ambassador)
    for name in ("a.pdf", "b.pdf"):
        services.document_add(by=ambassador, opportunity=opportunity, uploaded_file=upload(name, pdf_bytes()))
    with pytest.raises(ValidationError) as refused:
        services.document_add(by=ambassador, opportunity=opportunity, uploaded_file=upload("c.pdf", pdf_bytes()))
    assert "en la última hora" in refused.value.message_dict["file"][0]
