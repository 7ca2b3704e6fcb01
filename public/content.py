"""What the public pages show, read from the apps' own rules: only published cities, only
approved actions, published practices, the on-track rule (Target.objects.with_progress), the
funding pipeline's figures (funding.figures) and the monthly series of the dashboards
(reports.series). Never a person: no ambassador, reviewer, author, contact nor evidence.

Each part is one aggregate query (or a fixed few), whatever the number of actions and cities.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django_countries import countries

from ambassadors.models import City
from axes.models import Axis
from commitments.models import PEOPLE_GROUPS, Action, Target, TargetStatus
from funding import figures as funding_figures
from funding.models import Opportunity
from practices.models import Practice
from reports.series import city_last_twelve_months, monthly_chart

from .models import PublicPage

ACTIONS_PER_PAGE = 25


def published_page(slug):
    """The published page at `slug` with its city and country, or None."""
    return PublicPage.objects.published().select_related("city__country").filter(slug=slug).first()


def _approved(cities):
    return Action.objects.approved().filter(city__in=cities)


def _people(actions):
    """People reached by the approved `actions`, in all and by group (keyed as reports.series)."""
    sums = {"people": Coalesce(Sum("people_reached"), 0)}
    sums |= {field.removesuffix("_reached"): Coalesce(Sum(field), 0) for field in PEOPLE_GROUPS}
    return actions.aggregate(**sums)


def _country_numbers(codes):
    """ISO 3166 numeric codes: the map draws these countries' outlines."""
    numbers = (countries.numeric(code) for code in sorted(set(codes)))
    return [f"{number:03d}" for number in numbers if number is not None]


def _point(city, **extra):
    return {
        "name": city.name,
        "country": city.country.name,
        "latitude": float(city.latitude),
        "longitude": float(city.longitude),
        **extra,
    }


def _groups(actions):
    """Each action's people reached by group, as (label, count) for the groups it recorded."""
    labels = [(field, Action._meta.get_field(field).verbose_name) for field in PEOPLE_GROUPS]
    for action in actions:
        action.groups = [(label, getattr(action, field)) for field, label in labels if getattr(action, field)]
    return actions


def city_content(*, page, today, page_number):
    """Everything a city's public page shows."""
    city = page.city
    actions = Action.objects.approved().filter(city=city)
    listing = Paginator(
        actions.select_related("commitment__axis").order_by("-started_on", "-pk"), ACTIONS_PER_PAGE
    ).get_page(page_number)
    _groups(listing)
    axes = list(Axis.objects.order_by("number"))
    series = city_last_twelve_months(city=city, today=today, axes=axes)
    targets = list(Target.objects.filter(city=city).with_progress(today=today).order_by("indicator__code", "due_on"))
    involved = list(
        City.objects.filter(shared_actions__in=actions)
        .exclude(pk=city.pk)
        .select_related("country")
        .distinct()
        .order_by("name")
    )
    return {
        "city": city,
        "page": page,
        "listing": listing,
        "reached": _people(actions),
        "series": series,
        "chart": monthly_chart(series),
        "targets": targets,
        "practices": list(Practice.objects.published().filter(city=city).order_by("-published_at", "-pk")),
        "money": funding_figures.pipeline(Opportunity.objects.filter(city=city)),
        "involved": involved,
        "map": _city_map(city, involved),
    }


def _city_map(city, involved):
    places = [(city, "city"), *((other, "involved") for other in involved)]
    return {
        "countries": _country_numbers(place.country_id for place, _role in places),
        "cities": [
            _point(place, role=role)
            for place, role in places
            if place.latitude is not None and place.longitude is not None
        ],
        "legend": {"city": city.name, "involved": _("Otra ciudad de sus acciones")},
    }


def network_content(*, today):
    """The network page: the public cities with their approved actions, and the totals over them."""
    pages = list(
        PublicPage.objects.published()
        .select_related("city__country")
        .annotate(approved=Count("city__actions", filter=Q(city__actions__status=Action.Status.APPROVED)))
        .order_by("city__name")
    )
    cities = [page.city_id for page in pages]
    on_track = (
        Target.objects.filter(city__in=cities)
        .with_progress(today=today)
        .aggregate(
            on_track=Count("pk", filter=Q(status__in=[TargetStatus.ON_TRACK, TargetStatus.ACHIEVED])),
            total=Count("pk"),
        )
    )
    money = funding_figures.pipeline(Opportunity.objects.filter(city__in=cities))
    return {
        "pages": pages,
        "totals": {
            "approved": sum(page.approved for page in pages),
            "people": _people(_approved(cities)),
            "targets": on_track,
            "awarded": money.awarded,
        },
        "map": {
            "countries": _country_numbers(page.city.country_id for page in pages),
            "cities": [
                _point(page.city, role="city", approved=page.approved)
                for page in pages
                if page.city.latitude is not None and page.city.longitude is not None
            ],
            "approved_label": _("acciones aprobadas"),
        },
    }
