"""Attachments: type by content, size limits, generated names, permission-checked download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Attachment, Status
from tests import pdfs

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = pdfs.plain()


def _upload(client, proposal, name, content, kind="foto"):
    return client.post(
        reverse("proposals:attachment_add", args=[proposal.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_png_is_stored_under_a_generated_name(as_user, operator, make_proposal):
    proposal = make_proposal()
    _upload(as_user(operator), proposal, "foto jalan.png", PNG)
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "foto jalan.png"
    assert "foto" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert attachment.file.name.startswith("usulan/")


def test_content_decides_not_the_extension(as_user, operator, make_proposal):
    proposal = make_proposal()
    response = _upload(as_user(operator), proposal, "rab.pdf", b"MZ\x90\x00 not a pdf")
    assert "bukan jenis yang diizinkan" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_whose_extension_lies_about_its_content_is_refused(as_user, operator, make_proposal):
    proposal = make_proposal()
    response = _upload(as_user(operator), proposal, "dokumen.png", PDF, kind="dokumen")
    assert "tidak sesuai dengan isinya" in response.content.decode()
    assert not Attachment.objects.exists()
    _upload(as_user(operator), proposal, "dokumen.pdf", PDF, kind="dokumen")
    assert Attachment.objects.get().content_type == "application/pdf"


def test_size_limit_from_settings(as_user, operator, make_proposal, settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 32
    proposal = make_proposal()
    response = _upload(as_user(operator), proposal, "besar.png", PNG)
    assert "terlalu besar" in response.content.decode()
    assert not Attachment.objects.exists()


def test_no_upload_after_submission_for_the_operator(as_user, operator, make_proposal):
    proposal = make_proposal(status=Status.VERIFIED)
    _upload(as_user(operator), proposal, "foto.png", PNG)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("operator", 200), ("clerk", 200), ("bappeda", 200), ("other_operator", 403),
     ("other_clerk", 403), ("opd_reader", 403)],
)  # fmt: skip
def test_download_is_permission_checked(request, as_user, operator, make_proposal, who, status):
    proposal = make_proposal()
    _upload(as_user(operator), proposal, "foto.png", PNG)
    attachment = Attachment.objects.get()
    response = as_user(request.getfixturevalue(who)).get(
        reverse("proposals:attachment", args=[attachment.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PNG


def test_delete_attachment(as_user, operator, make_proposal):
    proposal = make_proposal()
    client = as_user(operator)
    _upload(client, proposal, "foto.png", PNG)
    attachment = Attachment.objects.get()
    client.post(reverse("proposals:attachment_delete", args=[attachment.pk]))
    assert not Attachment.objects.exists()


def test_create_form_takes_an_attachment(as_user, operator, year, sector):
    from proposals.models import Proposal

    response = as_user(operator).post(
        reverse("proposals:create"),
        {"title": "Jalan", "location": "RT 1", "volume": "1", "unit": "m", "cost": "1",
         "sector": sector.pk, "attachment_kind": "rab",
         "attachment": SimpleUploadedFile("rab.pdf", PDF)},
        follow=True,
    )  # fmt: skip
    proposal = Proposal.objects.get()
    assert proposal.attachments.get().kind == "rab"
    assert response.redirect_chain[-1][0] == proposal.get_absolute_url()


def test_create_form_with_a_bad_attachment_keeps_the_draft(as_user, operator, year, sector):
    from proposals.models import Proposal

    response = as_user(operator).post(
        reverse("proposals:create"),
        {"title": "Jalan", "location": "RT 1", "volume": "1", "unit": "m", "cost": "1",
         "sector": sector.pk, "attachment": SimpleUploadedFile("x.pdf", b"GIF89a")},
        follow=True,
    )  # fmt: skip
    assert Proposal.objects.count() == 1 and not Attachment.objects.exists()
    assert "Lampiran tidak disimpan" in response.content.decode()
