"""The demo's terms: one appointment near its end, one handover done; a second load keeps them."""

import datetime

import pytest
from django.utils import timezone

from ambassadors.demo import load_demo
from ambassadors.models import Ambassador
from terms.demo import load_demo_terms
from terms.models import Handover
from terms.reminders import ending_terms


@pytest.mark.django_db
def test_the_demo_has_a_term_ending_soon_and_a_handover_and_loads_twice():
    load_demo()
    load_demo_terms()
    load_demo_terms()
    today = timezone.localdate()
    assert [term.user.username for term in ending_terms(today=today)] == ["emb.monterrey"]
    handover = Handover.objects.select_related("outgoing__user", "successor__user", "by").get()
    assert handover.outgoing.user.username == "emb.medellin.anterior"
    assert handover.successor.user.username == "emb.medellin" and handover.by.username == "coord.sur"
    assert handover.outgoing.ended_on == handover.successor.appointed_on
    assert handover.read_access_until == handover.outgoing.ended_on + datetime.timedelta(days=30)
    assert Ambassador.objects.current().count() == 8
