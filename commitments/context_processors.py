from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, Subquery
from django.utils.functional import SimpleLazyObject

from ambassadors.scope import roles_of

from .models import Action, Notification


def _count(queryset):
    """COUNT(*) of `queryset` as a scalar subquery."""
    return Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())))


def _badges(user):
    """Both counters in one query, run the first time a template shows either."""
    counts = {"unread": _count(Notification.objects.unread().filter(recipient=user))}
    if roles_of(user).reads_many_cities:
        counts["waiting"] = _count(Action.objects.awaiting_review_by(user))
    return {"waiting": 0} | get_user_model().objects.filter(pk=user.pk).values(**counts).get()


def workflow(request):
    """The navigation's counters: unread notifications and actions waiting for the user's review."""
    user = request.user
    if not user.is_authenticated:
        return {}
    badges = SimpleLazyObject(lambda: _badges(user))
    return {
        "unread_notifications": SimpleLazyObject(lambda: badges["unread"]),
        "reviews_waiting": SimpleLazyObject(lambda: badges["waiting"]),
    }
