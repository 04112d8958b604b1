"""Uploads of the forum: checked by content and size, stored under generated names, logged."""

import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from musrenbang.exceptions import DomainError
from reports import services
from reports.models import ForumUpload
from tests import pdfs

pytestmark = pytest.mark.django_db

PDF = pdfs.plain()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _url(forum) -> str:
    return reverse("reports:upload", args=[forum.pk])


def _post(client, forum, name, content, kind="scan_ba", caption="BA bertanda tangan"):
    return client.post(
        _url(forum),
        {"kind": kind, "caption": caption, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def _media_files(settings) -> set[str]:
    found = set()
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(root, name) for name in files)
    return found


@pytest.mark.parametrize(
    ("kind", "name", "content", "content_type"),
    [("scan_ba", "BA ttd.pdf", PDF, "application/pdf"),
     ("scan_hadir", "hadir.PDF", PDF, "application/pdf"),
     ("foto", "foto 1.jpg", JPEG, "image/jpeg"),
     ("foto", "foto 2.png", PNG, "image/png"),
     ("video", "rekaman.mp4", MP4, "video/mp4"),
     ("lain", "catatan.pdf", PDF, "application/pdf")],
)  # fmt: skip
def test_clerk_uploads_after_sending_under_a_generated_name(
    sent, clerk, as_user, kind, name, content, content_type
):
    response = _post(as_user(clerk), sent.forum, name, content, kind=kind)
    upload = ForumUpload.objects.get()
    assert f"Berkas &#x27;{name}&#x27; diunggah." in response.content.decode()
    assert upload.original_name == name
    assert upload.content_type == content_type
    assert upload.uploaded_by == clerk and upload.uploaded_at is not None
    assert upload.size == len(content)
    stored = os.path.basename(upload.file.name)
    assert name not in upload.file.name and len(stored.split(".")[0]) == 32
    assert upload.file.name.startswith(f"forum/{sent.forum.pk}/dokumen/")


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [("scan_ba", "skrip.pdf", b"#!/bin/sh\nrm -rf /\n", "bukan jenis yang diizinkan"),
     ("scan_ba", "foto.pdf", JPEG, "bukan jenis yang diizinkan"),
     ("foto", "program.exe", b"MZ\x90\x00" + b"\x00" * 40, "bukan jenis yang diizinkan"),
     ("foto", "gambar.jpg", PNG, "tidak sesuai dengan isinya"),
     ("lain", "halaman.html", b"<html><script>alert(1)</script>", "bukan jenis yang diizinkan"),
     ("scan_ba", "jahat.pdf", PDF + b"<< /S /JavaScript /JS (app.alert(1)) >>", "JavaScript")],
)  # fmt: skip
def test_wrong_content_is_refused_with_a_message_and_nothing_stored(
    sent, clerk, as_user, settings, kind, name, content, message
):
    before = _media_files(settings)
    response = _post(as_user(clerk), sent.forum, name, content, kind=kind)
    assert "Unggahan ditolak" in response.content.decode()
    assert message in response.content.decode()
    assert not ForumUpload.objects.exists()
    assert _media_files(settings) == before


@override_settings(UPLOAD_MAX_DOCUMENT_BYTES=100, UPLOAD_MAX_IMAGE_BYTES=50)
@pytest.mark.parametrize(("kind", "name", "content"), [("scan_ba", "besar.pdf", PDF + b"0" * 200),
                                                       ("foto", "besar.jpg", JPEG)])  # fmt: skip
def test_too_large_files_are_refused(sent, clerk, as_user, settings, kind, name, content):
    before = _media_files(settings)
    response = _post(as_user(clerk), sent.forum, name, content, kind=kind)
    assert "terlalu besar" in response.content.decode()
    assert not ForumUpload.objects.exists()
    assert _media_files(settings) == before


@pytest.mark.parametrize("name", ["../../etc/cron.d/jahat.pdf", "..\\..\\jahat.pdf", ".htaccess"])
def test_a_path_in_the_file_name_is_refused_by_the_service(sent, clerk, name):
    with pytest.raises(DomainError, match="folder|'..'"):
        services.upload_create(
            forum=sent.forum, actor=clerk, kind="scan_ba", caption="x", file=ContentFile(PDF, name)
        )
    assert not ForumUpload.objects.exists()


def test_a_path_sent_in_the_multipart_name_never_reaches_the_disk(sent, clerk, as_user, settings):
    """Django strips the path of a raw multipart file name; the stored name is ours anyway."""
    boundary = "BoUnDaRy"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nscan_ba\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nBA\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="../../../../tmp/jahat.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    client = as_user(clerk)
    client.generic(
        "POST", _url(sent.forum), body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    upload = ForumUpload.objects.get()
    assert "/" not in upload.original_name and ".." not in upload.original_name
    assert os.path.realpath(upload.file.path).startswith(os.path.realpath(settings.MEDIA_ROOT))


def test_caption_is_required(sent, clerk, as_user):
    response = _post(as_user(clerk), sent.forum, "ba.pdf", PDF, caption="")
    assert "Unggahan ditolak" in response.content.decode()
    assert not ForumUpload.objects.exists()


def test_upload_view_refuses_get(sent, clerk, as_user):
    assert as_user(clerk).get(_url(sent.forum)).status_code == 405


def test_upload_view_sends_anonymous_visitors_to_login(sent, client):
    response = client.post(_url(sent.forum), {})
    assert response.status_code == 302 and "/masuk/" in response.url


@pytest.mark.parametrize("persona", ["other_clerk", "operator", "bappeda", "opd_reader"])
def test_only_the_kecamatan_uploads(sent, persona, request, as_user):
    user = request.getfixturevalue(persona)
    response = as_user(user).post(
        _url(sent.forum),
        {"kind": "scan_ba", "caption": "x", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not ForumUpload.objects.exists()


@pytest.fixture
def upload(sent, clerk):
    return services.upload_create(
        forum=sent.forum, actor=clerk, kind="scan_ba", caption="BA", file=ContentFile(PDF, "b.pdf")
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("camat", 200), ("clerk", 200), ("bappeda", 200), ("other_clerk", 403),
     ("outside_bappeda", 403), ("operator", 403), ("opd_reader", 403), ("no_role", 403)],
)  # fmt: skip
def test_downloads_are_served_only_to_people_who_may_see_the_forum(
    upload, persona, status, request, as_user
):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("reports:upload_download", args=[upload.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"


def test_download_needs_login(upload, client):
    response = client.get(reverse("reports:upload_download", args=[upload.pk]))
    assert response.status_code == 302


def test_media_url_is_not_how_uploads_are_served(upload, client, camat, as_user):
    response = as_user(camat).get(f"/media/{upload.file.name}")
    assert response.status_code == 404


def test_the_documents_page_lists_uploads_with_who_and_when(upload, camat, as_user):
    page = as_user(camat).get(reverse("reports:forum", args=[upload.forum_id])).content.decode()
    assert "b.pdf" in page and "BA" in page
    assert str(upload.uploaded_by) in page
