"""A transition plan per city: its diagnosis and strategy, three to six milestones on the three
horizons (serving a commitment, some a target of the city), and the review the plan went
through (most approved; some sent, returned or still a draft; a few approved plans have a
version 2 in draft, whose milestones are copies that remember their origin, as
funding.services.plan_revise makes them). Then the opportunities chosen to finance a milestone
(Pipeline.to_milestones) are linked to one of their city's plan, and to its copy in a version 2."""

from funding.models import Milestone, Opportunity, PlanStatusChange, TransitionPlan

from .moments import DAY, HOUR
from .tables import Table, reset_sequences

DIAGNOSES = [
    "El transporte genera cerca de la mitad de las emisiones; las olas de calor son más largas cada año.",
    "La ciudad depende de una sola fuente de agua y la sequía de los últimos años obligó a racionarla.",
    "Los barrios de ladera concentran el riesgo de deslizamientos y la mitad de los asentamientos informales.",
    "Los residuos orgánicos son el 60 % de lo que llega al relleno sanitario, que se llena en cinco años.",
    "El río que cruza la ciudad recibe aguas residuales sin tratar de un tercio de los hogares.",
]
PRIORITIES = [
    "Movilidad eléctrica y activa", "Eficiencia energética en edificios públicos", "Seguridad hídrica",
    "Gestión integral de residuos", "Soluciones basadas en la naturaleza", "Gestión del riesgo de desastres",
    "Empleos verdes", "Saneamiento de ríos urbanos",
]  # fmt: skip
MILESTONES = {
    "short": ["Inventario de emisiones publicado", "Cartera de proyectos bancables", "Diagnóstico de riesgo hídrico",
              "Piloto de compostaje en mercados", "Auditorías energéticas en edificios públicos"],
    "medium": ["Corredores de transporte eléctrico", "Captación de lluvia en escuelas", "Parques inundables",
               "Planta de tratamiento de aguas residuales", "Recuperación de riberas"],
    "long": ["Transporte público sin emisiones", "Agua segura para toda la ciudad", "Cero residuos al relleno",
             "Ciudad carbono neutral"],
}  # fmt: skip
RESPONSIBLES = [
    "Secretaría de Ambiente", "Secretaría de Movilidad", "Empresa de agua y saneamiento", "Secretaría de Obras",
    "Dirección de Gestión del Riesgo", "Secretaría de Finanzas", "Dirección de Planeamiento",
]  # fmt: skip
# The extra milestones' horizons, beyond one on each.
HORIZONS = ["short", "short", "medium", "long"]
# How far after the plan's start each horizon's milestones are due (days).
DUE = {"short": (90, 450), "medium": (730, 730), "long": (1825, 1825)}
APPROVE_COMMENT = "Aprobado."
RETURN_COMMENT = "Indique quién es responsable de cada hito."
REVISION_REASON = "Se ajustan los plazos al financiamiento conseguido."


