"""Email preferences: one row per person, saved from "Correos que recibo", read by every email."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import EmailPreferences
from core.preferences import email_language, email_preferences_save, preferences_of
from core.tests.threads import at_once


@pytest.mark.django_db
def test_people_who_never_chose_get_the_defaults_without_a_row(ambassador, coordinator):
    email_preferences_save(user=coordinator, values={"language": "en", "reminders": "weekly"})
    chosen = preferences_of([ambassador, coordinator])
    assert (chosen[ambassador.pk].pk, chosen[ambassador.pk].language) == (None, "es")
    assert (chosen[coordinator.pk].language, chosen[coordinator.pk].reminders) == ("en", "weekly")
    assert (email_language(ambassador), email_language(coordinator)) == ("es", "en")


@pytest.mark.django_db
def test_a_second_save_changes_the_persons_one_row_and_only_the_fields_given(ambassador):
    email_preferences_save(user=ambassador, values={"language": "pt-br", "report_digests": False})
    email_preferences_save(user=ambassador, values={"reminders": "never", "user": "ignored"})
    preferences = EmailPreferences.objects.get(user=ambassador)
    assert (preferences.language, preferences.report_digests, preferences.reminders) == ("pt-br", False, "never")


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_both_succeed_and_leave_one_row(ambassador):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on it)")
    url = reverse("reports:email_preferences")
    clients = []
    for language in ("en", "pt-br"):
        client = Client()
        client.force_login(ambassador)
        clients.append((client, language))

    def save(client_and_language):
        client, language = client_and_language
        return client.post(url, {"reminders": "weekly", "report_digests": "on", "language": language}).status_code

    # Before the fix one of the two inserts hit the unique row and the page answered 500 (in
    # four rounds of five, measured on PostgreSQL): three rounds, each a first save again.
    for _round in range(3):
        EmailPreferences.objects.filter(user=ambassador).delete()
        assert at_once(save, clients) == [302, 302]
        preferences = EmailPreferences.objects.get(user=ambassador)
        assert preferences.reminders == "weekly" and preferences.language in ("en", "pt-br")
