"""What every write of the forum shares: the one helper that locks, authorizes and audits.

Kept as the services' import point; the helper itself lives with the forum's state owner,
``sessions.workflow``.
"""

from sessions.workflow import Action, forum_action, forum_transition, lock_forum, record

__all__ = ["Action", "forum_action", "forum_transition", "lock_forum", "record"]
