"""The ORM safety net of the lock: no save or delete of a sent forum's rows, by any path.

Services refuse first with a clear message (``sessions.locks``); these ``pre_save`` and
``pre_delete`` receivers catch every other path (a shell, a forgotten admin, a script) by
raising ``Locked``. The state is read from the database, not from the instance in memory, so:

- the save that sends the forum passes (the stored state is still "berlangsung"), and
- a Forum save with ``update_fields`` within {"participant_count"} passes: the camat may correct
  the participant count of the Berita Acara after sending.

Bulk paths (``QuerySet.update``, ``bulk_create``, ``bulk_update``) send no signals; the
services that use them check the lock themselves.
"""

from django.db.models.signals import pre_delete, pre_save

from musrenbang.exceptions import Locked

FORUM_UPDATE_FIELDS_ALLOWED_AFTER_SENDING = frozenset({"participant_count", "version"})


def _sent_forums():
    from sessions.models import Forum

    return Forum.objects.filter(state=Forum.State.SENT)


def _forum_lookup(instance) -> dict | None:
    """Return the filter that finds the forum a row belongs to (None: no forum)."""
    from proposals.models import Proposal
    from scoring.models import Result, Score

    if isinstance(instance, Proposal):
        return {"items__proposal_id": instance.pk} if instance.pk is not None else None
    if isinstance(instance, Score | Result):
        return {"items__pk": instance.item_id} if instance.item_id else None
    forum_id = getattr(instance, "forum_id", None)
    return {"pk": forum_id} if forum_id is not None else None


def _refuse_if_sent(lookup: dict | None) -> None:
    """One query: is the row's forum stored as sent?"""
    if lookup is not None and _sent_forums().filter(**lookup).exists():
        raise Locked()


def guard_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    from sessions.models import Forum

    if raw:  # loaddata of a fixture
        return
    if isinstance(instance, Forum):
        if instance.pk is None:
            return
        if update_fields and set(update_fields) <= FORUM_UPDATE_FIELDS_ALLOWED_AFTER_SENDING:
            return
        _refuse_if_sent({"pk": instance.pk})
        return
    _refuse_if_sent(_forum_lookup(instance))


def guard_delete(sender, instance, **kwargs) -> None:
    from sessions.models import Forum

    if isinstance(instance, Forum):
        _refuse_if_sent({"pk": instance.pk})
        return
    _refuse_if_sent(_forum_lookup(instance))


def guarded_models() -> list:
    from proposals.models import Proposal
    from scoring.models import Criterion, Result, Score, Scorer
    from sessions.models import (
        AgendaItem,
        Commission,
        Delegate,
        Forum,
        ForumItem,
        Participant,
        TeamMember,
    )

    return [
        Proposal,
        ForumItem,
        Commission,
        AgendaItem,
        Participant,
        Delegate,
        TeamMember,
        Criterion,
        Score,
        Result,
        Scorer,
        Forum,
    ]


def connect() -> None:
    """Connect the receivers (called once from ``ScoringConfig.ready``)."""
    for model in guarded_models():
        uid = f"scoring-lock-{model._meta.label_lower}"
        pre_save.connect(guard_save, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(guard_delete, sender=model, dispatch_uid=f"{uid}-delete")