def create_plans(rng, ctx, target_of, to_milestones):
    """Write the plans; returns {table: rows written}. `target_of`: {(city index, horizon): target
    id}; `to_milestones`: [(opportunity id, city index)]."""
    r = rng.random
    calendar = ctx["calendar"]
    cap, span = calendar.cap, calendar.span
    moment = calendar.moment
    codes = {commitment.code: commitment.id for commitment in ctx["commitments"]}
    plan_commitments = [codes[code] for code in ("1.4", "3.1") if code in codes] or [ctx["commitments"][0].id]
    plans = Table(
        TransitionPlan,
        [
            *("id", "city_id", "version", "status", "diagnosis_summary", "diagnosis_on", "strategy"),
            *("revision_reason", "created_by_id", "created_at", "updated_at", "submitted_at", "approved_at"),
        ],
    )
    plan_links = Table(TransitionPlan.commitments.through, ["id", "transitionplan_id", "commitment_id"])
    changes = Table(PlanStatusChange, ["id", "plan_id", "from_status", "to_status", "by_id", "at", "comment"])
    milestones = Table(
        Milestone,
        [
            *("id", "plan_id", "origin_id", "horizon", "title", "description", "due_on", "responsible", "status"),
            "status_changed_at",
        ],
    )
    milestone_commitments = Table(Milestone.commitments.through, ["id", "milestone_id", "commitment_id"])
    milestone_targets = Table(Milestone.targets.through, ["id", "milestone_id", "target_id"])
    financed = Table(Opportunity.milestones.through, ["id", "opportunity_id", "milestone_id"])
    ids = {table: table.next_id() for table in (plans, plan_links, changes, milestones)}
    ids |= {table: table.next_id() for table in (milestone_commitments, milestone_targets, financed)}

    def next_id(table):
        ids[table] += 1
        return ids[table] - 1

    rows = {table: [] for table in ids}
    milestones_of = {}  # city index: [(milestone id, its copy's id or None)]
    for c, (city_id, country) in enumerate(ctx["cities"]):
        author = ctx["ambassador_users"][c]
        reviewer = ctx["all_coordinator"] if r() < 0.1 else ctx["coordinator_of"][country]
        draw = r()
        status = "approved" if draw < 0.7 else "submitted" if draw < 0.8 else "returned" if draw < 0.88 else "draft"
        revised = status == "approved" and r() < 0.1
        # The review, in seconds from the window's start: each step a few days after the last.
        created = int(r() * span * 0.7) * DAY + 9 * HOUR + int(r() * 8 * HOUR)
        steps = [("", "draft", author, "")]
        if status != "draft":
            steps.append(("draft", "submitted", author, ""))
            if status == "returned" or (status == "approved" and r() < 0.3):
                steps.append(("submitted", "returned", reviewer, RETURN_COMMENT))
            if status == "approved":
                if steps[-1][1] == "returned":
                    steps.append(("returned", "submitted", author, ""))
                steps.append(("submitted", "approved", reviewer, APPROVE_COMMENT))
        gaps = [int((2 + r() * 30) * DAY) for _step in steps[1:]]
        room = cap - created
        if sum(gaps) > room:
            gaps = [max(1, gap * room // sum(gaps)) for gap in gaps]
        moments = [created]
        for gap in gaps:
            moments.append(moments[-1] + gap)
        sent = [at for (_from, to, _by, _comment), at in zip(steps, moments, strict=True) if to == "submitted"]
        submitted = sent[-1] if sent else None
        approved = moments[-1] if status == "approved" else None
        plan_id = next_id(plans)
        strategy = "\n".join(PRIORITIES[int(r() * len(PRIORITIES))] for _ in range(3))
        diagnosis = DIAGNOSES[int(r() * len(DIAGNOSES))]
        diagnosis_on = calendar.date(created // DAY - 10 - int(r() * 50))
        rows[plans].append(
            (
                *(plan_id, city_id, 1, status, diagnosis, diagnosis_on, strategy, "", author),
                *(moment(created), moment(moments[-1]), submitted and moment(submitted), approved and moment(approved)),
            )
        )
        for (from_status, to_status, by, comment), at in zip(steps, moments, strict=True):
            rows[changes].append((next_id(changes), plan_id, from_status, to_status, by, moment(at), comment))
        for commitment_id in plan_commitments:
            rows[plan_links].append((next_id(plan_links), plan_id, commitment_id))

        # Version 2, a draft started some weeks after the approval, when there is still time.
        revision = None
        if revised:
            revision = approved + int((30 + r() * 270) * DAY)
            if revision > cap:
                revision = None
        copy_id = None
        if revision is not None:
            copy_id = next_id(plans)
            rows[plans].append(
                (
                    *(copy_id, city_id, 2, "draft", diagnosis, diagnosis_on, strategy, REVISION_REASON, author),
                    *(moment(revision), moment(revision), None, None),
                )
            )
            rows[changes].append((next_id(changes), copy_id, "", "draft", author, moment(revision), REVISION_REASON))
            for commitment_id in plan_commitments:
                rows[plan_links].append((next_id(plan_links), copy_id, commitment_id))

        start_day = created // DAY
        city_milestones = []
        horizons = ["short", "medium", "long"] + [HORIZONS[int(r() * len(HORIZONS))] for _ in range(int(r() * 4))]
        for horizon in horizons:
            low, spread = DUE[horizon]
            due_day = start_day + low + int(r() * spread)
            if due_day < span:
                draw = r()
                progress = "done" if draw < 0.6 else "dropped" if draw < 0.7 else "in_progress" if draw < 0.85 else ""
            else:
                progress = "in_progress" if r() < 0.25 else ""
            status_changed = None
            if progress:
                status_changed = moment(created + HOUR + int(r() * (cap - created - HOUR)))
            fields = (
                horizon,
                MILESTONES[horizon][int(r() * len(MILESTONES[horizon]))],
                "",
                calendar.date(due_day),
                RESPONSIBLES[int(r() * len(RESPONSIBLES))],
                progress or "planned",
                status_changed,
            )
            commitment_id = plan_commitments[int(r() * len(plan_commitments))]
            target_id = target_of.get((c, horizon)) if r() < 0.5 else None
            milestone_id = next_id(milestones)
            versions = [(milestone_id, plan_id, None)]
            if copy_id is not None:
                versions.append((next_id(milestones), copy_id, milestone_id))
            for version_id, version_plan, origin in versions:
                rows[milestones].append((version_id, version_plan, origin, *fields))
                rows[milestone_commitments].append((next_id(milestone_commitments), version_id, commitment_id))
                if target_id is not None:
                    rows[milestone_targets].append((next_id(milestone_targets), version_id, target_id))
            city_milestones.append([version_id for version_id, _plan, _origin in versions])
        milestones_of[c] = city_milestones

    for opportunity_id, c in to_milestones:
        versions = milestones_of[c][int(r() * len(milestones_of[c]))]
        for milestone_id in versions:
            rows[financed].append((next_id(financed), opportunity_id, milestone_id))

    names = {
        plans: "plans",
        plan_links: "plan commitments",
        changes: "plan status changes",
        milestones: "milestones",
        milestone_commitments: "milestone commitments",
        milestone_targets: "milestone targets",
        financed: "opportunity milestones",
    }
    for table in names:  # parents first
        table.write(rows[table])
    reset_sequences([table.model for table in names])
    return {name: table.written for table, name in names.items()}


def plan_models():
    """What create_plans writes, for the foreign-key checks."""
    return [
        TransitionPlan,
        TransitionPlan.commitments.through,
        PlanStatusChange,
        Milestone,
        Milestone.commitments.through,
        Milestone.targets.through,
        Opportunity.milestones.through,
    ]
