"""Evidence files: the content decides, limits are kept, photos lose their metadata, and only
people in scope download."""

import datetime
import io
import struct
import zlib

import pytest
import time_machine
from django.urls import reverse
from PIL import ExifTags, Image
from simple_history.utils import bulk_create_with_history

from commitments import services
from commitments.evidence import MAX_EVIDENCE_BYTES, MAX_UPLOADS_PER_HOUR, files_uploaded_in_the_last_hour
from commitments.models import Evidence
from commitments.sample_files import (
    docx_bytes,
    jpeg_with_gps_bytes,
    pdf_bytes,
    png_bytes,
    png_with_text_bytes,
    upload,
)
from commitments.tests.factories import ActionFactory
from commitments.tests.helpers import page_messages, post_files


@pytest.fixture
def media_root(settings):
    return settings.MEDIA_ROOT


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


def test_deleting_a_draft_deletes_its_stored_files_once_committed(
    client_for, ambassador, draft, media_root, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add_file(action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    path = media_root / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_for(ambassador).post(reverse("commitments:action_delete", args=[draft.pk]))
    assert len(callbacks) == 1 and not path.exists()


# Image metadata ---------------------------------------------------------------------------


def stored_image(evidence):
    with evidence.file.open("rb") as stored:
        content = stored.read()
    image = Image.open(io.BytesIO(content))
    image.load()
    return content, image


@pytest.mark.django_db
def test_a_photo_is_stored_upright_without_its_gps_position_or_any_other_metadata(client_for, ambassador, draft):
    original = jpeg_with_gps_bytes(width=60, height=40, orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample has it
    response = post_files(client_for(ambassador), draft, upload("plaza.jpg", original))
    assert page_messages(response) == ["Evidencias guardadas: 1."]
    evidence = draft.evidence.get()
    content, image = stored_image(evidence)
    assert image.format == "JPEG" and evidence.content_type == "image/jpeg"
    assert ExifTags.IFD.GPSInfo not in image.getexif()
    assert not image.getexif()
    assert not {"exif", "xmp", "comment", "photoshop"} & set(image.info)
    for trace in (b"Alicia", b"Telefono", b"Plaza de Armas", b"GPSLatitude", b"Exif\x00\x00"):
        assert trace not in content
    # Orientation 6 was applied: the sideways 60x40 picture is stored 40x60, its blue left half on top.
    assert image.size == (40, 60)
    top, bottom = image.getpixel((20, 5)), image.getpixel((20, 55))
    assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]
    assert evidence.size == len(content) == evidence.file.size


@pytest.mark.django_db
def test_a_png_loses_its_text_and_exif_chunks_and_keeps_its_pixels(client_for, ambassador, draft):
    original = png_with_text_bytes(width=8, height=6)
    assert b"tEXt" in original and b"eXIf" in original
    post_files(client_for(ambassador), draft, upload("mapa.png", original))
    evidence = draft.evidence.get()
    content, image = stored_image(evidence)
    for trace in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"Plaza de Armas"):
        assert trace not in content
    assert image.info == {} and not image.getexif()
    assert image.size == (8, 6) and image.getpixel((3, 3)) == (20, 120, 80)
    assert evidence.size == len(content)


@pytest.mark.django_db
def test_a_broken_image_is_refused_by_name_and_nothing_is_stored(client_for, ambassador, draft, media_root):
    broken = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x13\x37" * 300
    response = post_files(client_for(ambassador), draft, upload("foto.jpg", broken))
    assert not draft.evidence.exists()
    assert not (media_root / "evidence").exists()
    assert page_messages(response) == [
        "«foto.jpg» no es una imagen válida: puede estar dañada o incompleta. Ábrala, guárdela de nuevo y súbala."
    ]


def png_claiming(width, height):
    """A PNG header that says the picture is width x height, with next to no data behind it."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("width", "height"),
    [(8000, 8000), (30000, 30000)],  # over our limit; over Pillow's own decompression bomb limit
)
def test_an_image_that_would_unpack_to_too_many_pixels_is_refused_before_it_is_decoded(
    client_for, ambassador, draft, media_root, width, height
):
    response = post_files(client_for(ambassador), draft, upload("bomba.png", png_claiming(width, height)))
    assert not draft.evidence.exists()
    assert not (media_root / "evidence").exists()
    assert page_messages(response) == [
        "«bomba.png» es una imagen demasiado grande para procesarla: tiene más de 60 millones de píxeles. "
        "Redúzcala y vuelva a subirla."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["IMG_0001.HEIC", "IMG_0001.jpg"])
def test_a_heic_photo_is_refused_with_a_request_for_jpeg_whatever_its_name(client_for, ambassador, draft, name):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
    response = post_files(client_for(ambassador), draft, upload(name, heic, "image/heic"))
    assert not draft.evidence.exists()
    assert page_messages(response) == [
        f"«{name}» es una foto HEIC, que puede llevar el lugar donde se tomó y aquí no se puede borrar. "
        "Súbala en JPEG: el teléfono puede guardarla o compartirla así (en el iPhone: Ajustes > Cámara "
        "> Formatos > Más compatible)."
    ]


# Uploads per hour -------------------------------------------------------------------------

NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)


def store_earlier_files(by, action, count):
    """Files `by` stored on another action (rows and their audit entries: the count is what matters)."""
    bulk_create_with_history(
        [
            Evidence(action=action, file=f"evidence/2026/11/earlier{n}.pdf", original_name="a.pdf", uploaded_by=by)
            for n in range(count)
        ],
        Evidence,
        default_user=by,
    )


@pytest.mark.django_db
def test_past_sixty_files_in_an_hour_the_rest_of_the_upload_is_refused_and_what_fits_is_kept(
    client_for, ambassador, other_ambassador, draft
):
    store_earlier_files(ambassador, ActionFactory(by=ambassador), MAX_UPLOADS_PER_HOUR - 2)
    Evidence.objects.filter(uploaded_by=ambassador).first().delete()  # a removed file still counts
    store_earlier_files(other_ambassador, ActionFactory(by=other_ambassador), 10)  # someone else's do not count
    response = post_files(
        client_for(ambassador),
        draft,
        upload("uno.pdf", pdf_bytes()),
        upload("dos.png", png_bytes()),
        upload("tres.pdf", pdf_bytes()),
    )
    assert list(draft.evidence.values_list("original_name", flat=True)) == ["uno.pdf", "dos.png"]
    assert page_messages(response) == [
        "«tres.pdf» no se guardó: ya subió 60 archivos en la última hora. Inténtelo más tarde.",
        "Evidencias guardadas: 2.",
    ]


@pytest.mark.django_db
def test_files_stored_more_than_an_hour_ago_no_longer_count(client_for, ambassador, draft):
    with time_machine.travel(NOW, tick=False) as clock:
        store_earlier_files(ambassador, ActionFactory(by=ambassador), MAX_UPLOADS_PER_HOUR)
        client = client_for(ambassador)
        clock.move_to(NOW + datetime.timedelta(minutes=59))
        refused = post_files(client, draft, upload("tarde.pdf", pdf_bytes()))
        assert not draft.evidence.exists()
        assert page_messages(refused) == [
            "«tarde.pdf» no se guardó: ya subió 60 archivos en la última hora. Inténtelo más tarde."
        ]
        clock.move_to(NOW + datetime.timedelta(hours=1, seconds=1))
        accepted = post_files(client, draft, upload("luego.pdf", pdf_bytes()))
    assert list(draft.evidence.values_list("original_name", flat=True)) == ["luego.pdf"]
    assert page_messages(accepted) == ["Evidencias guardadas: 1."]


@pytest.mark.django_db
def test_counting_the_last_hours_uploads_is_one_query(ambassador, django_assert_num_queries):
    with django_assert_num_queries(1):
        files_uploaded_in_the_last_hour(ambassador)
