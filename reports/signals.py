"""Receivers of ``forum_sent``: open the follow-ups; no archiving here, by design.

The final Berita Acara is NOT archived automatically when the forum is sent. Langkat step 31
lets the camat correct the participant count before the Berita Acara is printed, and the
rendering of a large forum takes seconds that the sending request should not carry. The
camat finalises it on the documents page (``reports.services.minutes_finalize``); until
then a watermarked DRAF is available. The follow-ups (tindak lanjut) of every proposal of
the forum are opened at once (``reports.followup.services.followups_open``).
"""

import logging

from django.dispatch import receiver

from sessions.signals import forum_sent

logger = logging.getLogger("musrenbang.audit")


@receiver(forum_sent, dispatch_uid="reports_forum_sent")
def note_minutes_ready(sender, forum, actor=None, **kwargs) -> None:
    logger.info("forum %s dikirim: draf Berita Acara siap, menunggu finalisasi camat", forum.pk)


@receiver(forum_sent, dispatch_uid="reports_followups_open")
def open_followups(sender, forum, actor=None, **kwargs) -> None:
    from reports.followup.services import followups_open

    count = followups_open(forum=forum)
    logger.info("forum %s dikirim: %s tindak lanjut dibuka", forum.pk, count)
