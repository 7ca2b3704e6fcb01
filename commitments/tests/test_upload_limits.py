"""Images that would hold a worker for a minute while they are re-saved: animations of many
frames and JPEGs of many scans are refused before they are decoded (issue 18, a 500 after
gunicorn's timeout)."""

import io
import re
import struct
import zlib

import pytest
from PIL import Image

from commitments.evidence import MAX_IMAGE_FRAMES, MAX_JPEG_SCANS
from commitments.sample_files import pdf_bytes, pdf_with_objects, upload
from commitments.tests.helpers import page_messages, post_files


def jpeg_with_scans(count):
    """A small progressive JPEG whose last scan is repeated until it has `count` scans (each
    repeat only refines what is drawn, so decoders accept it and work through every one)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 130, 140)).save(out, "JPEG", progressive=True, quality=50)
    data = out.getvalue()
    segments, i = [], 2
    while data[i + 1] != 0xD9:
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        end = i + 2 + length
        if data[i + 1] == 0xDA:  # a scan runs on to the next marker that is not stuffing or a restart
            while data[data.index(b"\xff", end) + 1] == 0 or 0xD0 <= data[data.index(b"\xff", end) + 1] <= 0xD7:
                end = data.index(b"\xff", end) + 2
            end = data.index(b"\xff", end)
        segments.append(data[i:end])
        i = end
    scans = [segment for segment in segments if segment[1] == 0xDA]
    return b"\xff\xd8" + b"".join(segments) + scans[-1] * (count - len(scans)) + b"\xff\xd9"


def blinking_gif(frames):
    """An animated GIF of `frames` one-pixel frames, each unlike the one before (Pillow merges
    equal frames when it saves)."""
    pictures = [Image.new("L", (1, 1), 255 * (n % 2)) for n in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, format="GIF", save_all=True, append_images=pictures[1:], duration=20, loop=0)
    assert Image.open(io.BytesIO(out.getvalue())).n_frames == frames
    return out.getvalue()


@pytest.mark.django_db
def test_an_animation_of_too_many_frames_is_refused_and_the_other_files_are_kept(client_for, ambassador, draft):
    response = post_files(
        client_for(ambassador),
        draft,
        upload("muchos.gif", blinking_gif(MAX_IMAGE_FRAMES + 1), "image/gif"),
        upload("acta.pdf", pdf_bytes(), "application/pdf"),
    )
    messages = page_messages(response)
    assert any("«muchos.gif»" in message and str(MAX_IMAGE_FRAMES) in message for message in messages)
    assert list(draft.evidence.values_list("original_name", flat=True)) == ["acta.pdf"]


@pytest.mark.django_db
def test_an_animation_within_the_limit_is_kept(client_for, ambassador, draft):
    post_files(client_for(ambassador), draft, upload("saludo.gif", blinking_gif(40), "image/gif"))
    assert list(draft.evidence.values_list("original_name", flat=True)) == ["saludo.gif"]


@pytest.mark.django_db
def test_a_jpeg_of_too_many_scans_is_refused_and_one_of_a_few_is_kept(client_for, ambassador, draft):
    client = client_for(ambassador)
    assert Image.open(io.BytesIO(jpeg_with_scans(MAX_JPEG_SCANS + 1))).size == (64, 48)  # a JPEG all the same
    response = post_files(client, draft, upload("escaneos.jpg", jpeg_with_scans(MAX_JPEG_SCANS + 1), "image/jpeg"))
    messages = page_messages(response)
    assert any("«escaneos.jpg»" in message for message in messages)
    assert not draft.evidence.exists()
    post_files(client, draft, upload("foto.jpg", jpeg_with_scans(12), "image/jpeg"))
    assert list(draft.evidence.values_list("original_name", flat=True)) == ["foto.jpg"]


OBJECT_STREAM = re.compile(rb"/Filter /FlateDecode /Length (\d+) >>\nstream\n")
JAVASCRIPT_INSIDE = [b"(endstream)", b"<< /S /JavaScript /JS (app.alert(1)) >>"]


def with_object_stream_rewritten(pdf, *, filters, encode):
    """`pdf` with its object stream decoded and encoded again by `encode`, under `filters`."""
    match = OBJECT_STREAM.search(pdf)
    start = match.end()
    decoded = zlib.decompress(pdf[start : start + int(match.group(1))])
    encoded = encode(decoded)
    head = b"/Filter %s /Length %d >>\nstream\n" % (filters, len(encoded))
    return pdf[: match.start()] + head + encoded + pdf[start + int(match.group(1)) :]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters, encode",
    [
        (b"[/FlateDecode /FlateDecode]", lambda data: zlib.compress(zlib.compress(data))),
        # Stored (level 0): the bytes `endstream` of the first object appear as they are in the
        # compressed data, where a scan that trusts the first `endstream` stops.
        (b"/FlateDecode", lambda data: zlib.compress(data, 0)),
    ],
    ids=["flate-twice", "endstream-spelled-inside"],
)
def test_javascript_hidden_in_an_object_stream_the_scan_cannot_read_whole_is_refused(
    client_for, ambassador, draft, filters, encode
):
    plain = pdf_with_objects(compressed=JAVASCRIPT_INSIDE)
    hidden = with_object_stream_rewritten(plain, filters=filters, encode=encode)
    client = client_for(ambassador)
    for name, content in (("visible.pdf", plain), ("oculto.pdf", hidden)):
        response = post_files(client, draft, upload(name, content, "application/pdf"))
        messages = page_messages(response)
        assert any(message.startswith(f"«{name}» es un PDF") for message in messages), messages
    assert not draft.evidence.exists()


@pytest.mark.django_db
def test_a_pdf_with_long_runs_of_digits_is_read_and_kept(client_for, ambassador, draft):
    """Runs of 64,000 digits made the object-header search try every suffix of each (a minute of
    a worker for a 520 KB file); now it reads them once."""
    content = b"%PDF-1.4\n" + (b"1" * 64_000 + b"\nstream\nx\nendstream\n") * 8 + pdf_bytes()[9:]
    post_files(client_for(ambassador), draft, upload("numeros.pdf", content, "application/pdf"))
    assert list(draft.evidence.values_list("original_name", flat=True)) == ["numeros.pdf"]
