"""The rule book: one permission per action, who and when, with the reason of a refusal."""

import pytest
import rules

from musrenbang.exceptions import Locked
from musrenbang.rulebook import RULES, Forbidden, add_rule, authorize


class Actor:
    is_authenticated = True

    def __init__(self, role):
        self.role = role

    def has_perm(self, name, obj=None):
        return rules.has_perm(name, self, obj)


@rules.predicate
def is_clerk(user):
    return user.role == "clerk"


@rules.predicate
def box_is_open(user, box):
    return box["open"]


@pytest.fixture
def rule():
    name = "rulebook_test.fill_box"
    add_rule(
        name,
        who=is_clerk,
        when=box_is_open,
        who_message="Hanya petugas.",
        when_message=lambda box: Locked() if box["sent"] else "Kotak sudah ditutup.",
    )
    yield name
    RULES.pop(name)
    rules.remove_perm(name)


def test_allowed_when_role_and_phase_hold(rule):
    box = {"open": True, "sent": False}
    authorize(Actor("clerk"), rule, box)  # no error
    assert Actor("clerk").has_perm(rule, box)


def test_refused_role_comes_first_and_says_who(rule):
    box = {"open": False, "sent": True}
    with pytest.raises(Forbidden, match="Hanya petugas"):
        authorize(Actor("guest"), rule, box)
    assert not Actor("guest").has_perm(rule, {"open": True, "sent": False})


def test_refused_phase_says_why(rule):
    with pytest.raises(Forbidden, match="Kotak sudah ditutup"):
        authorize(Actor("clerk"), rule, {"open": False, "sent": False})
    with pytest.raises(Locked):
        authorize(Actor("clerk"), rule, {"open": False, "sent": True})
    assert not Actor("clerk").has_perm(rule, {"open": False, "sent": False})
