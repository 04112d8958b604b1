"""Kirim ke OPD: the last step; afterwards the forum is locked for good."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import User
from scoring.models import (
    Result,
    ScoringEvent,
)
from scoring.services._common import _ensure_state, _log
from scoring.services.compute import results_stale
from sessions.models import Forum
from sessions.signals import forum_sent

# --- Kirim ke OPD -----------------------------------------------------------------------


def send_problems(*, forum: Forum) -> list[str]:
    """Return why the forum cannot be sent yet (empty when it can)."""
    problems = []
    items = forum.items.count()
    results = Result.objects.filter(item__forum=forum)
    counts = results.aggregate(
        computed=Count("id", filter=Q(rank__isnull=False)),
        undecided=Count("id", filter=Q(decision=Result.Decision.UNDECIDED)),
        no_agency=Count(
            "id",
            filter=Q(decision=Result.Decision.PRIORITY, responsible_agency__isnull=True),
        ),
        no_reason=Count("id", filter=Q(decision=Result.Decision.RESERVE, reason="")),
    )
    if items == 0:
        problems.append("Forum belum mempunyai usulan.")
    elif counts["computed"] < items:
        problems.append("Hitung belum dijalankan untuk semua usulan.")
    elif results_stale(forum=forum):
        problems.append("Ada nilai yang berubah setelah Hitung; jalankan Hitung lagi.")
    undecided = counts["undecided"] + max(items - counts["computed"], 0)
    if undecided:
        problems.append(f"{undecided} usulan belum diputuskan (prioritas atau cadangan).")
    if counts["no_agency"]:
        problems.append(f"{counts['no_agency']} usulan prioritas belum mempunyai OPD.")
    if counts["no_reason"]:
        problems.append(f"{counts['no_reason']} usulan cadangan belum diberi alasan.")
    return problems


@transaction.atomic
def forum_send(*, forum: Forum, actor: User) -> bool:
    """Kirim ke OPD: lock the forum for good and tell the other apps (``forum_sent``).

    Returns True when this call sent the forum and False when it was already sent (a double
    click or a second tab has the effect of one click).
    """
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if forum.is_locked:
        return False
    _ensure_state(forum, Forum.State.RUNNING, message="Forum belum berlangsung.")
    problems = send_problems(forum=forum)
    if problems:
        raise DomainError("Belum dapat dikirim: " + " ".join(problems))
    forum.state = Forum.State.SENT
    forum.sent_at = timezone.now()
    forum.sent_by = actor
    forum.save(update_fields=["state", "sent_at", "sent_by"])
    _log(
        forum=forum,
        actor=actor,
        action=ScoringEvent.Action.SEND,
        detail="Hasil skoring dikirim ke OPD.",
    )
    transaction.on_commit(
        lambda: forum_sent.send(sender=Forum, forum=forum, actor=actor), robust=False
    )
    return True
