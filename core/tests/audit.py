"""What the audit trail (django-simple-history) holds, for the tests of each app."""


def trail(instance):
    """(history type, status or None, username or None) of each entry, oldest first."""
    return [
        (entry.history_type, getattr(entry, "status", None), entry.history_user and entry.history_user.username)
        for entry in type(instance).history.filter(id=instance.pk).order_by("history_date", "history_id")
    ]
