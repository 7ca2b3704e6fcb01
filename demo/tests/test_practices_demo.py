"""The demo's practice library (commitment 1.1): what `load_demo` shows a visitor of the library,
and what the browser tests count on it leaving alone."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from ambassadors.demo import DEMO_COUNTRIES
from commitments.models import Commitment
from core.models import OutgoingEmail
from practices import search, services
from practices.demo import load_demo_practices
from practices.models import CommitmentFollow, Exchange, Practice, PracticeStatusChange, Replication


def _row_counts():
    """Rows of every model of the practices app (audit trails included) and of the outgoing mail."""
    models = [*apps.get_app_config("practices").get_models(include_auto_created=True), OutgoingEmail]
    return {model._meta.label: model._default_manager.count() for model in models}


class TestTheDemoLibrary:
    def test_several_practices_are_published_across_countries_one_waits_for_review_and_one_is_a_draft(
        self, demo_for_reading
    ):
        published = Practice.objects.published()
        assert published.count() >= 5
        assert published.values("city__country").distinct().count() >= 4
        assert Practice.objects.filter(status=Practice.Status.SUBMITTED).count() == 1
        assert Practice.objects.filter(status=Practice.Status.DRAFT).count() == 1
        months = {practice.published_at.strftime("%Y-%m") for practice in published}
        assert len(months) >= 3, "publications spread over the last months"
        assert all(practice.published_at < timezone.now() for practice in published)

    def test_every_demo_practice_is_complete_enough_to_be_sent(self, demo_for_reading):
        for practice in Practice.objects.all():
            assert services.practice_submission_errors(practice) == {}, practice.title
            assert practice.goals.exists() and practice.focus_areas.exists(), practice.title
            assert set(practice.actions.values_list("city", flat=True)) == {practice.city_id}
        assert Practice.objects.filter(contact__isnull=False).exists()
        assert Practice.objects.exclude(summary_en="").exists()
        assert Practice.objects.exclude(summary_pt_br="").exists()

    def test_no_practice_is_of_lima_or_mexico_city_nor_matches_the_browser_tests_search(self, demo_for_reading):
        """The browser tests publish Lima's practice on the School of 1.2 and search for it from
        Ciudad de México: it has to be the only match."""
        assert not Practice.objects.filter(city__name__in=["Lima", "Ciudad de México"]).exists()
        assert not search.matching(Practice.objects.all(), "gobernanza emocional").exists()
        assert not Practice.objects.filter(search_document__contains="emocional").exists()

    def test_each_publication_and_the_featuring_are_the_work_of_a_coordinator_of_its_country(self, demo_for_reading):
        published = Practice.objects.published()
        for change in PracticeStatusChange.objects.filter(to_status=Practice.Status.PUBLISHED):
            assert Practice.objects.reviewable_by(change.by).filter(pk=change.practice_id).exists()
        featured = published.filter(featured=True)
        assert featured.exists()
        for practice in featured:
            entry = practice.history.filter(featured=True).earliest("history_date")
            assert services.can_feature_practice(entry.history_user, practice)
        assert PracticeStatusChange.objects.filter(to_status=Practice.Status.RETURNED).exists()

    def test_replications_spread_across_countries_in_every_state(self, demo_for_reading):
        replications = Replication.objects.with_state().select_related("practice", "city")
        assert {replication.state for replication in replications} == set(Replication.State.values)
        assert len({replication.city.country_id for replication in replications}) >= 2
        for replication in replications:
            assert replication.city_id != replication.practice.city_id
            assert replication.started_at > replication.practice.published_at
            assert set(replication.actions.values_list("city", flat=True)) <= {replication.city_id}
            if replication.state == Replication.State.DONE:
                assert replication.done_at > replication.started_at
        most_replicated = Practice.objects.with_replication_counts().order_by("-replication_count").first()
        assert most_replicated.replication_count >= 3

    def test_exchanges_link_published_practices_and_reach_partner_cities_outside_the_network(self, demo_for_reading):
        exchanges = Exchange.objects.prefetch_related("practices", "partner_cities")
        assert 2 <= exchanges.count() <= 3
        assert len({exchange.kind for exchange in exchanges}) == exchanges.count()
        partners = [partner for exchange in exchanges for partner in exchange.partner_cities.all()]
        assert partners and all(partner.country.code not in DEMO_COUNTRIES for partner in partners)
        for exchange in exchanges:
            assert exchange.practices.exists()
            assert all(practice.status == Practice.Status.PUBLISHED for practice in exchange.practices.all())

    def test_the_coordinators_follow_commitment_1_1(self, demo_for_reading):
        following = CommitmentFollow.objects.filter(commitment__axis__number=1, commitment__number=1)
        assert set(following.values_list("user__username", flat=True)) == {"coord.norte", "coord.sur"}

    def test_the_decision_emails_of_the_demo_are_marked_sent_not_queued(self, demo_for_reading):
        decisions = OutgoingEmail.objects.filter(key__startswith="practice-decision:")
        assert (
            decisions.count()
            == PracticeStatusChange.objects.exclude(from_status="")
            .filter(to_status__in=[Practice.Status.PUBLISHED, Practice.Status.RETURNED])
            .count()
        )
        assert set(decisions.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}

    def test_a_second_load_adds_nothing_and_keeps_what_people_follow(self, demo_for_reading):
        coordinator = get_user_model().objects.get(username="coord.norte")
        services.follows_set(
            user=coordinator,
            commitments=Commitment.objects.filter(followers__user=coordinator)
            | Commitment.objects.filter(axis__number=2),
        )
        before = _row_counts()
        load_demo_practices()
        assert _row_counts() == before
        followed = CommitmentFollow.objects.filter(user=coordinator).values_list("commitment__axis__number", flat=True)
        assert sorted(followed) == [1, 2]
