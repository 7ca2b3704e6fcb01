"""Evidence files: the content decides, limits are kept, and only people in scope download."""

import pytest
from django.urls import reverse

from commitments import services
from commitments.evidence import MAX_EVIDENCE_BYTES
from commitments.models import Evidence
from commitments.sample_files import docx_bytes, pdf_bytes, png_bytes, upload


@pytest.fixture
def media_root(settings):
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(ambassador, make_action):
    return make_action(ambassador)


def post_files(client, action, *files):
    return client.post(reverse("commitments:evidence_upload", args=[action.pk]), {"files": list(files)}, follow=True)


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_a_pdf_an_image_and_a_word_document_are_stored_under_generated_names(client_for, ambassador, draft):
    response = post_files(
        client_for(ambassador),
        draft,
        upload("acta de la reunión.pdf", pdf_bytes()),
        upload("foto.png", png_bytes()),
        upload("informe.docx", docx_bytes()),
    )
    stored = list(draft.evidence.order_by("pk"))
    assert [e.original_name for e in stored] == ["acta de la reunión.pdf", "foto.png", "informe.docx"]
    assert [e.content_type for e in stored][:2] == ["application/pdf", "image/png"]
    assert stored[2].file.name.endswith(".docx")
    for evidence in stored:
        assert "acta" not in evidence.file.name and "foto" not in evidence.file.name
        assert evidence.file.name.startswith("evidence/")
    assert "Evidencias guardadas: 3." in page_messages(response)


@pytest.mark.django_db
def test_a_file_whose_extension_lies_about_its_content_is_refused(client_for, ambassador, draft):
    response = post_files(client_for(ambassador), draft, upload("informe.pdf", png_bytes()))
    assert not draft.evidence.exists()
    assert page_messages(response) == [
        "«informe.pdf» dice ser .pdf pero su contenido es .png. Revise que sea el archivo correcto."
    ]


@pytest.mark.django_db
def test_a_program_renamed_as_a_pdf_is_refused(client_for, ambassador, draft):
    response = post_files(client_for(ambassador), draft, upload("informe.pdf", b"MZ\x90\x00" + b"\x00" * 200))
    assert not draft.evidence.exists()
    assert "no es un PDF, una imagen ni un documento de oficina" in page_messages(response)[0]


@pytest.mark.django_db
def test_an_oversize_file_is_refused_with_its_size_and_the_limit(client_for, ambassador, draft):
    big = pdf_bytes() + b"0" * (MAX_EVIDENCE_BYTES + 1)
    response = post_files(client_for(ambassador), draft, upload("grande.pdf", big))
    assert not draft.evidence.exists()
    assert page_messages(response) == ["«grande.pdf» pesa 10,0\xa0MB; el máximo es 10,0\xa0MB por archivo."]


@pytest.mark.django_db
def test_an_eleventh_file_is_refused_and_the_first_ten_are_kept(client_for, ambassador, draft):
    client = client_for(ambassador)
    post_files(client, draft, *[upload(f"foto{n}.png", png_bytes()) for n in range(10)])
    response = post_files(client, draft, upload("foto11.png", png_bytes()))
    assert draft.evidence.count() == 10
    assert page_messages(response) == ["«foto11.png» no se guardó: la acción ya tiene 10 archivos, el máximo."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pagina.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
    ],
)
def test_html_and_svg_are_refused_whatever_their_name(client_for, ambassador, draft, name, content):
    response = post_files(client_for(ambassador), draft, upload(name, content, "image/png"))
    assert not draft.evidence.exists()
    assert page_messages(response) == [
        f"«{name}» es una página web o una imagen SVG, que pueden contener código: no se aceptan."
    ]


@pytest.mark.django_db
def test_one_refused_file_does_not_lose_the_others(client_for, ambassador, draft):
    response = post_files(
        client_for(ambassador), draft, upload("bueno.pdf", pdf_bytes()), upload("malo.html", b"<html></html>")
    )
    assert list(draft.evidence.values_list("original_name", flat=True)) == ["bueno.pdf"]
    assert len(page_messages(response)) == 2


@pytest.mark.django_db
def test_the_file_downloads_as_an_attachment_that_the_browser_will_not_sniff(
    client_for, ambassador, draft, coordinator
):
    services.evidence_add_file(action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    evidence = draft.evidence.get()
    for user in (ambassador, coordinator):
        response = client_for(user).get(reverse("commitments:evidence_download", args=[evidence.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="acta.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_ambassador", "coordinator_elsewhere"])
def test_people_out_of_scope_cannot_download_the_file(request, client_for, ambassador, draft, who):
    evidence = services.evidence_add_file(action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    response = client_for(request.getfixturevalue(who)).get(
        reverse("commitments:evidence_download", args=[evidence.pk])
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_people_are_sent_to_login_instead_of_the_file(client, ambassador, draft):
    evidence = services.evidence_add_file(action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    response = client.get(reverse("commitments:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_ambassador", "coordinator", "admin"])
def test_only_its_ambassador_adds_or_removes_evidence(request, client_for, ambassador, draft, who):
    evidence = services.evidence_add_file(action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    client = client_for(request.getfixturevalue(who))
    upload_response = client.post(
        reverse("commitments:evidence_upload", args=[draft.pk]), {"files": [upload("b.pdf", pdf_bytes())]}
    )
    delete_response = client.post(reverse("commitments:evidence_delete", args=[evidence.pk]))
    assert upload_response.status_code in (403, 404)
    assert delete_response.status_code in (403, 404)
    assert list(Evidence.objects.filter(action=draft).values_list("original_name", flat=True)) == ["acta.pdf"]


@pytest.mark.django_db
def test_removing_evidence_deletes_the_stored_file_once_committed(
    client_for, ambassador, draft, media_root, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add_file(action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    path = media_root / evidence.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(ambassador).post(reverse("commitments:evidence_delete", args=[evidence.pk]))
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()
