"""The demo's hazard log (commitment 3.1), as `load_demo` leaves it: what it shows a visitor of
the log, and that it was written as real use would write it."""

from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from ambassadors.demo import DEMO_AMBASSADORS
from ambassadors.models import City
from commitments.demo import CURRENCY_OF_COUNTRY
from commitments.models import Action
from hazards import services
from hazards.demo import load_demo_hazards
from hazards.models import HazardEvent, HazardResponse


def _row_counts():
    """Rows of every model of the hazards app (audit trails included) and of the actions."""
    models = [*apps.get_app_config("hazards").get_models(include_auto_created=True), Action]
    return {model._meta.label: model._default_manager.count() for model in models}


class TestTheDemoHazardLog:
    def test_every_demo_city_has_events_of_several_hazards_spread_over_the_months(self, demo_for_reading):
        cities = City.objects.filter(ambassadors__isnull=False).distinct()
        assert cities.count() == len(DEMO_AMBASSADORS)
        for city in cities:
            events = HazardEvent.objects.filter(city=city)
            assert events.count() >= 2, city
            assert events.values("hazard").distinct().count() >= 2, city
        hazards = set(HazardEvent.objects.values_list("hazard", flat=True))
        assert {"flood", "drought", "landslide", "heatwave", "spill"} <= hazards
        months = {event.started_on.strftime("%Y-%m") for event in HazardEvent.objects.all()}
        assert len(months) >= 5
        today = timezone.localdate()
        for event in HazardEvent.objects.all():
            assert services.date_errors(started_on=event.started_on, ended_on=event.ended_on, today=today) == {}
            assert event.started_on < event.created_at.date() <= today, event

    def test_people_are_counted_with_deaths_and_missing_mostly_none(self, demo_for_reading):
        events = HazardEvent.objects.all()
        assert all(event.people_affected is not None for event in events)
        assert not events.filter(deaths__isnull=True).exists() and not events.filter(missing__isnull=True).exists()
        without_deaths = events.filter(deaths=0, missing=0).count()
        assert without_deaths > events.count() / 2
        assert events.filter(deaths__gt=0).exists() and events.filter(missing__gt=0).exists()

    def test_losses_are_in_the_citys_currency_and_some_are_not_known(self, demo_for_reading):
        for event in HazardEvent.objects.select_related("city"):
            assert event.currency == CURRENCY_OF_COUNTRY[event.city.country_id], event
            assert event.economic_loss is None or event.economic_loss > Decimal(0)
        assert HazardEvent.objects.filter(economic_loss__isnull=True).exists()
        assert HazardEvent.objects.filter(economic_loss__isnull=False).values("city").distinct().count() == len(
            DEMO_AMBASSADORS
        )

    def test_each_city_answers_its_events_with_actions_of_3_1_most_of_them_approved(self, demo_for_reading):
        responses = HazardResponse.objects.select_related("action__commitment__axis", "action__city")
        assert responses.values("action__city").distinct().count() == len(DEMO_AMBASSADORS)
        for response in responses:
            action = response.action
            assert action.kind == Action.Kind.HAZARD_RESPONSE and action.commitment.code == "3.1"
            events = list(response.events.all())
            assert events and all(event.city_id == action.city_id for event in events)
            if response.phase != HazardResponse.Phase.PREPARE:
                assert all(event.started_on <= action.started_on for event in events)
            if action.status != Action.Status.DRAFT:
                assert action.submitted_at < timezone.now()
        statuses = [response.action.status for response in responses]
        assert statuses.count(Action.Status.APPROVED) > len(statuses) / 2
        assert {Action.Status.SUBMITTED, Action.Status.DRAFT} <= set(statuses)
        assert {response.phase for response in responses} == set(HazardResponse.Phase.values)

    def test_every_approval_is_the_work_of_a_coordinator_of_the_citys_country(self, demo_for_reading):
        approved = Action.objects.filter(kind=Action.Kind.HAZARD_RESPONSE, status=Action.Status.APPROVED)
        assert approved.exists()
        for action in approved.select_related("city"):
            change = action.status_changes.get(to_status=Action.Status.APPROVED)
            assert change.by.coordinator.countries.filter(code=action.city.country_id).exists()
            assert change.at < timezone.now()

    def test_the_audit_trail_tells_who_recorded_each_event_and_response(self, demo_for_reading):
        for event in HazardEvent.objects.all():
            [entry] = event.history.all()
            assert entry.history_user_id == event.recorded_by_id and entry.history_date == event.created_at
        for response in HazardResponse.objects.select_related("action__ambassador"):
            [entry] = response.history.all()
            assert entry.history_user_id == response.action.ambassador.user_id
            assert [row.hazardevent_id for row in entry.events.all()] == [event.pk for event in response.events.all()]

    def test_a_second_load_adds_nothing(self, demo_for_reading):
        before = _row_counts()
        load_demo_hazards()
        assert _row_counts() == before
