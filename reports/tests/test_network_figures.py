"""What the network achieved, on the panel: the total of each cumulative indicator (approved
values, with its unit) and the targets by commitment and horizon counted by status. The figures
equal recounts written with the ORM, from the tally (whole months) and from the values (a
period that cuts a month); cities out of the user's scope never count; the queries are fixed."""

import collections
import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.models import City
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments import services, tallies
from commitments.models import Commitment, Indicator, IndicatorValue, Target

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
YEAR_2026 = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
# Cuts March and June short: read from the values, not the monthly tally.
MARCH_11_TO_JUNE_15 = {"period": "custom", "start": "2026-03-11", "end": "2026-06-15"}
OVERVIEW_QUERIES = 27  # as pinned in test_dashboards: the network figures are two of them


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def record(db):
    """record(ambassador, reviewer, commitment, started_on, {indicator code: value}, status="approved")."""
    commitments = {commitment.code: commitment for commitment in Commitment.objects.with_axis()}
    indicators = dict(Indicator.objects.values_list("code", "pk"))

    def record_(ambassador, reviewer, commitment, started_on, values, status="approved"):
        chosen = commitments[commitment]
        action = services.action_create(
            by=ambassador,
            commitment=chosen,
            data={"title": "Acción", "description": "Hecho.", "started_on": started_on},
            focus_areas=list(chosen.focus_areas.all()[:1]),
            indicator_values={indicators[code]: Decimal(value) for code, value in values.items()},
        )
        if status != "draft":
            services.action_submit(action=action, by=ambassador)
        if status == "approved":
            services.action_approve(action=action, by=reviewer)
        return action

    return record_


def target(city, by, code, horizon, baseline, goal, due_on):
    return services.target_save(
        by=by,
        city=city,
        indicator=Indicator.objects.get(code=code),
        horizon=horizon,
        baseline=Decimal(baseline),
        baseline_year=2025,
        target_value=Decimal(goal),
        due_on=due_on,
    )


@pytest.fixture
def network(record, ambassador, other_ambassador, coordinator, admin, lima, rosario):
    """Lima: 120 m³ of water stored on 10 March, 80 on 15 June, 40 people trained on 5 May, 70 %
    drinking water (a per-period indicator); not counted: 999 m³ waiting for review, 500 m³ in
    2025. Rosario: 1,000 m³ and 7.5 ha restored. Targets in both cities."""
    record(ambassador, coordinator, "3.1", datetime.date(2026, 3, 10), {"3.1-a": 120, "3.1-b": 70})
    record(ambassador, coordinator, "3.1", datetime.date(2026, 6, 15), {"3.1-a": 80})
    record(ambassador, coordinator, "1.2", datetime.date(2026, 5, 5), {"1.2-a": 40, "1.2-b": 2})
    record(ambassador, coordinator, "3.1", datetime.date(2026, 7, 1), {"3.1-a": 999}, status="submitted")
    record(ambassador, coordinator, "3.1", datetime.date(2025, 12, 31), {"3.1-a": 500})
    record(other_ambassador, admin, "3.1", datetime.date(2026, 4, 1), {"3.1-a": 1000, "3.1-e": "7.5"})
    # Lima: reached (achieved), due and missed (off track), and one more long-term target.
    target(lima, ambassador, "1.2-a", "short", 0, 40, datetime.date(2026, 12, 31))
    target(lima, ambassador, "3.1-a", "short", 0, 5000, datetime.date(2026, 10, 31))
    target(lima, ambassador, "3.1-a", "long", 0, 8000, datetime.date(2030, 12, 31))
    target(rosario, other_ambassador, "3.1-e", "medium", 0, 5, datetime.date(2028, 12, 31))


def panel(client, **params):
    response = client.get(reverse("reports:overview"), {**YEAR_2026, **params})
    assert response.status_code == 200
    return response


