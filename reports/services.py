"""Writes of the reports app: finalising the Berita Acara, uploads, the distribution register.

Each starts with the forum's one helper (``sessions.workflow.forum_action``): the forum row is
locked, the actor checked against the action's rule (``reports.rules``) and an audit row
written to the forum's log in the same transaction.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from musrenbang import uploads
from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, User
from musrenbang.rulebook import authorize
from reports import documents
from reports.models import ArchivedDocument, Distribution, ForumUpload
from sessions.models import Forum
from sessions.workflow import Action, forum_action

ALLOWED_TYPES = {
    ForumUpload.Kind.MINUTES_SCAN: (uploads.PDF,),
    ForumUpload.Kind.ATTENDANCE_SCAN: (uploads.PDF,),
    ForumUpload.Kind.PHOTO: (uploads.JPEG, uploads.PNG),
    ForumUpload.Kind.VIDEO: (uploads.MP4,),
    ForumUpload.Kind.OTHER: (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.MP4),
}


def _store(instance, name: str, content) -> None:
    """Write the file under its generated name and save the row; remove the file on failure."""
    instance.file.save(name, content, save=False)
    try:
        instance.save()
    except Exception:
        instance.file.delete(save=False)
        raise


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
    perm, action = "reports.archive_minutes", Action.MINUTES
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        if ArchivedDocument.objects.filter(
            forum=forum, kind=ArchivedDocument.Kind.MINUTES
        ).exists():
            raise DomainError("Berita Acara forum ini sudah difinalkan dan diarsipkan.")
        forum.participant_count = participant_count
        forum.save(update_fields=["participant_count"])
        archived = _archive_minutes(forum, actor, participant_count, number.strip())
        step.say(f"Berita Acara difinalkan: kode {archived.code}, SHA-256 {archived.sha256}.")
    return archived


def _archive_minutes(forum: Forum, actor: User, participant_count: int, number: str):
    """Render the final Berita Acara with its QR code and store it with its SHA-256."""
    code = secrets.token_hex(10)
    url = f"{settings.SITE_URL}{reverse('reports:verify', args=[code])}"
    rendered = documents.render(
        "berita-acara", forum, final=documents.FinalMark(url=url, code=code), number=number
    )
    archived = ArchivedDocument(
        forum=forum,
        subdistrict=forum.subdistrict,
        year=forum.year,
        kind=ArchivedDocument.Kind.MINUTES,
        title=f"Berita Acara Musrenbang Kecamatan {forum.subdistrict.name} {forum.year}",
        number=number,
        document_date=forum.date,
        code=code,
        sha256=hashlib.sha256(rendered.content).hexdigest(),
        size=len(rendered.content),
        participant_count=participant_count,
        created_by=actor,
    )
    archived.full_clean(exclude=["file"])
    _store(archived, rendered.filename, ContentFile(rendered.content))
    return archived


def upload_create(*, forum: Forum, actor: User, kind: str, caption: str, file) -> ForumUpload:
    """Store a checked upload of the forum under a generated name and log it.

    Allowed before and after sending: the signed scans exist only after the forum. The actor
    is refused before the file is read; ``forum_action`` checks again under the row lock.
    """
    perm, action = "reports.upload_document", Action.UPLOAD
    authorize(actor, perm, forum)
    if kind not in ALLOWED_TYPES:
        raise DomainError("Jenis unggahan tidak dikenal.")
    caption = (caption or "").strip()
    if not caption:
        raise DomainError("Keterangan unggahan wajib diisi.")
    file_type, original_name, sha256 = uploads.inspect(file, ALLOWED_TYPES[kind])
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
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
        upload.full_clean(exclude=["file"])
        _store(upload, f"x{file_type.extensions[0]}", file)
        step.say(
            f"Unggahan {upload.get_kind_display()}: {upload.caption} "
            f"({upload.original_name}, {upload.size} bita, berkas {upload.file.name})."
        )
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
    perm, action = "reports.record_distribution", Action.DISTRIBUTION
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        entry = _distribution_entry(
            forum,
            actor,
            number=number,
            document_title=document_title,
            recipient_kind=recipient_kind,
            agency=agency,
            recipient_name=recipient_name,
            sent_on=sent_on,
            received_by=received_by,
            received_on=received_on,
            note=note,
        )
        step.say(f"Register distribusi: {entry.number} {entry.document_title}.")
    return entry


def _distribution_entry(forum: Forum, actor: User, *, agency: Agency | None, **data):
    """Check and save one entry of the register (the number is unique per forum)."""
    recipient_kind, sent_on, received_on = (
        data["recipient_kind"], data["sent_on"], data["received_on"]
    )  # fmt: skip
    if recipient_kind == Distribution.Recipient.AGENCY and agency is None:
        raise DomainError("Pilih OPD penerima.")
    if agency is not None and agency.regency_id != forum.subdistrict.regency_id:
        raise DomainError("OPD penerima bukan perangkat daerah kabupaten/kota ini.")
    if received_on and received_on < sent_on:
        raise DomainError("Tanggal terima tidak boleh sebelum tanggal kirim.")
    entry = Distribution(
        forum=forum,
        number=data["number"].strip(),
        document_title=data["document_title"].strip(),
        recipient_kind=recipient_kind,
        agency=agency if recipient_kind == Distribution.Recipient.AGENCY else None,
        recipient_name=data["recipient_name"].strip(),
        sent_on=sent_on,
        sent_by=actor,
        received_by=data["received_by"].strip(),
        received_on=received_on,
        note=data["note"].strip(),
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise DomainError(f"Nomor surat {entry.number} sudah tercatat untuk forum ini.")
    return entry


def distribution_receive(
    *, distribution: Distribution, actor: User, received_by: str, received_on: dt.date
) -> Distribution:
    """Record who received an outgoing document and when."""
    perm, action = "reports.record_distribution", Action.DISTRIBUTION
    with forum_action(actor=actor, forum=distribution.forum, perm=perm, action=action) as step:
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
        step.say(f"Surat {entry.number} diterima oleh {entry.received_by} ({received_on}).")
    return entry
