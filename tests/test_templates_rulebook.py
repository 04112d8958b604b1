"""No template compares a stored state, status, stage, decision or role string.

Templates ask model properties (``forum.is_running``, ``result.is_priority``) or permission
flags the view computed with ``user.has_perm``; the stored Indonesian values live in the
models' ``TextChoices`` only, so renaming a phase or a role cannot leave a page behind.
"""

import re
from pathlib import Path

import pytest

from proposals.models import Status
from proposals.selectors import OUTCOME_KINDS
from reports.followup.models import Stage
from scoring.models import Result
from sessions.models import Forum

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

STORED_FIELDS = "state|status|role|stage|decision|kind|to_stage|from_stage|to_status|from_status"
ROLES = ("camat", "staf", "operator", "opd", "bappeda")
STORED_VALUES = sorted(
    {
        *Forum.State.values,
        *(v for v in Status.values if v),
        *(v for v in Stage.values if v),
        *(v for v in Result.Decision.values if v),
        *ROLES,
        "foto",  # Attachment.Kind.PHOTO, MilestoneFile.Kind.PHOTO
        *OUTCOME_KINDS,  # a proposal's forum outcome (proposals.selectors.forum_outcomes)
    }
)
# A stored field compared with (or tested for membership in) a string literal ...
FIELD_COMPARED = re.compile(rf"\.({STORED_FIELDS})\s*(==|!=|not in|in)\s*['\"]")
# ... or any expression compared with a stored value, and the user's role read at all.
VALUE_COMPARED = re.compile(rf"(==|!=)\s*['\"]({'|'.join(map(re.escape, STORED_VALUES))})['\"]")
USER_ROLE = re.compile(r"\buser\.role\b")
# Sort keys and filter values of a page's own form are not stored values.
NOT_STORED = re.compile(r"\b(sort|scope|shown\.\w+|filters\.\w+|flt\.\w+)\s*(==|!=)")


def offending_lines(text: str) -> list[str]:
    """Return the lines of ``text`` that compare a stored value (the template tags only)."""
    found = []
    for line in text.splitlines():
        for tag in re.findall(r"{%.*?%}|{{.*?}}", line):
            if NOT_STORED.search(tag):
                continue
            if FIELD_COMPARED.search(tag) or VALUE_COMPARED.search(tag) or USER_ROLE.search(tag):
                found.append(line.strip())
                break
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "{% if forum.state == 'berlangsung' %}",
        '{% if p.status == "draft" or p.status == "dikembalikan" %}',
        '{% if p.status in "draft dikembalikan" %}',
        "{% elif r.decision != 'cadangan' %}",
        '{% if fu.stage == "tidak_didanai" %}',
        "{% if request.user.role == 'camat' %}",
        "{% if user.role %}",
        '{% if a.kind == "foto" %}',
        '{% if m.to_stage == "pelaksanaan" %}',
        '{% elif outcome.kind == "reserve" %}',
    ],
)
def test_the_check_finds_a_stored_value_comparison(snippet):
    assert offending_lines(snippet) == [snippet]


@pytest.mark.parametrize(
    "snippet",
    [
        "{% if forum.is_running %}",
        "{% if can_record and forum.is_preparing %}",
        '{% if sort == "prioritas" %}',
        '{% if shown.status == "belum" %}',
        "{% if outcome.is_priority %}",
        "{{ member.role }}",
    ],
)
def test_the_check_lets_properties_and_page_keys_pass(snippet):
    assert offending_lines(snippet) == []


def test_no_template_compares_a_stored_state_or_role_string():
    offences = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        lines = offending_lines(path.read_text(encoding="utf-8"))
        if lines:
            offences[name] = lines
    assert offences == {}
