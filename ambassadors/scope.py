"""Who may see what. Every page, export and task that shows city data filters through here."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AMBASSADORS_GROUP, COORDINATORS_GROUP, Ambassador, City, Coordinator, Country

NOTHING = Q(pk__in=[])
# After an appointment ends (a handover, the end of the term, an admin's), its person still
# reads their own past work, and nothing else, for this many days.
READ_GRACE_DAYS = 30


def _coordinated_countries(user):
    """The countries the user coordinates (an active row and the Coordinadores group), as a subquery."""
    return Coordinator.objects.filter(user=user, active=True, user__groups__name=COORDINATORS_GROUP).values("countries")


def city_scope_filter(user, *, prefix=""):
    """A Q over cities (or over a model's city through `prefix`, e.g. "city__") for this user.

    A role is a group plus a scope: the Embajadores group and a current appointment give
    that one city; the Coordinadores group and an active coordinator row give the cities of
    the coordinated countries; superusers see everything. Anything else sees nothing.
    """
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    ambassador_cities = (
        Ambassador.objects.current().filter(user=user, user__groups__name=AMBASSADORS_GROUP).values("city_id")
    )
    return Q(**{f"{prefix}pk__in": ambassador_cities}) | Q(**{f"{prefix}country__in": _coordinated_countries(user)})


def appointments_in_grace(user, *, today=None):
    """The user's appointments that ended READ_GRACE_DAYS ago or less (the day it ended is day 0)."""
    if not user.is_authenticated or not user.is_active:
        return Ambassador.objects.none()
    today = today or timezone.localdate()
    return Ambassador.objects.filter(
        user=user,
        status=Ambassador.Status.ENDED,
        ended_on__gte=today - datetime.timedelta(days=READ_GRACE_DAYS),
    )


def work_scope_filter(user, *, city_prefix="city__", appointment_field="ambassador"):
    """A Q over a model kept per appointment (an action: its city through `city_prefix`, its
    appointment in `appointment_field`): what city_scope_filter gives, plus, in the
    READ_GRACE_DAYS after one of the user's appointments ended, the rows of that appointment (their
    own past work, read-only: every write also asks for an appointment in force). The one place the
    grace period is decided."""
    scope = city_scope_filter(user, prefix=city_prefix)
    if scope == Q():  # everything already
        return scope
    return scope | Q(**{f"{appointment_field}__in": appointments_in_grace(user).values("pk")})


def review_scope_filter(user, *, prefix=""):
    """A Q over cities (or a model's city through `prefix`) whose actions this user may decide on:
    every city for a superuser, the coordinated countries' for a coordinator, none otherwise.
    Narrower than city_scope_filter: being an ambassador somewhere gives no say on its actions.
    reviewers() below gives the same scopes for everyone at once."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    return Q(**{f"{prefix}country__in": _coordinated_countries(user)})


def reviews_city(user, city_id):
    """Whether `user` decides on the actions of one city (review_scope_filter, for one city)."""
    return City.objects.filter(review_scope_filter(user), pk=city_id).exists()


def country_scope_filter(user, *, field="country"):
    """A Q over a model's country (its foreign key `field`) for the countries the user answers
    for: the coordinated countries of a coordinator, every country for a superuser, none otherwise
    (an ambassador's one city is not a country). What a country's own reports
    (reports.models.ProgressReport of a country) are filtered by."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    return Q(**{f"{field}__in": _coordinated_countries(user)})


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    is_coordinator: bool = False
    is_ambassador: bool = False
    ambassador_city_id: int | None = None
    # What callers asked roles_of for besides the roles (its `facts`), computed in the same query.
    facts: dict = field(default_factory=dict, compare=False)
    has_second_factor: bool = False  # a confirmed TOTP device (ambassadors/twofactor.py)

    @property
    def reads_many_cities(self):
        return self.is_admin or self.is_coordinator


# Facts every computation of the roles asks for ({name: function returning an expression over
# the user's row}), registered by the apps that read them on every request (appointments' gate,
# after the second-factor check has computed the roles): one query per request, not one each.
STANDING_FACTS = {}


def roles_of(user, **facts):
    """The user's roles, computed once per request (cached on the user object).

    `facts`: further expressions over the user's row ({name: expression}) wanted from the same
    query, e.g. the acceptance gate (appointments.middleware) asks on every request whether the
    commitments were accepted; their values are in Roles.facts. Cached roles that lack one of
    them are computed again, with the facts asked for before."""
    cached = getattr(user, "_omcs_roles", None)
    if cached is not None and facts.keys() <= cached.facts.keys():
        return cached
    if not user.is_authenticated or not user.is_active:
        roles = Roles()
    else:
        standing = {name: expression() for name, expression in STANDING_FACTS.items()}
        facts = {**standing, **getattr(user, "_omcs_role_facts", {}), **facts}
        user._omcs_role_facts = facts
        # One query: the appointment and the coordinator row count only with their group.
        found = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                city_id=Subquery(
                    Ambassador.objects.current()
                    .filter(user=OuterRef("pk"), user__groups__name=AMBASSADORS_GROUP)
                    .values("city_id")[:1]
                ),
                coordinates=Exists(
                    Coordinator.objects.filter(user=OuterRef("pk"), active=True, user__groups__name=COORDINATORS_GROUP)
                ),
                second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                **facts,
            )
            .values("city_id", "coordinates", "second_factor", *facts)
            .first()
        ) or {"city_id": None, "coordinates": False, "second_factor": False}
        roles = Roles(
            is_admin=user.is_superuser,
            is_coordinator=found["coordinates"],
            is_ambassador=found["city_id"] is not None,
            ambassador_city_id=found["city_id"],
            facts={name: found.get(name) for name in facts},
            has_second_factor=found["second_factor"],
        )
    user._omcs_roles = roles
    return roles


@dataclass(frozen=True)
class Reviewer:
    """Someone who may decide on actions (roles_of: an admin or a coordinator), with the
    countries review_scope_filter gives them; `countries` None means every country (an admin)."""

    user: AbstractBaseUser
    countries: frozenset | None = None

    def covers(self, country_code):
        return self.countries is None or country_code in self.countries


def active_coordinators(**filters):
    """Active coordinators of the Coordinadores group (two queries), each with `country_codes`, a
    set to test without queries; `filters` narrow the Coordinator rows."""
    coordinators = list(
        Coordinator.objects.filter(active=True, user__is_active=True, user__groups__name=COORDINATORS_GROUP, **filters)
        .distinct()
        .select_related("user")
        .prefetch_related(Prefetch("countries", queryset=Country.objects.only("pk"), to_attr="country_list"))
    )
    for coordinator in coordinators:
        coordinator.country_codes = {country.pk for country in coordinator.country_list}
    return coordinators


def reviewers():
    """Everyone who may review, each once, in three queries: active superusers, and the active
    coordinators with their countries. The same people and scopes as roles_of and
    review_scope_filter, for code that needs all of them at once (the reminders)."""
    found = {
        user.pk: Reviewer(user=user) for user in get_user_model().objects.filter(is_active=True, is_superuser=True)
    }
    for row in active_coordinators():
        found.setdefault(row.user_id, Reviewer(user=row.user, countries=frozenset(row.country_codes)))
    return list(found.values())
