"""Property-based tests of the evidence upload, through the real view as the ambassador.

Real files of every accepted kind (JPEG, PNG, GIF and WebP, still and animated; Word, Excel,
PowerPoint and OpenDocument files; PDFs with a classic cross-reference table or with object
streams) are mutated byte by byte (set, cut short, insert, delete) and uploaded together with
a good PDF. Whatever the mutation, the answer is the action's page, never a 500 (the test
client re-raises a view's exception): the mutated file is either stored (an image then opens,
without metadata) or refused with one message that names it, and the good PDF is stored
either way. Each example runs in a savepoint rolled back at its end.
"""

import io
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, note
from hypothesis import strategies as st
from PIL import Image

from commitments.sample_files import (
    gif_bytes,
    jpeg_with_gps_bytes,
    odf_bytes,
    ooxml_bytes,
    pdf_bytes,
    pdf_with_objects,
    png_with_text_bytes,
    upload,
    webp_bytes,
)
from commitments.tests.factories import ActionFactory
from core.tests.helpers import examples as profile_examples

pytestmark = pytest.mark.django_db

IMAGES = {
    "foto.jpg": jpeg_with_gps_bytes(24, 16),
    "mapa.png": png_with_text_bytes(8, 6),
    "animada.gif": gif_bytes(frames=3, size=6),
    "foto.webp": webp_bytes(),
    "sin-perdida.webp": webp_bytes(lossless=True),
    "animada.webp": webp_bytes(frames=3),
}
DOCUMENTS = {
    "informe.docx": ooxml_bytes("docx"),
    "cuentas.xlsx": ooxml_bytes("xlsx"),
    "charla.pptx": ooxml_bytes("pptx"),
    "notas.odt": odf_bytes("odt"),
    "tabla.ods": odf_bytes("ods"),
    "acta.pdf": pdf_bytes(),
    "objetos.pdf": pdf_with_objects(catalog=b"/OpenAction 6 0 R", compressed=[b"<< /S /URI /URI (https://a.b) >>"]),
}

MUTATION = st.one_of(
    st.tuples(st.just("set"), st.integers(min_value=0), st.integers(0, 255)),
    st.tuples(st.just("cut"), st.integers(min_value=0)),
    st.tuples(st.just("insert"), st.integers(min_value=0), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(min_value=0), st.integers(1, 16)),
)


def mutate(data, mutations):
    data = bytearray(data)
    for kind, position, *argument in mutations:
        position %= len(data) + 1
        if kind == "set" and position < len(data):
            data[position] = argument[0]
        elif kind == "cut":
            del data[max(position, 1) :]
        elif kind == "insert":
            data[position:position] = argument[0]
        elif kind == "delete":
            del data[position : position + argument[0]]
    return bytes(data)


def examples(count):
    return profile_examples(
        count,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def upload_with_a_good_file(client, action, name, content):
    response = client.post(
        reverse("commitments:evidence_upload", args=[action.pk]),
        {"files": [upload(name, content), upload("bueno.pdf", pdf_bytes())]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def check_the_answer(action, name, messages):
    """The good file is kept; the mutated one is stored, or refused by one message naming it."""
    stored = {evidence.original_name: evidence for evidence in action.evidence.all()}
    assert "bueno.pdf" in stored
    if name in stored:
        assert messages == ["Evidencias guardadas: 2."]
        return stored[name]
    assert len(messages) == 2 and messages[1] == "Evidencias guardadas: 1."
    assert messages[0].startswith(f"«{name}» ")
    return None


# Mutations that made Pillow raise past the old re-save (IndexError, RuntimeError, TypeError):
# tried first, every run.
@examples(100)
@given(name=st.sampled_from(sorted(IMAGES)), mutations=st.lists(MUTATION, min_size=1, max_size=6))
@example(name="animada.gif", mutations=[("set", len(IMAGES["animada.gif"]) - 1, ord("!"))])
@example(name="animada.webp", mutations=[("set", 25, 0xA7)])
@example(name="foto.jpg", mutations=[("set", IMAGES["foto.jpg"].index(b"Alicia\x00\x00\x00\x04") + 9, 0x48)])
def test_a_mutated_image_is_stored_clean_or_refused_and_never_loses_the_other_file(
    client_for, ambassador, name, mutations
):
    content = mutate(IMAGES[name], mutations)
    note(f"{name}: {content!r}")
    client = client_for(ambassador)  # outside the savepoint: the session outlives the example
    with rolled_back():
        action = ActionFactory(by=ambassador)
        messages = upload_with_a_good_file(client, action, name, content)
        evidence = check_the_answer(action, name, messages)
        if evidence is not None:
            with evidence.file.open("rb") as stored:
                image = Image.open(io.BytesIO(stored.read()))
                image.load()
            assert not image.getexif() and not {"exif", "xmp", "comment"} & set(image.info)


@examples(80)
@given(name=st.sampled_from(sorted(DOCUMENTS)), mutations=st.lists(MUTATION, min_size=1, max_size=6))
@example(name="acta.pdf", mutations=[("cut", 0)])  # empty: the old form refused every file of the request
def test_a_mutated_office_document_or_pdf_is_stored_or_refused_and_never_loses_the_other_file(
    client_for, ambassador, name, mutations
):
    content = mutate(DOCUMENTS[name], mutations)
    note(f"{name}: {content!r}")
    client = client_for(ambassador)  # outside the savepoint: the session outlives the example
    with rolled_back():
        action = ActionFactory(by=ambassador)
        messages = upload_with_a_good_file(client, action, name, content)
        check_the_answer(action, name, messages)
