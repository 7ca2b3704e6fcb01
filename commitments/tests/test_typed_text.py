"""Text typed on one line (titles, names, link descriptions) holds no line break and no
control character; longer text keeps its lines and tabs and refuses the other control characters.
A refused post says why at the field and keeps what was typed. The same check guards the
services and admin (it is the model fields' own), so no form is a way around it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from ambassadors.models import City
from commitments import services
from commitments.forms import EvidenceUploadForm, LinkForm
from commitments.models import Action
from commitments.tests.factories import ActionFormFactory
from core.validators import validate_single_line, validate_text

ONE_LINE = "Escriba este texto en una sola línea, sin saltos de línea."


def control(code):
    return f"El texto tiene un carácter de control invisible ({code}) que no se admite: bórrelo."


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Taller\x0bde compostaje", ONE_LINE),  # a vertical tab splits a line too
        ("Taller\nde compostaje", ONE_LINE),
        ("Taller\u2028de compostaje", ONE_LINE),
        ("Taller\tde compostaje", control("U+0009")),
        ("Taller\x07de compostaje", control("U+0007")),
    ],
)
@pytest.mark.django_db
def test_a_title_with_a_line_break_or_a_control_character_is_refused_keeping_what_was_typed(
    client_for, ambassador, commitment, title, message
):
    description = "Dos cosas:\n- limpieza\n\t- siembra"
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]),
        ActionFormFactory(title=title, description=description),
    )
    assert response.status_code == 200
    assert not Action.objects.exists()
    form = response.context["form"]
    assert form.errors["title"] == [message]
    assert (form["title"].value(), form["description"].value()) == (title, description)
    page = response.content.decode()
    assert escape(message) in page
    assert escape(description) in page


@pytest.mark.django_db
def test_longer_text_keeps_its_lines_and_tabs(client_for, ambassador, commitment):
    description, partners = "Dos cosas:\r\n- limpieza\n\t- siembra", "Municipio\nJunta vecinal"
    client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]),
        ActionFormFactory(description=description, outcome="Bien\u2028hecho", partners=partners),
    )
    action = Action.objects.get()
    assert (action.description, action.outcome, action.partners) == (
        description,
        "Bien\u2028hecho",
        partners,
    )


@pytest.mark.django_db
def test_longer_text_refuses_other_control_characters(client_for, ambassador, commitment):
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]),
        ActionFormFactory(description="Una\x0bdos", partners="Municipio\x1bJunta"),
    )
    assert response.status_code == 200
    assert not Action.objects.exists()
    form = response.context["form"]
    assert form.errors["description"] == [control("U+000B")]
    assert form.errors["partners"] == [control("U+001B")]


@pytest.mark.django_db
def test_a_link_description_is_one_line_and_stays_as_typed(client_for, ambassador, commitment):
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]),
        ActionFormFactory(
            **{
                "links-TOTAL_FORMS": "1",
                "links-0-url": "https://example.org/nota",
                "links-0-title": "Nota\x0bde prensa",
            }
        ),
    )
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert response.context["links"].forms[0].errors["title"] == [ONE_LINE]
    assert response.context["links"].forms[0]["title"].value() == "Nota\x0bde prensa"


def test_an_evidence_and_a_link_description_are_one_line():
    assert EvidenceUploadForm(data={"title": "Fotos\r\ndel taller"}).errors["title"] == [ONE_LINE]
    link = LinkForm(data={"url": "https://example.org", "title": "Acta\x1fdel taller"})
    assert link.errors["title"] == [control("U+001F")]


@pytest.mark.django_db
def test_the_review_comment_keeps_its_lines_and_refuses_control_characters(client_for, coordinator, submitted_action):
    client = client_for(coordinator)
    url = reverse("commitments:action_review", args=[submitted_action.pk])
    refused = client.post(url, {"decision": "return", "comment": "Corrija\x0cla fecha"})
    assert refused.status_code == 200
    assert refused.context["review_form"].errors["comment"] == [control("U+000C")]
    client.post(url, {"decision": "return", "comment": "Corrija:\n- la fecha\n- el título"})
    submitted_action.refresh_from_db()
    assert submitted_action.status == Action.Status.RETURNED
    assert submitted_action.status_changes.latest("pk").comment == "Corrija:\n- la fecha\n- el título"


@pytest.mark.django_db
def test_the_services_and_admin_refuse_what_the_forms_refuse(ambassador, commitment, lima):
    with pytest.raises(ValidationError) as refused:
        services.action_create(by=ambassador, commitment=commitment, data={"title": "Una\nDos"})
    assert refused.value.message_dict == {"title": [ONE_LINE]}
    lima.name = "Lima\x0b"
    with pytest.raises(ValidationError) as refused:
        lima.full_clean()  # what Django admin's form runs
    assert refused.value.message_dict["name"] == [ONE_LINE]
    assert City.objects.get(pk=lima.pk).name == "Lima"


@pytest.mark.parametrize("text", ["", "Jornada de limpieza", "مياه نظيفة", "💧 «Agua» — 1.ª fase", "\u202eevil\u202c"])
def test_one_line_of_any_script_passes(text):
    validate_single_line(text)
    validate_text(text)
