"""Every fund row of an action becomes an opportunity of the action's city, linked to the action,
losing nothing: its amount, currency, funder (as typed), its stage (identified → identified,
applied → submitted, awarded → awarded, disbursed → awarded with one disbursement of the whole
amount), who recorded it and when, the history of its changes (as the opportunity's history and,
for each change of stage, a stage change with who and when), and its USD (the opportunity is
identified on the action's start date, whose rate the fund's USD used). commitments 0019 then
drops the fund tables. Backwards, each opportunity linked to an action becomes its fund again."""

from django.db import migrations

BATCH = 2000
STAGE = {"identified": "identified", "applied": "submitted", "awarded": "awarded", "disbursed": "awarded"}
BACK = {"identified": "identified", "preparing": "identified", "submitted": "applied", "awarded": "awarded"}
MIGRATED = "Registrada como fondo de la acción «%s» antes de que existiera el seguimiento de financiamiento."


def _day(action):
    return action.started_on or action.created_at.date()


def funds_to_opportunities(apps, schema_editor):
    Fund = apps.get_model("commitments", "Fund")
    HistoricalFund = apps.get_model("commitments", "HistoricalFund")
    Opportunity = apps.get_model("funding", "Opportunity")
    HistoricalOpportunity = apps.get_model("funding", "HistoricalOpportunity")
    StageChange = apps.get_model("funding", "OpportunityStageChange")
    Disbursement = apps.get_model("funding", "Disbursement")
    Through = Opportunity.actions.through
    ids = list(Fund.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        funds = list(
            Fund.objects.filter(pk__in=ids[start : start + BATCH]).select_related("action__ambassador").order_by("pk")
        )
        histories = {}
        for row in HistoricalFund.objects.filter(id__in=[fund.pk for fund in funds]).order_by("history_date", "pk"):
            histories.setdefault(row.id, []).append(row)
        opportunities = []
        for fund in funds:
            action = fund.action
            history = histories.get(fund.pk, [])
            first = history[0] if history else None
            stage = STAGE[fund.stage]
            opportunities.append(
                Opportunity(
                    city_id=action.city_id,
                    funder_name=fund.funder,
                    title=action.title[:200],
                    amount=fund.amount,
                    currency=fund.currency,
                    amount_awarded=fund.amount if stage == "awarded" else None,
                    identified_on=_day(action),
                    stage=stage,
                    stage_changed_at=history[-1].history_date if history else action.created_at,
                    decided_on=(action.ended_on or _day(action)) if stage == "awarded" else None,
                    notes="",
                    created_by_id=(first.history_user_id if first and first.history_user_id else None)
                    or action.ambassador.user_id,
                    created_at=first.history_date if first else action.created_at,
                )
            )
        Opportunity.objects.bulk_create(opportunities)
        through, changes, disbursements, rows = [], [], [], []
        for fund, opportunity in zip(funds, opportunities, strict=True):
            action = fund.action
            through.append(Through(opportunity_id=opportunity.pk, action_id=action.pk))
            comment = MIGRATED % action.title
            history = histories.get(fund.pk, [])
            previous = ""
            for row in history:
                mapped = STAGE[row.stage] if row.history_type != "-" else previous
                if mapped != previous:
                    changes.append(
                        StageChange(
                            opportunity_id=opportunity.pk,
                            from_stage=previous,
                            to_stage=mapped,
                            by_id=row.history_user_id,
                            at=row.history_date,
                            comment=comment if not previous else "",
                        )
                    )
                    previous = mapped
                rows.append(
                    HistoricalOpportunity(
                        id=opportunity.pk,
                        city_id=action.city_id,
                        funder_name=row.funder,
                        title=opportunity.title,
                        amount=row.amount,
                        currency=row.currency,
                        amount_awarded=row.amount if STAGE[row.stage] == "awarded" else None,
                        identified_on=opportunity.identified_on,
                        stage=STAGE[row.stage],
                        stage_changed_at=row.history_date,
                        decided_on=opportunity.decided_on if STAGE[row.stage] == "awarded" else None,
                        notes="",
                        created_by_id=opportunity.created_by_id,
                        created_at=opportunity.created_at,
                        updated_at=row.history_date,
                        history_date=row.history_date,
                        history_type="~" if row.history_type == "-" else row.history_type,
                        history_user_id=row.history_user_id,
                        history_change_reason=row.history_change_reason,
                    )
                )
            if previous != opportunity.stage:  # no history (rows written before it was kept), or out of step
                changes.append(
                    StageChange(
                        opportunity_id=opportunity.pk,
                        from_stage=previous,
                        to_stage=opportunity.stage,
                        by_id=opportunity.created_by_id,
                        at=opportunity.stage_changed_at,
                        comment=comment if not previous else "",
                    )
                )
            if fund.stage == "disbursed":
                disbursements.append(
                    Disbursement(
                        opportunity_id=opportunity.pk,
                        amount=fund.amount,
                        received_on=opportunity.decided_on,
                        note="",
                        recorded_by_id=opportunity.created_by_id,
                        recorded_at=opportunity.stage_changed_at,
                    )
                )
        Through.objects.bulk_create(through)
        StageChange.objects.bulk_create(changes)
        Disbursement.objects.bulk_create(disbursements)
        HistoricalOpportunity.objects.bulk_create(rows)


def opportunities_to_funds(apps, schema_editor):
    Fund = apps.get_model("commitments", "Fund")
    Opportunity = apps.get_model("funding", "Opportunity")
    Disbursement = apps.get_model("funding", "Disbursement")
    funds = []
    for opportunity in Opportunity.objects.filter(stage__in=BACK).prefetch_related("actions").select_related("funder"):
        action = next(iter(opportunity.actions.all()), None)
        if action is None:
            continue
        stage = BACK[opportunity.stage]
        amount = opportunity.amount
        if stage == "awarded":
            amount = opportunity.amount_awarded
            if Disbursement.objects.filter(opportunity=opportunity).exists():
                stage = "disbursed"
        funds.append(
            Fund(
                action=action,
                amount=amount,
                currency=opportunity.currency,
                funder=opportunity.funder.name if opportunity.funder_id else opportunity.funder_name,
                stage=stage,
            )
        )
    Fund.objects.bulk_create(funds)
    Opportunity.objects.filter(actions__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_funding"),
        ("commitments", "0018_typed_text_checks"),
    ]

    operations = [migrations.RunPython(funds_to_opportunities, opportunities_to_funds)]
