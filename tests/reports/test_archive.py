"""The final Berita Acara: rendered once, stored unchangeable, verifiable by QR and hash."""

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from musrenbang.exceptions import DomainError
from proposals.models import Proposal
from reports import documents, services
from reports.models import ArchivedDocument
from tests.reports.factories import sent_forum
from tests.reports.job_helpers import run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(sent, camat):
    return services.minutes_finalize(
        forum=sent.forum, actor=camat, participant_count=42, number="050/BA/2026"
    )


def _stored(archived) -> bytes:
    with archived.file.open("rb") as handle:
        return handle.read()


def test_finalising_stores_the_file_with_its_sha256(archived, sent, camat, pdf_text):
    content = _stored(archived)
    assert hashlib.sha256(content).hexdigest() == archived.sha256
    assert archived.size == len(content)
    assert archived.created_by == camat
    assert archived.subdistrict == sent.forum.subdistrict
    assert archived.file.name.startswith(f"arsip/{sent.forum.subdistrict_id}/2027/")
    text = pdf_text(content)
    assert "42 (empat puluh dua) orang" in text
    assert "Nomor: 050/BA/2026" in text
    assert "DRAF" not in text
    assert archived.verification_url in text.replace(" ", "")
    sent.forum.refresh_from_db()
    assert sent.forum.participant_count == 42


def test_the_verification_page_shows_the_stored_file_hash(archived, client):
    response = client.get(reverse("reports:verify", args=[archived.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert hashlib.sha256(_stored(archived)).hexdigest() in page
    assert archived.title in page
    assert "Sukamaju" in page
    assert "16 Februari 2026" in page
    assert "tidak dimungkinkan" in page


def test_the_verification_page_also_answers_to_the_full_sha256(archived, client):
    response = client.get(reverse("reports:verify", args=[archived.sha256]))
    assert response.status_code == 200
    assert archived.code in response.content.decode()


def test_an_unknown_code_is_not_found(client, db):
    assert client.get(reverse("reports:verify", args=["abc123"])).status_code == 404


def test_uploading_the_original_pdf_matches_and_a_changed_one_does_not(archived, client):
    url = reverse("reports:verify", args=[archived.code])
    original = _stored(archived)
    same = client.post(url, {"file": SimpleUploadedFile("ba.pdf", original)})
    assert "COCOK: berkas yang Anda unggah identik" in same.content.decode()
    forged = client.post(url, {"file": SimpleUploadedFile("ba.pdf", original + b"%%")})
    assert "TIDAK COCOK" in forged.content.decode()


def test_the_stored_file_does_not_change_when_the_data_would_render_differently(
    archived, sent, as_user, camat, pdf_text
):
    before = _stored(archived)
    proposal = sent.priority[0].item.proposal
    Proposal.objects.filter(pk=proposal.pk).update(title="Judul yang diubah diam-diam")
    sent.forum.participant_count = 7
    sent.forum.save(update_fields=["participant_count"])
    fresh = documents.render("berita-acara", sent.forum).content
    assert "Judul yang diubah diam-diam" in pdf_text(fresh)
    response = as_user(camat).get(reverse("reports:archived_download", args=[archived.code]))
    served = b"".join(response.streaming_content)
    assert served == before
    assert hashlib.sha256(served).hexdigest() == archived.sha256
    assert "Judul yang diubah diam-diam" not in pdf_text(served)
    # The BA button of the forum now leads to the stored file, not to a new rendering.
    button = as_user(camat).get(reverse("reports:document", args=[sent.forum.pk, "berita-acara"]))
    assert button.url == reverse("reports:archived_download", args=[archived.code])


def test_the_qr_code_in_the_pdf_is_the_code_of_the_verification_url(archived, tmp_path):
    pdf = tmp_path / "ba.pdf"
    pdf.write_bytes(_stored(archived))
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "img")], check=True)
    expected = segno.make(archived.verification_url, error="m")
    wanted = [[bool(bit) for bit in row] for row in expected.matrix]
    found = []
    for path in sorted(Path(tmp_path).glob("img-*.png")):
        image = Image.open(path).convert("L")
        if image.size != (len(wanted), len(wanted)):
            continue
        pixels = image.load()
        found.append(
            [[pixels[x, y] < 128 for x in range(image.width)] for y in range(image.height)]
        )
    # The QR code is on the first page and at the end of the annexes: both encode the URL.
    assert found and all(matrix == wanted for matrix in found)
    # A different address would give a different symbol: the comparison can fail.
    other = segno.make(archived.verification_url + "x", error="m")
    assert [[bool(b) for b in row] for row in other.matrix] != wanted


