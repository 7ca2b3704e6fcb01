"""A request's size is bounded before Django reads it: a body declared larger than the largest
upload is refused (413) with a message and without a byte of it read, uploads above a megabyte
go to temporary files, and gunicorn bounds the request line."""

import io
import socket

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from django.utils.crypto import get_random_string

from commitments import services
from commitments.evidence import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES
from commitments.models import Commitment
from config.tests.servers import gunicorn, shared_database_url


class Unread(io.RawIOBase):
    """A request body that counts what is read of it, and stops the test once a megabyte is."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.read_bytes > 1024 * 1024:
            raise AssertionError("the body is being read")
        buffer[:] = b"0" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_the_cap_leaves_room_for_the_largest_upload_a_person_may_send():
    assert settings.REQUEST_BODY_MAX_BYTES > MAX_EVIDENCE_FILES * MAX_EVIDENCE_BYTES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("es", "Lo que intentó enviar ocupa 200,0\xa0MB, y cada envío puede ocupar hasta 101,0\xa0MB."),
        ("en", "What you tried to send takes 200.0\xa0MB, and each submission can take up to 101.0\xa0MB."),
    ],
)
def test_a_body_declared_larger_than_the_cap_is_refused_before_a_byte_is_read(client_for, ambassador, language, says):
    draft = services.action_create(
        by=ambassador, commitment=Commitment.objects.first(), data={"title": "Limpieza del río"}, focus_areas=[]
    )
    body = Unread()
    response = client_for(ambassador).post(
        reverse("commitments:evidence_upload", args=[draft.pk]),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        HTTP_ACCEPT_LANGUAGE=language,
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert says in response.content.decode()
    assert body.read_bytes == 0
    assert not draft.evidence.exists()


def test_an_upload_above_a_megabyte_goes_to_a_temporary_file_not_to_memory(rf):
    request = rf.post("/", {"files": SimpleUploadedFile("acta.pdf", b"%PDF-" + b"0" * 1024 * 1024)})
    uploaded = request.FILES["files"]
    assert isinstance(uploaded, TemporaryUploadedFile)
    uploaded.close()


def _exchange(port, head, *, body=b""):
    """Send `head` (and `body`) on a raw connection; what the server answers before closing it."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.decode("utf-8", "replace")


@pytest.mark.django_db(transaction=True)
def test_gunicorn_refuses_a_huge_body_without_waiting_for_it_and_a_huge_request_line(tmp_path):
    with gunicorn(shared_database_url(tmp_path)) as [port]:
        # 200 MB of upload announced, a few bytes sent: the answer comes although the rest never arrives.
        answer = _exchange(
            port,
            # With a CSRF cookie, the CSRF check reads the form's token from the body (it would wait for it).
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Cookie: csrftoken=" + get_random_string(32).encode() + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 209715200\r\n\r\n",
            body=b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF-',  # an upload
        )
        assert answer.startswith("HTTP/1.1 413 ")
        assert "Envío demasiado grande" in answer
        line = _exchange(port, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert line.startswith("HTTP/1.1 414 ") and "Request Line is too large (5014 &gt; 4094)" in line
