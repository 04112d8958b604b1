"""Helpers shared by the scoring services: audit entry, forum lock, state guard."""

from musrenbang.exceptions import DomainError
from musrenbang.models import User
from scoring.models import ScoringEvent
from sessions.locks import ensure_unlocked
from sessions.models import Forum


def _log(*, forum: Forum, actor: User, action: str, detail: str = "", item=None) -> None:
    ScoringEvent.objects.create(forum=forum, item=item, action=action, detail=detail, actor=actor)


def _lock_forum(forum: Forum) -> Forum:
    """Re-read the forum FOR UPDATE and refuse when it was sent."""
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    ensure_unlocked(locked)
    return locked


def _ensure_state(forum: Forum, *states: str, message: str) -> None:
    if forum.state not in states:
        raise DomainError(message)
