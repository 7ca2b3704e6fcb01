"""The successor's form: a registered person, or (with the invitations app) a new one by email."""

import pytest

from terms.forms import SuccessorForm

pytestmark = pytest.mark.django_db


def test_without_invitations_only_a_registered_person_is_offered(newcomer):
    form = SuccessorForm({"email": "nueva@example.org", "full_name": "Nueva"})
    assert "email" not in form.fields and not form.is_valid()
    assert form.errors["user"] == ["Elija a la persona que sucede en el cargo."]
    assert SuccessorForm({"user": newcomer.pk}).is_valid()


def test_with_invitations_a_new_person_needs_an_email_and_a_name(newcomer):
    assert SuccessorForm({"email": "nueva@example.org", "full_name": "Nueva Persona"}, invite=True).is_valid()
    unnamed = SuccessorForm({"email": "nueva@example.org"}, invite=True)
    assert not unnamed.is_valid() and "full_name" in unnamed.errors
    both = SuccessorForm({"user": newcomer.pk, "email": "nueva@example.org", "full_name": "N"}, invite=True)
    assert not both.is_valid() and both.non_field_errors()
    assert not SuccessorForm({}, invite=True).is_valid()


def test_people_holding_a_post_are_not_offered(ambassador, coordinator, admin, newcomer):
    offered = set(SuccessorForm().fields["user"].queryset)
    assert offered == {newcomer}
