"""The one owner of a forum's state, row lock and audit log.

Every writing service of the forum, scoring and reports apps goes through here:

- ``forum_action`` locks the forum row (``SELECT ... FOR UPDATE``), checks the actor against
  the action's rule (``musrenbang.rulebook.authorize``: role, then phase) and writes the audit
  row (``ForumEvent``) in the same transaction;
- ``forum_transition`` is the one function that changes ``Forum.state``, checked against
  ``TRANSITIONS`` (starting and sending alike);
- ``record`` writes one audit row, for the few writes that take no row lock (a score, a
  tick at the door).

The lock of a sent forum itself (the ORM net, the admin) lives in ``sessions.locks``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from musrenbang.exceptions import DomainError
from musrenbang.rulebook import RULES, authorize
from sessions.models import Forum, ForumEvent, ForumItem

State = Forum.State
Action = ForumEvent.Action
# The allowed moves of a forum: started by the camat, sent by the camat ("Kirim ke OPD").
TRANSITIONS = {
    State.PREPARATION: {State.RUNNING},
    State.RUNNING: {State.SENT},
    State.SENT: set(),
}


def lock_forum(forum: Forum) -> Forum:
    """Return the forum row locked for this transaction (fresh state, with its kabupaten)."""
    return (
        Forum.objects.select_for_update(of=("self",))
        .select_related("subdistrict__regency")
        .get(pk=forum.pk)
    )


def share_forum(forum: Forum) -> Forum:
    """Read the forum's stored state ``FOR SHARE`` into ``forum`` (held until the commit).

    Writers that must not wait for each other (scorers saving cells) share the row; the
    sending (``FOR UPDATE``) waits for them and they wait for a sending in flight.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT state FROM {Forum._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
            [forum.pk],
        )
        forum.state = cursor.fetchone()[0]
    return forum


def record(
    *, forum: Forum, actor, action: str, message: str, item: ForumItem | None = None
) -> ForumEvent:
    """Write one audit row of the forum's log."""
    return ForumEvent.objects.create(
        forum=forum,
        item=item,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        message=message,
    )


def refuse_unless_phase(perm: str, forum: Forum) -> None:
    """Raise the phase refusal of ``perm`` unless the forum (as read now) is in its phase.

    For the fast paths that authorize first and learn the stored phase only from their own
    conditional write (marking attendance).
    """
    rule = RULES[perm]
    if not rule.when.test(None, forum):
        raise rule.refuse_when(forum)


@dataclass
class Step:
    """One action under way: the locked forum and what the audit row will say."""

    forum: Forum
    action: str
    message: str = ""
    item: ForumItem | None = None

    def say(self, message: str, *, item: ForumItem | None = None) -> None:
        """Set the audit message (no message: nothing changed, no row is written)."""
        self.message, self.item = message, item


@contextmanager
def forum_action(*, actor, forum: Forum, perm: str, action: str) -> Iterator[Step]:
    """Lock the forum row, authorize ``actor`` for ``perm`` and write the audit row.

    Usage::

        with forum_action(actor=actor, forum=item.forum, perm="forum.run_agenda",
                          action=Action.AGENDA_START) as step:
            ...  # the write, on ``step.forum`` (locked, fresh)
            step.say(f"Agenda dimulai: {item.title}.")

    The permission is checked on the locked row, so the phase is the stored one, not the
    copy in memory. Everything runs in one transaction: a refusal or an error inside leaves
    neither the change nor its audit row.
    """
    with transaction.atomic():
        locked = lock_forum(forum)
        authorize(actor, perm, locked)
        step = Step(forum=locked, action=action)
        yield step
        if step.message:
            record(forum=locked, actor=actor, action=action, message=step.message, item=step.item)


def forum_transition(*, actor, forum: Forum, to: str, **changes) -> Forum:
    """Move a locked forum row to another state, checked against ``TRANSITIONS`` and logged.

    The one place that writes ``Forum.state``; callers hold the row lock (``forum_action``).
    ``changes`` are fields written in the same UPDATE (``started_at``; ``sent_at`` and
    ``sent_by``, which the lock would refuse in a later save).
    """
    if to not in TRANSITIONS[forum.state]:
        raise DomainError(
            f"Forum {forum.get_state_display().lower()} tidak dapat berpindah ke tahap "
            f"{State(to).label.lower()}."
        )
    old = forum.get_state_display()
    forum.state = to
    for name, value in changes.items():
        setattr(forum, name, value)
    forum.save(update_fields=["state", *changes])
    record(
        forum=forum,
        actor=actor,
        action=Action.STATE,
        message=f"Tahap forum: {old} -> {forum.get_state_display()}.",
    )
    return forum
