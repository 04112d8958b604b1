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


def _model_permissions() -> set[str]:
    from django.apps import apps
    from django.contrib.auth.management import _get_all_permissions

    return {
        f"{model._meta.app_label}.{codename}"
        for model in apps.get_models()
        for codename, _name in _get_all_permissions(model._meta)
    }


def test_no_rule_is_named_like_a_model_permission():
    # User.has_perm answers a rule by the rule alone: a rule named like a model permission
    # (proposals.change_proposal) would take the admin's permission away from Bappeda.
    assert not set(RULES) & _model_permissions()


def test_a_superuser_is_answered_by_the_rule_and_keeps_the_admin(db, subdistrict):
    from musrenbang.rules import is_superuser
    from tests import factories as f

    root = f.UserFactory(username="root", is_superuser=True)
    forum = f.ForumFactory(subdistrict=subdistrict)
    # A rule that does not name the superuser refuses them, one that does allows them.
    assert not root.has_perm("forum.start_forum", forum)
    assert not root.has_perm("forum.record_forum", forum)
    assert RULES["forum.list_forums"].who.test(root) and root.has_perm("forum.list_forums")
    assert is_superuser(root) and root.has_perm("proposals.close_year", forum)
    # Model permissions and object view rules outside the rule book: Django's answer.
    assert root.has_perm("proposals.change_proposal") and root.has_perm("forum.view_forum", forum)
    # An inactive superuser has no rule-book action.
    root.is_active = False
    assert not root.has_perm("forum.list_forums")
