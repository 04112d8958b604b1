"""Role x phase grids of the rule book's forum actions (adhocracy4's permission grids).

Each app's ``test_rulebook_grid.py`` lists its actions as ``Case``s: the permission, who may
do it, in which phases, the refusal messages, and one service call of the action. For every
persona and phase the grid checks the permission (``rules.has_perm`` and ``user.has_perm``,
which answers rule-book actions by the rule alone, for the superuser too) and calls
the service: allowed -> it writes; refused -> it raises the rule's message and the forum's log
is unchanged.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import rules
from django.utils import timezone

from musrenbang.exceptions import DomainError, Locked
from musrenbang.rulebook import Forbidden
from scoring.models import Result, Score
from sessions.models import AgendaItem, Forum, ForumEvent
from tests import factories as f

PERSONAS = ["camat", "clerk", "other_clerk", "operator", "opd_reader", "bappeda", "superuser"]
PHASES = [Forum.State.PREPARATION, Forum.State.RUNNING, Forum.State.SENT]
KECAMATAN = frozenset({"camat", "clerk"})
CAMAT = frozenset({"camat"})
OPEN = frozenset({Forum.State.PREPARATION, Forum.State.RUNNING})
ALL = frozenset(PHASES)


@dataclass(frozen=True)
class Case:
    """One action: its permission, who and when, refusals, and how to call its service."""

    perm: str
    who: frozenset
    when: frozenset
    who_message: str
    # phase -> the refusal message of that phase (Locked for a sent forum unless given;
    # None: the service changes nothing and raises nothing).
    when_messages: dict
    call: Callable  # (actor, world) -> None
    audited: bool = True  # writes a row of the forum's log (a score keeps its own history)
    scored: bool = True  # the world has a score (criteria freeze at the first one)


@dataclass
class World:
    """A forum of the persona kecamatan with one of everything the actions need."""

    forum: Forum
    item: object
    commission: object
    agenda_item: object
    present: object
    absent: object
    criterion: object
    result: object
    sector: object
    village: object
    clerk: object


def build_world(
    *, subdistrict, village, sector, agency, camat, clerk, phase: str, scored: bool = True
) -> World:
    """Build the world in preparation, then put the forum in ``phase`` (state written last:
    the phase is what the grid varies, the lock would refuse the building)."""
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027, date=dt.date(2026, 2, 16))
    commission = f.CommissionFactory(forum=forum, name="Komisi Fisik", sector=sector)
    proposal = f.ProposalFactory(village=village, year=2027, status="terverifikasi", sector=sector)
    item = f.ForumItemFactory(forum=forum, proposal=proposal, commission=commission)
    criterion = f.CriterionFactory(forum=forum, name="Urgensi")
    world = World(
        forum=forum,
        item=item,
        commission=commission,
        agenda_item=AgendaItem.objects.create(
            forum=forum, order=1, title="Pembukaan", planned_minutes=15
        ),
        present=f.ParticipantFactory(forum=forum, name="Hadir", present_at=timezone.now()),
        absent=f.ParticipantFactory(forum=forum, name="Belum Hadir"),
        criterion=criterion,
        result=Result.objects.create(
            item=item,
            total=3,
            rank=1,
            computed_rank=1,
            computed_at=timezone.now() + dt.timedelta(seconds=1),
            decision=Result.Decision.PRIORITY,
            responsible_agency=agency,
        ),
        sector=sector,
        village=village,
        clerk=clerk,
    )
    if scored:
        Score.objects.create(item=item, criterion=criterion, scorer=camat, value=3)
    Result.objects.filter(pk=world.result.pk).update(
        computed_at=timezone.now() + dt.timedelta(seconds=5)
    )
    Forum.objects.filter(pk=forum.pk).update(state=phase)
    forum.refresh_from_db()
    return world


def persona(request, name: str):
    if name == "superuser":
        return f.UserFactory(username="root", is_superuser=True)
    return request.getfixturevalue(name)


def check_cell(case: Case, user, name: str, phase: str, world: World) -> None:
    """Assert the permission and the service agree with the grid's expectation."""
    allowed = name in case.who and phase in case.when
    forum = Forum.objects.get(pk=world.forum.pk)
    assert rules.has_perm(case.perm, user, forum) is allowed, (case.perm, name, phase)
    assert user.has_perm(case.perm, forum) is allowed, (case.perm, name, phase)
    before = ForumEvent.objects.filter(forum=forum).count()
    if allowed:
        case.call(user, world)
        if case.audited:
            assert ForumEvent.objects.filter(forum=forum).count() > before, "no audit row"
        return
    kind, message = refusal(case, name, phase)
    if kind is None:  # refused without an error: a repeated click that changes nothing
        case.call(user, world)
        assert ForumEvent.objects.filter(forum=forum).count() == before
        return
    with pytest.raises(kind) as error:
        case.call(user, world)
    assert str(error.value) == message, (case.perm, name, phase)
    if kind is not Locked:
        assert not isinstance(error.value, Locked), (case.perm, name, phase)
    assert ForumEvent.objects.filter(forum=forum).count() == before


def refusal(case: Case, name: str, phase: str) -> tuple[type, str]:
    """Return the error type and message the grid expects for a refused cell."""
    if name not in case.who:
        return Forbidden, case.who_message
    if phase in case.when_messages:
        message = case.when_messages[phase]
        return (DomainError, message) if message is not None else (None, None)
    assert phase == Forum.State.SENT, f"{case.perm}: no refusal given for {phase}"
    return Locked, Locked().message


def cells(cases: list[Case]) -> list:
    """Return the parameters (case, persona, phase) of a grid."""
    return [
        pytest.param(case, name, phase, id=f"{case.perm}-{name}-{phase}")
        for case in cases
        for name in PERSONAS
        for phase in PHASES
    ]
