"""The funding pipeline: opportunities found for actions (about one action in ten, as the fund
rows once were, most of them under 1.4), each linked to its action, in a stage drawn with
weights, with the stage changes funding.services.opportunity_move would have recorded, the
amount awarded and the day of the decision, and disbursements on a share of the awarded ones.

Rows are made while the actions are (generate_actions calls `add` for each opportunity of an
action and writes `batches()` with the action's chunk); which opportunities would finance a
milestone is decided here too, and linked once the plans exist (plans.create_plans).
"""

import bisect
import itertools

from funding.models import Disbursement, Opportunity, OpportunityStageChange

from .moments import DAY, HOUR
from .money import OTHER_FUNDER_SHARE, OTHER_FUNDERS, STAGE_WEIGHTS, STAGES
from .tables import Table

TITLES = [
    "Convocatoria de ciudades resilientes", "Fondo de preparación de proyectos climáticos",
    "Préstamo para movilidad eléctrica", "Cooperación técnica en eficiencia energética",
    "Donación para soluciones basadas en la naturaleza", "Línea de crédito verde municipal",
    "Programa de agua y saneamiento", "Fondo de adaptación al cambio climático",
    "Convocatoria de innovación urbana", "Asistencia técnica para el plan de acción climática",
    "Programa de gestión integral de residuos", "Financiamiento de infraestructura verde",
]  # fmt: skip
TRANCHES = ["Primer tramo", "Segundo tramo", "Tercer tramo"]
MILESTONE_SHARE = 0.3  # of the opportunities would finance a milestone of their city's plan

Stage = Opportunity.Stage
IDENTIFIED, PREPARING, SUBMITTED = Stage.IDENTIFIED, Stage.PREPARING, Stage.SUBMITTED
AWARDED, REJECTED, WITHDRAWN = Stage.AWARDED, Stage.REJECTED, Stage.WITHDRAWN
DECIDED = (AWARDED, REJECTED)


def pipeline_models():
    """What Pipeline writes, parents first."""
    return [Opportunity, OpportunityStageChange, Opportunity.actions.through, Disbursement]


