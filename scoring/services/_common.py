"""What the scoring services share: the forum's one helper (lock, rule, audit row).

Every writing service starts with ``forum_action(actor=..., forum=..., perm="scoring.<action>",
action=...)`` from ``sessions.workflow``: the forum row is locked, the actor checked against
the action's rule (role and phase, ``scoring.rules``) and the audit row written to the
forum's one log (``ForumEvent``) in the same transaction.
"""

from sessions.workflow import Action, forum_action, record, share_forum

__all__ = ["Action", "forum_action", "record", "share_forum"]
