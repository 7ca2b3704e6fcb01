"""Django REST framework's catalogue translates some of Django's form messages again; the project's
catalogue gives them back Django's own wording (core/django_wording.py)."""

import gettext
from pathlib import Path

import django
import pytest
from django import forms
from django.utils import translation

from core.django_wording import MESSAGES


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "Este campo es obligatorio."), ("pt-br", "Este campo é obrigatório."), ("en", "This field is required.")],
)
def test_a_required_field_says_so_in_djangos_words(language, expected):
    with translation.override(language):
        with pytest.raises(forms.ValidationError) as refused:
            forms.CharField().clean("")
        assert refused.value.messages == [expected]


@pytest.mark.parametrize(("language", "folder"), [("es", "es"), ("pt-br", "pt_BR")])
def test_each_pinned_message_reads_as_djangos_own_catalogue(language, folder):
    catalogue = Path(django.__file__).parent / "conf" / "locale" / folder / "LC_MESSAGES" / "django.mo"
    with catalogue.open("rb") as mo:
        django_own = gettext.GNUTranslations(mo)
    with translation.override(language):
        assert [translation.gettext(message) for message in MESSAGES] == [django_own.gettext(m) for m in MESSAGES]
