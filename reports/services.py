"""Writes of the reports app: finalising the Berita Acara, uploads, the distribution register."""

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, User
from reports import documents, uploads
from reports.models import ArchivedDocument, Distribution, ForumUpload
from sessions.models import Forum

logger = logging.getLogger("musrenbang.audit")

ALLOWED_TYPES = {
    ForumUpload.Kind.MINUTES_SCAN: (uploads.PDF,),
    ForumUpload.Kind.ATTENDANCE_SCAN: (uploads.PDF,),
    ForumUpload.Kind.PHOTO: (uploads.JPEG, uploads.PNG),
    ForumUpload.Kind.VIDEO: (uploads.MP4,),
    ForumUpload.Kind.OTHER: (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.MP4),
}


def minutes_finalize(
    *, forum: Forum, actor: User, participant_count: int, number: str = ""
) -> ArchivedDocument:
    """Render the final Berita Acara with its annexes once and archive it unchangeable.

    Only after the forum was sent. The participant count the camat confirms is written to
    the forum first (Langkat step 31: prefilled from attendance, correctable until now), then
    the document is rendered with its QR code and stored with its SHA-256. A second call is
    refused: there is no path that replaces or edits an archived document.
    """
    if participant_count < 0:
        raise DomainError("Jumlah peserta tidak boleh negatif.")
    with transaction.atomic():
        forum = (
            Forum.objects.select_for_update()
            .select_related("subdistrict__regency")
            .get(pk=forum.pk)
        )
        if not forum.is_locked:
            raise DomainError(
                "Berita Acara hanya dapat difinalkan setelah hasil forum dikirim ke OPD."
            )
        if ArchivedDocument.objects.filter(
            forum=forum, kind=ArchivedDocument.Kind.MINUTES
        ).exists():
            raise DomainError("Berita Acara forum ini sudah difinalkan dan diarsipkan.")
        forum.participant_count = participant_count
        forum.save(update_fields=["participant_count"])
        code = secrets.token_hex(10)
        url = f"{settings.SITE_URL}{reverse('reports:verify', args=[code])}"
        rendered = documents.render(
            "berita-acara",
            forum,
            final=documents.FinalMark(url=url, code=code),
            number=number.strip(),
        )
        archived = ArchivedDocument(
            forum=forum,
            subdistrict=forum.subdistrict,
            year=forum.year,
            kind=ArchivedDocument.Kind.MINUTES,
            title=f"Berita Acara Musrenbang Kecamatan {forum.subdistrict.name} {forum.year}",
            number=number.strip(),
            document_date=forum.date,
            code=code,
            sha256=hashlib.sha256(rendered.content).hexdigest(),
            size=len(rendered.content),
            participant_count=participant_count,
            created_by=actor,
        )
        archived.file.save(rendered.filename, ContentFile(rendered.content), save=False)
        archived.save()
    logger.info(
        "berita acara difinalkan forum=%s kode=%s sha256=%s oleh=%s",
        forum.pk, code, archived.sha256, actor.pk,
    )  # fmt: skip
    return archived


def upload_create(*, forum: Forum, actor: User, kind: str, caption: str, file) -> ForumUpload:
    """Store a checked upload of the forum under a generated name and log it.

    Allowed before and after sending: the signed scans exist only after the forum.
    """
    if kind not in ALLOWED_TYPES:
        raise DomainError("Jenis unggahan tidak dikenal.")
    caption = (caption or "").strip()
    if not caption:
        raise DomainError("Keterangan unggahan wajib diisi.")
    file_type, original_name, sha256 = uploads.inspect(file, ALLOWED_TYPES[kind])
    with transaction.atomic():
        upload = ForumUpload(
            forum=forum,
            kind=kind,
            caption=caption[:255],
            original_name=original_name,
            content_type=file_type.content_type,
            size=file.size,
            sha256=sha256,
            uploaded_by=actor,
        )
        upload.file.save(f"x{file_type.extensions[0]}", file, save=False)
        upload.save()
    logger.info(
        "unggahan forum=%s jenis=%s berkas=%s ukuran=%s oleh=%s",
        forum.pk, kind, upload.file.name, upload.size, actor.pk,
    )  # fmt: skip
    return upload


def distribution_record(
    *,
    forum: Forum,
    actor: User,
    number: str,
    document_title: str,
    recipient_kind: str,
    agency: Agency | None = None,
    recipient_name: str = "",
    sent_on: dt.date,
    received_by: str = "",
    received_on: dt.date | None = None,
    note: str = "",
) -> Distribution:
    """Write one outgoing document into the forum's distribution register."""
    if recipient_kind == Distribution.Recipient.AGENCY and agency is None:
        raise DomainError("Pilih OPD penerima.")
    if agency is not None and agency.regency_id != forum.subdistrict.regency_id:
        raise DomainError("OPD penerima bukan perangkat daerah kabupaten/kota ini.")
    if received_on and received_on < sent_on:
        raise DomainError("Tanggal terima tidak boleh sebelum tanggal kirim.")
    entry = Distribution(
        forum=forum,
        number=number.strip(),
        document_title=document_title.strip(),
        recipient_kind=recipient_kind,
        agency=agency if recipient_kind == Distribution.Recipient.AGENCY else None,
        recipient_name=recipient_name.strip(),
        sent_on=sent_on,
        sent_by=actor,
        received_by=received_by.strip(),
        received_on=received_on,
        note=note.strip(),
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise DomainError(f"Nomor surat {entry.number} sudah tercatat untuk forum ini.")
    logger.info("distribusi forum=%s nomor=%s oleh=%s", forum.pk, entry.number, actor.pk)
    return entry


def distribution_receive(
    *, distribution: Distribution, actor: User, received_by: str, received_on: dt.date
) -> Distribution:
    """Record who received an outgoing document and when."""
    with transaction.atomic():
        entry = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if entry.received_by:
            raise DomainError("Penerimaan dokumen ini sudah dicatat.")
        if not received_by.strip():
            raise DomainError("Nama penerima wajib diisi.")
        if received_on < entry.sent_on:
            raise DomainError("Tanggal terima tidak boleh sebelum tanggal kirim.")
        entry.received_by = received_by.strip()
        entry.received_on = received_on
        entry.save(update_fields=["received_by", "received_on"])
    logger.info("distribusi diterima id=%s oleh=%s", entry.pk, actor.pk)
    return entry
