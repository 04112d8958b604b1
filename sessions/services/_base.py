"""Guards and the audit entry shared by every write of the forum."""

from musrenbang.exceptions import DomainError
from sessions.locks import ensure_unlocked
from sessions.models import Forum, ForumEvent

STATE_NAMES = dict(Forum.State.choices)


def lock_forum(forum: Forum) -> Forum:
    """Return the forum row locked for this transaction (fresh state, with its kabupaten)."""
    return (
        Forum.objects.select_for_update(of=("self",))
        .select_related("subdistrict__regency")
        .get(pk=forum.pk)
    )


def guard_record(actor, forum: Forum) -> None:
    """Refuse unless the actor is the camat or staff of the forum's kecamatan (and not sent)."""
    ensure_unlocked(forum)
    if not actor.has_perm("forum.record_forum", forum):
        raise DomainError("Hanya camat dan staf kecamatan ini yang dapat mengubah data forum.")


def guard_lead(actor, forum: Forum) -> None:
    """Refuse unless the actor is the camat of the forum's kecamatan (and not sent)."""
    ensure_unlocked(forum)
    if not actor.has_perm("forum.lead_forum", forum):
        raise DomainError("Hanya camat kecamatan ini yang dapat melakukan tindakan ini.")


def guard_state(forum: Forum, *states: str, action: str) -> None:
    """Refuse when the forum is not in one of ``states``."""
    if forum.state not in states:
        allowed = " atau ".join(STATE_NAMES[s].lower() for s in states)
        raise DomainError(
            f"{action} hanya dapat dilakukan saat forum {allowed}; "
            f"forum sekarang {forum.get_state_display().lower()}."
        )


def log(forum: Forum, actor, action: str, message: str) -> ForumEvent:
    """Write the audit entry of one write."""
    return ForumEvent.objects.create(
        forum=forum,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        message=message[:255],
    )
