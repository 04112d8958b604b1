"""The rule book: every action is one named permission, *who* (role) and *when* (phase).

Each app declares its actions in its ``rules.py`` with ``add_rule``::

    add_rule(
        "forum.mark_attendance",
        who=is_kecamatan_of, when=forum_is_running,
        who_message="Hanya camat dan staf kecamatan ini yang dapat mengisi daftar hadir.",
        when_message="Daftar hadir hanya dapat diisi saat forum berlangsung.",
    )

``add_rule`` registers ``who & when`` with django-rules, so pages ask the same permission
(``user.has_perm``, ``{% has_perm %}``) that the service enforces. Every service that writes
starts with ``authorize(actor, "app.action", obj)``: a page, the admin, a management command
and a test all meet the same rule, and the refusal says in Indonesian *why* (not allowed for
this role, or not in this phase).
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules

from musrenbang.exceptions import DomainError


class Forbidden(DomainError):
    """The actor may not do this action (role), or not now (phase)."""


Refusal = str | Callable[[object], DomainError | str]


@dataclass(frozen=True)
class Rule:
    name: str
    who: rules.Predicate
    when: rules.Predicate
    who_message: str
    when_message: Refusal

    def refuse_when(self, obj) -> DomainError:
        """Return the error of a refusal by phase (a callable message may name the phase)."""
        message = self.when_message(obj) if callable(self.when_message) else self.when_message
        return message if isinstance(message, DomainError) else Forbidden(message)


RULES: dict[str, Rule] = {}


def add_rule(
    name: str,
    *,
    who: rules.Predicate,
    when: rules.Predicate = rules.always_allow,
    who_message: str,
    when_message: Refusal = "Tindakan ini tidak dapat dilakukan pada tahap sekarang.",
) -> Rule:
    """Declare the action ``name`` = ``who & when`` (and register it with django-rules)."""
    rule = Rule(name, who, when, who_message, when_message)
    RULES[name] = rule
    rules.add_perm(name, who & when)
    return rule


def authorize(actor, name: str, obj=None) -> None:
    """Raise unless ``actor`` may do ``name`` on ``obj`` now; the error says why in Indonesian.

    The role is checked first, so a stranger learns nothing about the object's phase.
    """
    rule = RULES[name]
    if not rule.who.test(actor, obj):
        raise Forbidden(rule.who_message)
    if not rule.when.test(actor, obj):
        raise rule.refuse_when(obj)
