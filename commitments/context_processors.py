from django.utils.functional import SimpleLazyObject

from .models import Action, Notification


def workflow(request):
    """The navigation's counters: unread notifications and actions waiting for the user's review.

    Each is one COUNT query, run only when a template shows it.
    """
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: Notification.objects.unread().filter(recipient=user).count()),
        "reviews_waiting": SimpleLazyObject(lambda: Action.objects.awaiting_review_by(user).count()),
    }
