"""Kirim ke OPD: the last step; afterwards the forum is locked for good."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import User
from proposals.services import proposals_close_year
from scoring.models import Result
from scoring.rules import is_camat_of_forum
from scoring.services._common import Action, forum_action
from scoring.services.compute import results_stale
from sessions.models import Forum
from sessions.signals import forum_sent
from sessions.workflow import forum_transition, lock_forum

# --- Kirim ke OPD -----------------------------------------------------------------------


SHOWN_REFERENCES = 10


def _references(qs) -> str:
    """Name the proposals of ``qs`` (the first ten, then "dan N lainnya")."""
    refs = list(qs.order_by("proposal__reference").values_list("proposal__reference", flat=True))
    shown = ", ".join(refs[:SHOWN_REFERENCES])
    rest = len(refs) - SHOWN_REFERENCES
    return shown + (f" dan {rest} lainnya" if rest > 0 else "")


def send_problems(*, forum: Forum, stale: bool | None = None) -> list[str]:
    """Return why the forum cannot be sent yet (empty when it can), naming the proposals."""
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
    elif stale if stale is not None else results_stale(forum=forum):
        problems.append("Ada nilai yang berubah setelah Hitung; jalankan Hitung lagi.")
    undecided = counts["undecided"] + max(items - counts["computed"], 0)
    if undecided:
        pending = forum.items.filter(
            Q(result__isnull=True) | Q(result__decision=Result.Decision.UNDECIDED)
        )
        problems.append(
            f"{undecided} usulan belum diputuskan (prioritas atau cadangan): "
            f"{_references(pending)}."
        )
    if counts["no_agency"]:
        lacking = forum.items.filter(
            result__decision=Result.Decision.PRIORITY, result__responsible_agency__isnull=True
        )
        problems.append(
            f"{counts['no_agency']} usulan prioritas belum mempunyai OPD: {_references(lacking)}."
        )
    if counts["no_reason"]:
        lacking = forum.items.filter(result__decision=Result.Decision.RESERVE, result__reason="")
        problems.append(
            f"{counts['no_reason']} usulan cadangan belum diberi alasan: {_references(lacking)}."
        )
    return problems


def forum_send(*, forum: Forum, actor: User) -> bool:
    """Kirim ke OPD: lock the forum for good and tell the other apps (``forum_sent``).

    The year's proposals the forum never took in are closed as "not discussed" in the same
    transaction (``proposals.services.proposals_close_year``). The state changes through the
    forum's one transition function (``sessions.workflow.forum_transition``).

    Returns True when this call sent the forum and False when it was already sent (a double
    click or a second tab of the camat has the effect of one click).
    """
    with transaction.atomic():
        if _already_sent(forum, actor):
            return False
        perm, action = "scoring.send_forum", Action.SEND
        with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
            forum = step.forum
            problems = send_problems(forum=forum)
            if problems:
                raise DomainError("Belum dapat dikirim: " + " ".join(problems))
            closed = proposals_close_year(
                subdistrict=forum.subdistrict, year=forum.year, actor=actor
            )
            forum_transition(
                actor=actor, forum=forum, to=Forum.State.SENT, sent_at=timezone.now(), sent_by=actor
            )
            step.say(
                "Hasil skoring dikirim ke OPD."
                + (f" {closed} usulan yang tidak dibahas forum ditutup." if closed else "")
            )
        transaction.on_commit(
            lambda: forum_sent.send(sender=Forum, forum=forum, actor=actor), robust=False
        )
    return True


def _already_sent(forum: Forum, actor: User) -> bool:
    """Return True when the camat of the forum sends a forum that is already sent."""
    stored = lock_forum(forum)
    return stored.is_locked and is_camat_of_forum(actor, stored)
