"""The benchmark seeder (python -m bench.seed): small numbers, the invariants that matter at any scale."""

import datetime
import hashlib
import io
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from ambassadors.models import AMBASSADORS_GROUP, COORDINATORS_GROUP, Ambassador, City, Coordinator, Country
from ambassadors.scope import roles_of
from bench.seed import PASSWORD
from bench.seed.cli import main
from commitments.models import Action, ActionStatusChange, Fund, IndicatorValue, Target

pytestmark = pytest.mark.django_db

CITIES, APPROVED = 12, 200
# What services.py records on the way to each status (some approvals went back once for a fix).
WORKFLOW_PATHS = {
    "draft": [["draft"]],
    "submitted": [["draft", "submitted"]],
    "returned": [["draft", "submitted", "returned"]],
    "approved": [["draft", "submitted", "approved"], ["draft", "submitted", "returned", "submitted", "approved"]],
}


def seed(*args):
    out = io.StringIO()
    assert main(["--cities", str(CITIES), "--actions", str(APPROVED), *args], stdout=out) == 0
    return out.getvalue()


def digest():
    """A fingerprint of every generated row that matters, primary keys included."""
    hashed = hashlib.sha256()
    for model in (Action, ActionStatusChange, Action.focus_areas.through, IndicatorValue, Fund, Target):
        fields = [field.attname for field in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*fields):
            hashed.update(repr(row).encode())
    usernames = get_user_model().objects.order_by("pk").values_list("pk", "username", "first_name", "last_name")
    hashed.update(repr(list(usernames)).encode())
    return hashed.hexdigest()


def test_actions_in_every_status_with_exactly_the_approved_asked_for():
    output = seed()
    assert "Seeded in" in output and "commitments_action" in output
    counts = dict(Action.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    assert counts["approved"] == APPROVED
    assert {"draft", "submitted", "returned"} <= counts.keys()
    others = sum(counts.values()) - APPROVED
    assert others == pytest.approx(APPROVED * 0.08, abs=2)


def test_every_city_has_an_active_ambassador_and_every_country_a_coordinator():
    seed()
    User = get_user_model()
    assert City.objects.count() == CITIES
    for city in City.objects.all():
        appointment = Ambassador.objects.get(city=city, status=Ambassador.Status.ACTIVE)
        assert appointment.user.username.startswith("scale.amb.")
        assert roles_of(appointment.user).ambassador_city_id == city.pk
    assert set(User.objects.get(username="scale.amb.1").groups.values_list("name", flat=True)) == {AMBASSADORS_GROUP}
    # The biggest city first: São Paulo in GeoNames.
    assert Ambassador.objects.get(user__username="scale.amb.1").city.name == "São Paulo"
    for country in Country.objects.filter(cities__isnull=False).distinct():
        coordinator = User.objects.get(username=f"scale.coord.{country.code.lower()}")
        assert list(coordinator.coordinator.countries.all()) == [country]
        assert roles_of(coordinator).is_coordinator
    everyone = User.objects.get(username="scale.coord.all")
    assert set(everyone.groups.values_list("name", flat=True)) == {COORDINATORS_GROUP}
    assert City.objects.visible_to(everyone).count() == CITIES
    assert everyone.check_password(PASSWORD)
    # One hash shared by every account, computed once.
    assert User.objects.filter(username__startswith="scale.").values("password").distinct().count() == 1


def test_rows_satisfy_the_models_rules_and_tell_a_consistent_story():
    seed()
    today = timezone.localdate()
    for model in (Action, IndicatorValue, Fund, Target):
        for instance in model.objects.all():
            instance.full_clean()
    for action in Action.objects.prefetch_related("status_changes", "focus_areas", "indicator_values__indicator"):
        assert action.started_on is None or action.started_on <= today, action.pk
        assert action.ended_on is None or action.started_on <= action.ended_on <= today, action.pk
        changes = list(action.status_changes.order_by("at", "pk"))
        assert [c.to_status for c in changes] in WORKFLOW_PATHS[action.status], action.pk
        assert [c.from_status for c in changes] == ["", *(c.to_status for c in changes[:-1])]
        assert all(a.at < b.at for a, b in itertools.pairwise(changes))
        assert changes[-1].at <= timezone.now()
        assert action.created_at == changes[0].at and action.updated_at == changes[-1].at
        assert all(value.indicator.commitment_id == action.commitment_id for value in action.indicator_values.all())
        if action.status == "draft":
            assert action.submitted_at is None and action.decided_at is None
            continue
        assert action.submitted_at is not None and action.focus_areas.exists(), action.pk
        assert all(area.commitment_id == action.commitment_id for area in action.focus_areas.all())
        if action.status == "submitted":
            assert action.decided_at is None
            continue
        decision = changes[-1]
        assert decision.from_status == "submitted"
        assert decision.review_time == action.decided_at - action.submitted_at > datetime.timedelta(0)
        assert decision.at == action.decided_at
        assert decision.by.coordinator.countries.filter(code=action.city.country_id).exists()
        if action.status == "returned":
            assert decision.comment
    assert not ActionStatusChange.objects.filter(to_status__in=["approved", "returned"], review_time=None).exists()
    assert IndicatorValue.objects.exists() and Fund.objects.exists()
    assert Target.objects.count() == 3 * CITIES
    for target in Target.objects.with_progress(today).select_related("city"):
        assert target.due_on.year > target.baseline_year
        assert target.updated_by.ambassadorships.filter(city=target.city).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    seed("--seed", "7", "--today", "2026-11-24")
    first = digest()
    seed("--seed", "7", "--today", "2026-11-24", "--flush")
    assert digest() == first
    seed("--seed", "8", "--today", "2026-11-24", "--flush")
    assert digest() != first


def test_it_refuses_a_database_with_data_unless_told_to_flush(capsys):
    seed()
    before = Action.objects.count()
    with pytest.raises(SystemExit) as refused:
        seed()
    assert refused.value.code == 1
    assert "--flush" in capsys.readouterr().err
    assert Action.objects.count() == before
    assert Coordinator.objects.filter(user__username="scale.coord.all").count() == 1
