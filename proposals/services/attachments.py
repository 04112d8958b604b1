"""Attachments of proposals: content-checked uploads under generated names."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from musrenbang.exceptions import DomainError
from musrenbang.models import User
from proposals.models import Attachment, Proposal
from proposals.services.lifecycle import DESA, EDITABLE, KECAMATAN_EDITABLE, _locked, _require_side
from sessions.locks import ensure_proposal_unlocked

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
]


@dataclass(frozen=True)
class SniffedType:
    content_type: str
    extension: str


def sniff(head: bytes) -> SniffedType | None:
    """Return the file type told by its first bytes (JPEG, PNG or PDF), else None."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return SniffedType(content_type, extension)
    return None


def _max_bytes(sniffed: SniffedType) -> int:
    if sniffed.content_type.startswith("image/"):
        return settings.UPLOAD_MAX_IMAGE_BYTES
    return settings.UPLOAD_MAX_DOCUMENT_BYTES


@transaction.atomic
def attachment_add(*, actor: User, proposal: Proposal, upload, kind: str) -> Attachment:
    """Store an uploaded JPEG/PNG/PDF under a generated name, after checking its content."""
    proposal = _locked(proposal.pk)
    side = _require_side(actor, proposal)
    ensure_proposal_unlocked(proposal)
    if proposal.status not in (EDITABLE if side == DESA else KECAMATAN_EDITABLE):
        raise DomainError("Lampiran hanya dapat ditambah selama usulan masih dapat diubah.")
    if kind not in Attachment.Kind.values:
        raise DomainError("Pilih jenis lampiran.")
    upload.seek(0)
    head = upload.read(16)
    sniffed = sniff(head)
    if sniffed is None:
        raise DomainError("Berkas harus berupa gambar JPEG/PNG atau dokumen PDF.")
    if upload.size > _max_bytes(sniffed):
        limit = _max_bytes(sniffed) // (1024 * 1024)
        raise DomainError(f"Berkas terlalu besar; batasnya {limit} MB.")
    upload.seek(0)
    attachment = Attachment(
        proposal=proposal,
        kind=kind,
        original_name=(upload.name or "berkas")[-255:],
        content_type=sniffed.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    name = f"{uuid.uuid4().hex}.{sniffed.extension}"
    attachment.file.save(name, ContentFile(upload.read()), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    proposal = _locked(attachment.proposal_id)
    side = _require_side(actor, proposal)
    ensure_proposal_unlocked(proposal)
    if proposal.status not in (EDITABLE if side == DESA else KECAMATAN_EDITABLE):
        raise DomainError("Lampiran usulan ini tidak dapat dihapus lagi.")
    attachment.file.delete(save=False)
    attachment.delete()
