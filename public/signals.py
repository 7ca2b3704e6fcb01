"""What invalidates the public pages' cached content (public.cache): a write of something a page
shows. Receivers, because the writes belong to the apps below, which must not know of this one;
each only bumps a version once the write commits, never writes a row.

- an action approved, or leaving approved (its status change is a row; the action's own status
  moves by a conditional UPDATE, which sends no signal);
- a target saved or removed;
- a practice published or unpublished (likewise a status-change row);
- an opportunity, its stage change or a disbursement written or removed;
- the public page itself;
- and, for every page at once, what all of them name: the catalogue, exchange rates, cities.
"""

from django.db.models.signals import post_delete, post_save

from ambassadors.models import City, Country
from axes.models import Axis
from commitments.models import Action, ActionStatusChange, Commitment, ExchangeRate, Indicator, Target
from funding.models import Disbursement, Opportunity, OpportunityStageChange
from practices.models import Practice, PracticeStatusChange

from . import cache
from .models import PublicPage

APPROVED = Action.Status.APPROVED
PUBLISHED = Practice.Status.PUBLISHED


def _action_status(sender, instance, **kwargs):
    if APPROVED in (instance.from_status, instance.to_status):
        cache.bump_city(instance.city_id)


def _practice_status(sender, instance, **kwargs):
    if PUBLISHED in (instance.from_status, instance.to_status):
        cache.bump_city(instance.practice.city_id)


def _city_row(sender, instance, **kwargs):
    cache.bump_city(instance.city_id)


def _opportunity_row(sender, instance, **kwargs):
    cache.bump_city(instance.opportunity.city_id)


def _everything(sender, **kwargs):
    cache.bump_everything()


def connect():
    uid = "public-pages"
    post_save.connect(_action_status, sender=ActionStatusChange, dispatch_uid=f"{uid}-action")
    post_save.connect(_practice_status, sender=PracticeStatusChange, dispatch_uid=f"{uid}-practice")
    for model in (Target, Opportunity, PublicPage):
        for signal in (post_save, post_delete):
            signal.connect(_city_row, sender=model, dispatch_uid=f"{uid}-{model.__name__}-{signal is post_save}")
    for model in (OpportunityStageChange, Disbursement):
        for signal in (post_save, post_delete):
            signal.connect(_opportunity_row, sender=model, dispatch_uid=f"{uid}-{model.__name__}-{signal is post_save}")
    for model in (Axis, Commitment, Indicator, ExchangeRate, City, Country):
        for signal in (post_save, post_delete):
            signal.connect(_everything, sender=model, dispatch_uid=f"{uid}-{model.__name__}-{signal is post_save}")
