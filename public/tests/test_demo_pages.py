"""The public pages on the full demo: no person's name, username or email, no reviewer's comment,
no evidence, in any language and on any page of actions; and what they cost in queries."""

import html
import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import ActionStatusChange, Evidence
from funding.models import OpportunityStageChange, PlanStatusChange
from practices.models import Practice, PracticeStatusChange
from public.content import ACTIONS_PER_PAGE
from public.models import PublicPage

LANGUAGES = ["es", "en", "pt-br"]


def _public_texts(client):
    """Every public page of the demo, in every language: {(path, language): text}."""
    pages = {}
    for language in LANGUAGES:
        client.cookies.clear()
        paths = [reverse("public:network")]
        for page in PublicPage.objects.published().select_related("city"):
            approved = page.city.actions.filter(status="approved").count()
            last = max(1, -(-approved // ACTIONS_PER_PAGE))
            paths += [f"{reverse('public:city', args=[page.slug])}?page={n}" for n in range(1, last + 1)]
        for path in paths:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, path
            pages[(path, language)] = html.unescape(response.content.decode())
    return pages


def _people():
    """Every way a person of the demo could be named: names, full names, usernames, emails."""
    words = set()
    for user in get_user_model().objects.all():
        words |= {user.first_name, user.last_name, user.get_full_name(), user.username, user.email}
    # The demo's admin account is named after the organisation ("Administración OMCS"), whose
    # name every page carries: its full name and username are still looked for.
    return {word for word in words if word and word != "OMCS"}


def _comments():
    """What reviewers wrote: decisions on actions, practices, plans, opportunities, public pages."""
    comments = set()
    for model in (ActionStatusChange, PracticeStatusChange, PlanStatusChange, OpportunityStageChange, PublicPage):
        comments |= set(model.objects.exclude(comment="").values_list("comment", flat=True))
    return {comment for comment in comments if len(comment) > 12}


class TestTheDemosPublicPages:
    def test_four_cities_are_public_and_medellin_waits_for_coord_sur(self, demo_for_reading):
        published = set(PublicPage.objects.published().values_list("slug", flat=True))
        assert published == {"lima-pe", "bogota-co", "rosario-ar", "ciudad-de-mexico-mx"}
        [waiting] = PublicPage.objects.pending().select_related("city", "requested_by")
        assert (waiting.city.name, waiting.requested_by.username) == ("Medellín", "emb.medellin")
        coord_sur = get_user_model().objects.get(username="coord.sur")
        assert PublicPage.objects.reviewable_by(coord_sur).pending().get() == waiting

    def test_no_person_comment_contact_nor_evidence_on_any_public_page(self, demo_for_reading, client):
        pages = _public_texts(client)
        assert len(pages) >= 3 * 5
        people = _people()
        comments = _comments()
        contacts = set(Practice.objects.exclude(contact=None).values_list("contact__email", flat=True))
        evidence = set(Evidence.objects.exclude(title="").values_list("title", flat=True))
        assert people and comments and contacts
        for (path, language), text in pages.items():
            where = f"{path} [{language}]"
            for word in people:
                assert not re.search(rf"(?<![\w.@-]){re.escape(word)}(?![\w@-])", text), f"{word!r} on {where}"
            for comment in comments:
                assert comment not in text, f"a reviewer's comment on {where}: {comment!r}"
            for email in contacts:
                assert email not in text
            assert "/evidencias/" not in text and "mailto:" not in text, where
            assert not [title for title in evidence if len(title) > 15 and title in text], where

    def test_what_the_pages_cost_in_queries_first_and_cached(self, demo_for_reading, client, record_property):
        counts = {}
        for name, path in (("network", reverse("public:network")), ("Lima", reverse("public:city", args=["lima-pe"]))):
            for attempt in ("first", "cached"):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(path).status_code == 200
                counts[(name, attempt)] = len(queries)
        line = "Public pages on the demo, queries first/cached: " + ", ".join(
            f"{name} {counts[(name, 'first')]}/{counts[(name, 'cached')]}" for name in ("network", "Lima")
        )
        record_property("terminal_summary", line)
        assert counts[("network", "cached")] == 0
        assert counts[("Lima", "cached")] == 1
        assert counts[("Lima", "first")] <= 16 and counts[("network", "first")] <= 6