def recount(cities, start, end):
    """Each cumulative indicator's approved total and cities, counted from the values themselves."""
    rows = (
        IndicatorValue.objects.filter(
            action__status="approved", action__city__in=cities, action__started_on__range=(start, end)
        )
        .values("indicator__code")
        .annotate(total=Sum("value"), cities=Count("action__city", distinct=True))
    )
    return {row["indicator__code"]: (row["total"], row["cities"]) for row in rows}


def shown(context):
    return {indicator.code: (indicator.total, indicator.cities_reporting) for indicator in context["indicators"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (YEAR_2026, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        (MARCH_11_TO_JUNE_15, datetime.date(2026, 3, 11), datetime.date(2026, 6, 15)),
    ],
)
def test_each_cumulative_indicator_totals_the_approved_values_of_the_scope(
    client_for, coordinator, admin, network, lima, rosario, period, start, end
):
    cumulative = set(Indicator.objects.filter(active=True, aggregation="cumulative").values_list("code", flat=True))
    for user, cities in ((coordinator, [lima]), (admin, [lima, rosario])):
        figures = shown(panel(client_for(user), **period).context)
        assert set(figures) == cumulative  # every active cumulative indicator, none per period
        expected = recount(cities, start, end)
        for code, (total, reporting) in figures.items():
            assert (total, reporting) == expected.get(code, (0, 0)), (user, code)


@pytest.mark.django_db
def test_the_totals_in_plain_numbers_from_the_tally_and_from_the_values(client_for, coordinator, admin, network):
    assert tallies.covers(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), TODAY.date())
    year = shown(panel(client_for(coordinator)).context)
    assert (year["3.1-a"], year["1.2-a"], year["3.1-e"]) == ((200, 1), (40, 1), (0, 0))
    assert not tallies.covers(datetime.date(2026, 3, 11), datetime.date(2026, 6, 15), TODAY.date())
    cut = shown(panel(client_for(coordinator), **MARCH_11_TO_JUNE_15).context)
    assert cut["3.1-a"] == (80, 1)  # 10 March falls outside, 15 June inside
    network = shown(panel(client_for(admin)).context)
    assert (network["3.1-a"], network["3.1-e"]) == ((1200, 2), (Decimal("7.5"), 1))
    page = panel(client_for(admin)).content.decode()
    assert "1\xa0200 m³" in page and "7,50 ha" in page


@pytest.mark.django_db
def test_the_targets_are_counted_by_commitment_horizon_and_status_as_the_rule_judges_them(
    client_for, coordinator, admin, network, lima, rosario
):
    today = TODAY.date()
    for user, cities in ((coordinator, [lima]), (admin, [lima, rosario])):
        targets = panel(client_for(user)).context["targets"]
        judged = list(Target.objects.filter(city__in=cities).with_progress(today=today))
        expected = collections.Counter((t.indicator.commitment.code, t.horizon, t.status) for t in judged)
        shown_counts = collections.Counter()
        for commitment in targets["commitments"]:
            for row in commitment["rows"]:
                for horizon, n in zip(("short", "medium", "long"), row["cells"], strict=True):
                    shown_counts[(commitment["code"], horizon, row["status"])] += n
        assert +shown_counts == expected
        assert targets["total"] == len(judged)
    lima_only = panel(client_for(coordinator)).context["targets"]
    water = next(entry for entry in lima_only["commitments"] if entry["code"] == "3.1")
    off_track = next(row for row in water["rows"] if row["status"] == "off_track")
    assert off_track["cells"] == [1, 0, 0]  # 5,000 m³ due at the end of October, 200 stored
    training = next(entry for entry in lima_only["commitments"] if entry["code"] == "1.2")
    achieved = next(row for row in training["rows"] if row["status"] == "achieved")
    assert achieved["cells"] == [1, 0, 0]  # 40 people trained of 40


