"""The race helper's threads log in like any test client: each session past the second factor."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ambassadors.tests.factories import UserFactory
from core.tests.threads import at_once


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.django_db(transaction=True)
def test_clients_that_log_in_at_once_in_threads_each_pass_the_second_factor():
    admins = [UserFactory(is_staff=True, is_superuser=True) for _ in range(8)]

    def open_admin(user):
        client = Client()
        client.force_login(user)
        return client.get(reverse("admin:index")).status_code

    for _round in range(5):
        assert at_once(open_admin, admins) == [200] * len(admins)
