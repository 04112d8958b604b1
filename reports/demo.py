"""Demo part of the reports app: archive Stabat's final Berita Acara when its forum was sent."""

from musrenbang.exceptions import DomainError
from reports.models import ArchivedDocument
from reports.services import minutes_finalize
from sessions.models import Forum


def seed(ctx) -> None:
    """Finalise Stabat's Berita Acara once (idempotent); seed the follow-ups (tindak lanjut)."""
    from reports.followup import demo as followup_demo

    followup_demo.seed(ctx)
    forum = (
        Forum.objects.select_related("subdistrict__regency")
        .filter(subdistrict=ctx.stabat, year=ctx.year)
        .first()
    )
    if forum is None or not forum.is_locked:
        ctx.log.append("Dokumen: forum Stabat belum dikirim, Berita Acara final belum diarsipkan.")
        return
    archived = ArchivedDocument.objects.filter(forum=forum).first()
    if archived is None:
        present = forum.participants.filter(present_at__isnull=False).count()
        try:
            archived = minutes_finalize(
                forum=forum,
                actor=ctx.users["camat.stabat"],
                participant_count=forum.participant_count or present,
                number=f"050/BA-MUSRENBANG/KEC.STABAT/{ctx.year - 1}",
            )
        except DomainError as error:
            ctx.log.append(f"Dokumen: Berita Acara Stabat tidak difinalkan: {error}")
            return
    ctx.log.append(
        f"Dokumen: Berita Acara final Stabat diarsipkan, periksa di {archived.verification_url}"
    )
