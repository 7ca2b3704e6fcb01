"""What the project-wide tests share: every URL pattern of the URL conf, and the actions, the
funding pipeline and the hazard log they act on."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from ambassadors.models import Ambassador
from ambassadors.tests.factories import AmbassadorFactory, CityFactory
from commitments import services
from commitments.models import Action, Commitment, Indicator
from commitments.sample_files import pdf_bytes, upload
from commitments.tests.factories import ActionFactory
from funding import services as funding_services
from funding.tests.factories import DisbursementFactory, OpportunityFactory, TransitionPlanFactory
from hazards.tests.factories import HazardEventFactory, HazardResponseFactory
from public import services as public_services


@dataclass(frozen=True)
class Pattern:
    name: str  # canonical: the namespaced name, or the route when the pattern has none
    route: str  # the full route, as ResolverMatch.route gives it
    url_name: str | None  # for reverse()
    view: object  # the callable the pattern resolves to
    model_admin: django_admin.ModelAdmin | None = None
    template: str | None = None  # the name with {app} and {model} for a ModelAdmin's URL


def url_patterns():
    """Every URL pattern of the project, found by walking the resolver."""
    site = django_admin.site
    model_prefixes = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model_admin
        for model, model_admin in site._registry.items()
    }
    found = []

    def walk(resolver, prefix, namespace, model_admin):
        for entry in resolver.url_patterns:
            route = URLResolver._join_route(prefix, str(entry.pattern))
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                owner = model_admin
                if namespace == site.name and str(entry.pattern) in model_prefixes:
                    owner = model_prefixes[str(entry.pattern)]
                walk(entry, route, inner or None, owner)
                continue
            assert isinstance(entry, URLPattern)
            url_name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            template = None
            if model_admin is not None:
                opts = model_admin.model._meta
                app_model = {"app": opts.app_label, "model": opts.model_name}
                if url_name:
                    template = url_name.replace("{app}_{model}_".format(**app_model), "{app}_{model}_", 1)
                else:
                    template = route.replace("{app}/{model}/".format(**app_model), "{app}/{model}/", 1)
            found.append(Pattern(url_name or route, route, url_name, entry.callback, model_admin, template))

    walk(get_resolver(), "", None, None)
    return found


def lima_work(ambassador, lima):
    """What the requests act on: Alicia's draft with a file, her submitted action and a target of
    Lima. Returns (draft, evidence, submitted, target)."""
    commitment = Commitment.objects.with_axis().get(axis__number=3, number=1)
    draft = ActionFactory(
        by=ambassador, commitment=commitment, title="Jornada de limpieza del río", description="Con 40 vecinos."
    )
    evidence = services.evidence_add_file(action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    submitted = services.action_submit(
        action=ActionFactory(
            by=ambassador, commitment=commitment, title="Huerto escolar", description="Con 40 vecinos."
        ),
        by=ambassador,
    )
    target = services.target_save(
        by=ambassador,
        city=lima,
        indicator=Indicator.objects.get(code="1.2-a"),
        horizon="short",
        baseline=Decimal(0),
        baseline_year=2025,
        target_value=Decimal(500),
        due_on=datetime.date(2027, 12, 31),
    )
    return draft, evidence, submitted, target


def lima_pipeline(ambassador):
    """Lima's funding pipeline: an identified opportunity (edited, moved), and an awarded one of
    1 000 USD with 100 received and its terms as a file."""
    identified = OpportunityFactory(by=ambassador, title="Convocatoria de ciudades resilientes")
    awarded = OpportunityFactory(
        by=ambassador, title="Préstamo de eficiencia", stage="awarded", amount_awarded=Decimal(1000)
    )
    disbursement = DisbursementFactory(opportunity=awarded, amount=Decimal(100))
    document = funding_services.document_add(
        by=ambassador, opportunity=awarded, uploaded_file=upload("bases.pdf", pdf_bytes()), title="Bases"
    )
    return {"identified": identified, "awarded": awarded, "disbursement": disbursement, "document": document}


def lima_plans(ambassador, coordinator):
    """Lima's transition plan: version 1 approved by its coordinator (in force: its page, a milestone's
    progress), version 2 a draft (edited, sent, a milestone added, changed, removed, a document);
    and, waiting for review, the plan of Cusco, another city of Lima's country with an ambassador
    of its own, so a coordinator of Peru reviews a plan that Lima's ambassador never sees."""
    in_force = TransitionPlanFactory(by=ambassador, status="approved", reviewer=coordinator)
    draft = funding_services.plan_revise(plan=in_force, by=ambassador, reason="Nuevo gobierno municipal")
    cusco = AmbassadorFactory(city=CityFactory(country=in_force.city.country, name="Cusco"))
    submitted = TransitionPlanFactory(by=cusco.user, status="submitted")
    return {
        "in_force": in_force,
        "draft": draft,
        "milestone": in_force.milestones.first(),
        "draft_milestone": draft.milestones.first(),
        "submitted": submitted,
    }


def lima_hazards(ambassador):
    """Lima's hazard log: a flood (its page, its correction) and a draft action of commitment
    3.1 responding to it."""
    event = HazardEventFactory(by=ambassador, title="Desborde del Rímac", currency="PEN")
    response = HazardResponseFactory(by=ambassador, events=[event], title="Limpieza de cauces")
    return {"event": event, "response": response}


def lima_public(admin):
    """Lima's public page, switched on by the admin; and Cusco's (Lima's country), asked for by its
    ambassador and waiting for a coordinator of Peru (lima_plans made Cusco and its ambassador)."""
    lima = public_services.page_admin_save(
        city=CityFactory._meta.model.objects.get(name="Lima"), slug="", published=True, by=admin
    )
    cusco = AmbassadorFactory._meta.model.objects.current().select_related("city", "user").get(city__name="Cusco")
    return {"lima": lima, "cusco": public_services.page_request(city=cusco.city, by=cusco.user)}


def lima_left_behind(lima, commitment):
    """A draft Lima's former ambassador left when their appointment ended, before Alicia's began
    (terms: the successor takes it over or discards it), and a person holding no post (a successor
    a coordinator may name). The same rows on every call."""
    users = get_user_model().objects
    former = users.get_or_create(username="lima.anterior", defaults={"email": "lima.anterior@example.org"})[0]
    users.get_or_create(username="sucesora", defaults={"first_name": "Sara", "email": "sucesora@example.org"})
    appointment = Ambassador.objects.get_or_create(
        user=former,
        city=lima,
        defaults={
            "appointed_on": datetime.date(2022, 3, 1),
            "status": Ambassador.Status.ENDED,
            "ended_on": datetime.date(2025, 2, 28),
        },
    )[0]
    return Action.objects.get_or_create(
        ambassador=appointment, city=lima, commitment=commitment, title="Borrador heredado"
    )[0]
