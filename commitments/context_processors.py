from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, Subquery
from django.utils.functional import SimpleLazyObject

from ambassadors.scope import roles_of

from .models import Action, Notification

# The review badge counts this many at most and then shows "99+": a coordinator of the whole
# network can have tens of thousands waiting, and counting them all cost every page 40 ms.
WAITING_COUNTED = 100


def _count(queryset):
    """COUNT(*) of `queryset` as a scalar subquery."""
    return Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())))


def _count_at_most(queryset, most):
    """COUNT(*) of at most `most` rows of `queryset`, as a scalar subquery."""
    first = queryset.order_by().values("pk")[:most]
    return _count(queryset.model.objects.filter(pk__in=Subquery(first)))


def _badges(user):
    """Both counters in one query, run the first time a template shows either."""
    counts = {"unread": _count(Notification.objects.unread().filter(recipient=user))}
    if roles_of(user).reads_many_cities:
        counts["waiting"] = _count_at_most(Action.objects.awaiting_review_by(user), WAITING_COUNTED)
    return {"waiting": 0} | get_user_model().objects.filter(pk=user.pk).values(**counts).get()


def workflow(request):
    """The navigation's counters: unread notifications and actions waiting for the user's review
    (up to WAITING_COUNTED; `reviews_waiting_more` past it)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    badges = SimpleLazyObject(lambda: _badges(user))
    return {
        "unread_notifications": SimpleLazyObject(lambda: badges["unread"]),
        "reviews_waiting": SimpleLazyObject(lambda: min(badges["waiting"], WAITING_COUNTED - 1)),
        "reviews_waiting_more": SimpleLazyObject(lambda: badges["waiting"] >= WAITING_COUNTED),
    }
