"""The successor's form: a registered person, or a new one by email."""

import pytest

from terms.forms import SuccessorForm

pytestmark = pytest.mark.django_db


def test_a_new_person_needs_an_email_and_a_name(newcomer):
    assert SuccessorForm({"email": "nueva@example.org", "full_name": "Nueva Persona"}).is_valid()
    unnamed = SuccessorForm({"email": "nueva@example.org"})
    assert not unnamed.is_valid() and "full_name" in unnamed.errors
    both = SuccessorForm({"user": newcomer.pk, "email": "nueva@example.org", "full_name": "N"})
    assert not both.is_valid() and both.non_field_errors()
    assert not SuccessorForm({}).is_valid()
    assert SuccessorForm({"user": newcomer.pk}).is_valid()


def test_people_holding_a_post_are_not_offered(ambassador, coordinator, admin, newcomer):
    offered = set(SuccessorForm().fields["user"].queryset)
    assert offered == {newcomer}
