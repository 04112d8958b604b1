"""Receiver of ``forum_sent``: no archiving here, by design.

The final Berita Acara is NOT archived automatically when the forum is sent. Langkat step 31
lets the camat correct the participant count before the Berita Acara is printed, and the
rendering of a large forum takes seconds that the sending request should not carry. The
camat finalises it on the documents page (``reports.services.minutes_finalize``); until
then a watermarked DRAF is available. This receiver only logs that the draft is now ready.
"""

import logging

from django.dispatch import receiver

from sessions.signals import forum_sent

logger = logging.getLogger("musrenbang.audit")


@receiver(forum_sent, dispatch_uid="reports_forum_sent")
def note_minutes_ready(sender, forum, actor=None, **kwargs) -> None:
    logger.info("forum %s dikirim: draf Berita Acara siap, menunggu finalisasi camat", forum.pk)