class Pipeline:
    """The opportunities' rows of a chunk of actions, and what to link once the plans exist."""

    def __init__(self, rng, ctx):
        self.r = rng.random
        self.calendar = ctx["calendar"]
        self.funder_ids = ctx["funder_ids"]
        self.opportunities = Table(
            Opportunity,
            [
                *("id", "city_id", "funder_id", "funder_name", "title", "deadline", "amount", "currency"),
                *("amount_awarded", "identified_on", "stage", "stage_changed_at", "decided_on", "notes"),
                *("created_by_id", "created_at", "updated_at"),
            ],
        )
        self.changes = Table(
            OpportunityStageChange, ["id", "opportunity_id", "from_stage", "to_stage", "by_id", "at", "comment"]
        )
        self.links = Table(Opportunity.actions.through, ["id", "opportunity_id", "action_id"])
        self.disbursements = Table(
            Disbursement, ["id", "opportunity_id", "amount", "received_on", "note", "recorded_by_id", "recorded_at"]
        )
        self.opportunity_id = self.opportunities.next_id()
        self.change_id = self.changes.next_id()
        self.link_id = self.links.next_id()
        self.disbursement_id = self.disbursements.next_id()
        self.stage_weights = list(itertools.accumulate(STAGE_WEIGHTS))
        self.to_milestones = []  # (opportunity id, city index): linked to a milestone by plans.create_plans
        self._reset()

    def _reset(self):
        self.opportunity_rows, self.change_rows, self.link_rows, self.disbursement_rows = [], [], [], []

    def tables(self):
        return {
            "opportunities": self.opportunities,
            "stage changes": self.changes,
            "opportunity actions": self.links,
            "disbursements": self.disbursements,
        }

    def batches(self):
        """The chunk's rows for Writer.write, parents first; the next chunk starts empty."""
        batches = [
            (self.opportunities, self.opportunity_rows),
            (self.changes, self.change_rows),
            (self.links, self.link_rows),
            (self.disbursements, self.disbursement_rows),
        ]
        self._reset()
        return batches

    def _path(self, stage):
        """The stages the opportunity went through after being identified, with the time each
        move took (seconds)."""
        r = self.r
        path = []
        if stage == PREPARING or (stage in (SUBMITTED, *DECIDED) and r() < 0.7) or (stage == WITHDRAWN and r() < 0.5):
            path.append((PREPARING, int((2 + r() * 28) * DAY)))
        if stage in (SUBMITTED, *DECIDED):
            path.append((SUBMITTED, int((7 + r() * 53) * DAY)))
        if stage in DECIDED:
            path.append((stage, int((20 + r() * 130) * DAY)))
        if stage == WITHDRAWN:
            path.append((WITHDRAWN, int((5 + r() * 60) * DAY)))
        return path

    def add(self, *, action_id, c, city_id, author, day, created, currency, amount):
        """An opportunity of the action `action_id` (city index `c`), identified when the action
        was created (`created`, seconds) and converted at the rate of the action's `day`."""
        r, calendar = self.r, self.calendar
        opportunity_id = self.opportunity_id
        self.opportunity_id += 1
        stage = STAGES[bisect.bisect(self.stage_weights, r() * self.stage_weights[-1])]
        path = self._path(stage)
        # The story ends before today: the moves of an opportunity found lately took less time.
        room = calendar.cap - created
        total = sum(seconds for _stage, seconds in path)
        if total > room:
            path = [(to, max(1, seconds * room // total)) for to, seconds in path]
        moments = [created]
        for _to, seconds in path:
            moments.append(moments[-1] + seconds)

        by_stage = dict(zip([IDENTIFIED, *(to for to, _seconds in path)], moments, strict=True))
        if SUBMITTED in by_stage:
            deadline = calendar.date(by_stage[SUBMITTED] // DAY + int(r() * 10))
        else:
            deadline = None if r() < 0.1 else calendar.date(day + 15 + int(r() * 105))
        awarded = decided_on = None
        if stage in DECIDED:
            decided_on = calendar.text[moments[-1] // DAY]
        if stage == AWARDED:
            awarded = amount if r() < 0.6 else f"{max(float(amount) * (0.5 + r() * 0.45), 0.01):.2f}"
        if r() < OTHER_FUNDER_SHARE:
            funder_id, funder_name = None, OTHER_FUNDERS[int(r() * len(OTHER_FUNDERS))]
        else:
            funder_id, funder_name = self.funder_ids[int(r() * len(self.funder_ids))], ""

        texts = [calendar.moment(moment) for moment in moments]
        last = texts[-1]
        last_moment = moments[-1]
        if stage == AWARDED and r() < 0.6:
            last_moment = self._disburse(opportunity_id, awarded, moments[-1], author) or last_moment
        self.opportunity_rows.append(
            (
                opportunity_id,
                city_id,
                funder_id,
                funder_name,
                TITLES[int(r() * len(TITLES))],
                deadline,
                amount,
                currency,
                awarded,
                calendar.text[day],
                stage,
                last,
                decided_on,
                "",
                author,
                texts[0],
                calendar.moment(last_moment),
            )
        )
        from_stage = ""
        for to_stage, at in zip([IDENTIFIED, *(to for to, _seconds in path)], texts, strict=True):
            self.change_rows.append((self.change_id, opportunity_id, from_stage, to_stage, author, at, ""))
            self.change_id += 1
            from_stage = to_stage
        self.link_rows.append((self.link_id, opportunity_id, action_id))
        self.link_id += 1
        if r() < MILESTONE_SHARE:
            self.to_milestones.append((opportunity_id, c))

    def _disburse(self, opportunity_id, awarded, decided, author):
        """One to three disbursements received after the decision and before today: all the
        money awarded, or part of it. Returns when the last was recorded (None: none could be)."""
        r, calendar = self.r, self.calendar
        first_day, last_day = decided // DAY, calendar.span - 1
        if first_day > last_day:
            return None
        awarded_cents = int(awarded.replace(".", ""))
        total = awarded_cents if r() < 0.4 else int(awarded_cents * (0.3 + r() * 0.6))
        count = min(1 + int(r() * 3), total)
        if count < 1:
            return None
        weights = [0.5 + r() for _ in range(count)]
        parts = [max(1, int(total * weight / sum(weights))) for weight in weights[:-1]]
        parts.append(total - sum(parts))
        if parts[-1] < 1:
            parts = [total]
        days = sorted(first_day + int(r() * (last_day - first_day + 1)) for _ in parts)
        recorded = decided
        for number, (cents, received) in enumerate(zip(parts, days, strict=True)):
            recorded = min(max(received * DAY + 15 * HOUR, recorded + HOUR), calendar.cap)
            self.disbursement_rows.append(
                (
                    self.disbursement_id,
                    opportunity_id,
                    f"{cents // 100}.{cents % 100:02d}",
                    calendar.text[received],
                    TRANCHES[number],
                    author,
                    calendar.moment(recorded),
                )
            )
            self.disbursement_id += 1
        return recorded