def test_finalising_twice_is_refused_and_keeps_the_first_file(archived, sent, camat):
    with pytest.raises(DomainError, match="sudah difinalkan"):
        services.minutes_finalize(forum=sent.forum, actor=camat, participant_count=1)
    assert ArchivedDocument.objects.get().sha256 == archived.sha256


def test_finalising_before_sending_is_refused(subdistrict, village, camat):
    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    with pytest.raises(DomainError, match="setelah hasil forum dikirim"):
        services.minutes_finalize(forum=data.forum, actor=camat, participant_count=5)
    assert not ArchivedDocument.objects.exists()


# --- the finalise view ---


def _finalize_url(forum) -> str:
    return reverse("reports:finalize", args=[forum.pk])


def test_camat_finalises_from_the_documents_page(sent, camat, as_user):
    client = as_user(camat)
    page = client.get(reverse("reports:forum", args=[sent.forum.pk]))
    assert 'value="8"' in page.content.decode()  # prefilled from attendance
    response = client.post(
        _finalize_url(sent.forum), {"participant_count": 9, "number": "12/BA", "confirm": "on"}
    )
    assert run_queued() == 1  # the worker finalises (reports.jobs)
    response = client.get(response.url)
    archived = ArchivedDocument.objects.get()
    assert archived.participant_count == 9
    assert f"Kode verifikasi: {archived.code}" in response.content.decode()


def test_finalising_needs_the_confirmation(sent, camat, as_user):
    response = as_user(camat).post(_finalize_url(sent.forum), {"participant_count": 9}, follow=True)
    assert "centang pernyataan" in response.content.decode()
    assert not ArchivedDocument.objects.exists()


def test_finalising_an_unsent_forum_shows_a_message(subdistrict, village, camat, as_user):
    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    response = as_user(camat).post(
        _finalize_url(data.forum), {"participant_count": 9, "confirm": "on"}, follow=True
    )
    assert "setelah hasil forum dikirim" in response.content.decode()
    assert not ArchivedDocument.objects.exists()


def test_finalise_view_refuses_get(sent, camat, as_user):
    assert as_user(camat).get(_finalize_url(sent.forum)).status_code == 405


def test_finalise_view_sends_anonymous_visitors_to_login(sent, client):
    response = client.post(_finalize_url(sent.forum), {"participant_count": 1, "confirm": "on"})
    assert response.status_code == 302 and "/masuk/" in response.url


@pytest.mark.parametrize("persona", ["clerk", "other_clerk", "bappeda", "opd_reader", "no_role"])
def test_only_the_camat_of_the_kecamatan_finalises(sent, persona, request, as_user):
    user = request.getfixturevalue(persona)
    response = as_user(user).post(
        _finalize_url(sent.forum), {"participant_count": 1, "confirm": "on"}
    )
    assert response.status_code == 403
    assert not ArchivedDocument.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("camat", 200), ("clerk", 200), ("bappeda", 200), ("other_clerk", 403),
     ("outside_bappeda", 403), ("opd_reader", 403), ("operator", 403)],
)  # fmt: skip
def test_archived_download_is_permission_checked(archived, persona, status, request, as_user):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("reports:archived_download", args=[archived.code]))
    assert response.status_code == status


def test_archived_download_needs_login(archived, client):
    response = client.get(reverse("reports:archived_download", args=[archived.code]))
    assert response.status_code == 302


def test_the_archive_has_no_write_path_in_the_admin(archived, bappeda, as_user):
    client = as_user(bappeda)
    change = client.get(reverse("admin:reports_archiveddocument_change", args=[archived.pk]))
    assert change.status_code == 200  # readable
    edit = client.post(
        reverse("admin:reports_archiveddocument_change", args=[archived.pk]), {"title": "X"}
    )
    assert edit.status_code == 403
    delete = client.post(
        reverse("admin:reports_archiveddocument_delete", args=[archived.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ArchivedDocument.objects.filter(pk=archived.pk).exists()


def test_verification_code_is_short_and_in_the_url(archived):
    assert re.fullmatch(r"[0-9a-f]{20}", archived.code)
    assert archived.verification_url.endswith(f"/verifikasi/{archived.code}/")


def test_sending_the_forum_does_not_archive_by_itself(sent, camat):
    from sessions.signals import forum_sent

    forum_sent.send(sender=type(sent.forum), forum=sent.forum, actor=camat)
    assert not ArchivedDocument.objects.exists()