@pytest.mark.django_db
def test_a_coordinator_of_another_country_sees_none_of_the_network_figures(
    client_for, coordinator, coordinator_elsewhere, network, rosario
):
    elsewhere = panel(client_for(coordinator_elsewhere)).context
    assert all(indicator.total == 0 and indicator.cities_reporting == 0 for indicator in elsewhere["indicators"])
    assert (elsewhere["targets"]["total"], elsewhere["targets"]["commitments"]) == (0, [])
    # Carla (Peru) asking for Rosario is refused, and Rosario's 1,000 m³ and 7.5 ha never count.
    carla = panel(client_for(coordinator), city=rosario.pk).context
    assert carla["form"].errors
    assert shown(carla)["3.1-a"] == (200, 1) and shown(carla)["3.1-e"] == (0, 0)
    assert carla["targets"]["total"] == 3


@pytest.mark.django_db
def test_the_network_tables_have_captions_and_headers(client_for, admin, network):
    page = panel(client_for(admin)).content.decode()
    section = page[page.index('id="network-heading"') : page.index("</section>", page.index('id="network-heading"'))]
    assert section.count("<caption>") == 2
    assert 'scope="col">Indicador<' in section and 'scope="col" class="text-end">Corto plazo<' in section
    assert 'scope="rowgroup"' in section and 'scope="row"' in section
    assert "Metas por compromiso y horizonte, según su estado al 24/11/2026 (4 metas)" in section


@pytest.mark.django_db
def test_the_network_figures_run_the_same_queries_whatever_the_data(
    client_for, admin, network, record, django_assert_max_num_queries
):
    client = client_for(admin)
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as few:
        panel(client)
    for n in range(3):
        user = UserFactory(username=f"amb-{n}")
        city = CityFactory(name=f"Ciudad {n}")
        ambassador_services.ambassador_appoint(city=city, user=user, appointed_on=datetime.date(2025, 1, 1))
        for month in (2, 5, 9):
            record(user, admin, "3.1", datetime.date(2026, month, 4), {"3.1-a": 10, "3.1-e": 1, "3.1-d": 1})
            record(user, admin, "2.1", datetime.date(2026, month, 4), {"2.1-b": 25, "2.1-c": 2})
        target(city, user, "3.1-e", "long", 0, 50, datetime.date(2029, 12, 31))
        target(city, user, "2.1-b", "medium", 0, 100, datetime.date(2027, 12, 31))
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as many:
        context = panel(client).context
    assert len(few.captured_queries) == len(many.captured_queries)
    assert context["targets"]["total"] == 10
    assert shown(context)["2.1-b"] == (225, 3)


@pytest.mark.django_db
def test_on_the_demo_each_coordinator_counts_only_the_cities_of_their_countries(client, settings):
    settings.DEBUG = True
    call_command("load_demo", skip_reports=True)
    # The demo types no money on the retired indicator (1.4-a): no value or target on it.
    assert not IndicatorValue.objects.filter(indicator__active=False).exists()
    assert not Target.objects.filter(indicator__active=False).exists()
    users = get_user_model().objects
    year = {"period": "year"}
    figures = {}
    for username, countries in (("coord.sur", ["CO", "PE", "CL", "AR"]), ("coord.norte", ["MX", "CR"])):
        client.force_login(users.get(username=username))
        context = client.get(reverse("reports:overview"), year).context
        period = context["period"]
        cities = City.objects.filter(country__in=countries, ambassadors__isnull=False).distinct()
        expected = recount(cities, period.start, period.end)
        figures[username] = shown(context)
        assert figures[username] == {code: expected.get(code, (0, 0)) for code in figures[username]}
        assert context["targets"]["total"] == Target.objects.filter(city__in=cities).count() == 3 * cities.count()
    client.force_login(users.get(username="admin"))
    everyone = shown(client.get(reverse("reports:overview"), year).context)
    for code, (total, reporting) in everyone.items():
        south, north = figures["coord.sur"][code], figures["coord.norte"][code]
        assert (total, reporting) == (south[0] + north[0], south[1] + north[1]), code
