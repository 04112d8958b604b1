"""Attachments of proposals: content-checked uploads under generated names."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from musrenbang import uploads
from musrenbang.exceptions import DomainError
from musrenbang.models import User
from musrenbang.rulebook import authorize
from proposals.models import Attachment, Proposal
from proposals.services._common import _locked

ALLOWED = (uploads.JPEG, uploads.PNG, uploads.PDF)


@transaction.atomic
def attachment_add(*, actor: User, proposal: Proposal, upload, kind: str) -> Attachment:
    """Store an uploaded JPEG/PNG/PDF under a generated name, after checking its content."""
    proposal = _locked(proposal.pk)
    authorize(actor, "proposals.attach_file", proposal)
    if kind not in Attachment.Kind.values:
        raise DomainError("Pilih jenis lampiran.")
    file_type, original_name, _sha256 = uploads.inspect(upload, ALLOWED)
    attachment = Attachment(
        proposal=proposal,
        kind=kind,
        original_name=original_name,
        content_type=file_type.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    name = f"{uuid.uuid4().hex}{file_type.extensions[0]}"
    attachment.file.save(name, ContentFile(upload.read()), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    proposal = _locked(attachment.proposal_id)
    authorize(actor, "proposals.remove_attachment", proposal)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The file goes only once the row is gone for good (a rollback keeps both).
    transaction.on_commit(lambda: storage.delete(name))
