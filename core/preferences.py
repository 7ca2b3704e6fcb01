"""Email preferences: what each person wants by email, and in which language."""

from .models import EmailPreferences

PREFERENCE_FIELDS = ("reminders", "report_digests", "weekly_summary", "language")


def preferences_of(users):
    """{user id: EmailPreferences}, in one query; people who never chose get the defaults (unsaved)."""
    chosen = {prefs.user_id: prefs for prefs in EmailPreferences.objects.filter(user__in=users)}
    return {user.pk: chosen.get(user.pk) or EmailPreferences(user=user) for user in users}


def email_language(user):
    """The language the person reads their emails in (the site's language if they never chose)."""
    return preferences_of([user])[user.pk].language


def email_preferences_save(*, user, values):
    """Save the person's choices (`values` may hold any of PREFERENCE_FIELDS).

    Two first saves at once (a double tap, two tabs) both try to insert the person's row:
    update_or_create locks the row it finds, and when its insert loses to the other one it reads
    the winner's row (Django catches the IntegrityError in a savepoint) and updates that."""
    values = {field: value for field, value in values.items() if field in PREFERENCE_FIELDS}
    preferences, _created = EmailPreferences.objects.update_or_create(user=user, defaults=values)
    return preferences
