"""Role x stage grid of the follow-up rules: a follow-up's stage is its phase.

For each persona and stage the permission (``rules.has_perm`` and ``user.has_perm``, the
superuser too) and the service agree: allowed -> the move or milestone is written;
refused -> the rule's message and nothing written.
"""

import datetime as dt

import pytest
import rules

from musrenbang.rulebook import Forbidden
from reports.followup.services import followup_move, milestone_add
from reports.models import FollowUp, FollowUpMove, Stage
from tests.reports.followup_factories import open_forum, petugas
from tests.rulebook_grid import persona as get_persona

pytestmark = pytest.mark.django_db

PERSONAS = ["camat", "clerk", "other_clerk", "operator", "petugas", "other_opd", "bappeda",
            "superuser"]  # fmt: skip
# stage -> (who may update it, who may add a milestone)
STAGES = {
    Stage.KECAMATAN: ({"camat", "clerk"}, set()),
    Stage.RECEIVED: ({"petugas"}, {"petugas"}),
    Stage.DONE: (set(), {"petugas"}),
    Stage.NOT_FUNDED: (set(), set()),
}
NOT_YOURS = "Anda tidak berwenang mengubah tindak lanjut ini."
CLOSED = "Tindak lanjut ini sudah ditutup (selesai atau tidak didanai)."
NO_MILESTONE = "Capaian hanya dicatat untuk usulan yang ditangani OPD dan masih didanai."
NEXT = {
    Stage.KECAMATAN: {"to": Stage.NOT_FUNDED, "reason_category": "pagu", "reason_text": "Habis."},
    Stage.RECEIVED: {"to": Stage.RENJA},
    Stage.DONE: {"to": Stage.RUNNING, "progress": 100},
    Stage.NOT_FUNDED: {"to": Stage.RENJA},
}


@pytest.fixture
def follow_ups(subdistrict, village, other_village, year, agency):
    """One follow-up in each stage of the grid (priorities of ``agency``, one reserve)."""
    data, rows = open_forum(subdistrict, [village, other_village])
    reserve = next(fu for fu in rows if fu.stage == Stage.KECAMATAN)
    priorities = [fu for fu in rows if fu.stage == Stage.RECEIVED]
    by_stage = {Stage.KECAMATAN: reserve, Stage.RECEIVED: priorities[0]}
    for fu, stage in [(priorities[1], Stage.DONE), (priorities[2], Stage.NOT_FUNDED)]:
        FollowUp.objects.filter(pk=fu.pk).update(stage=stage, reason_category="pagu")
        by_stage[stage] = FollowUp.objects.get(pk=fu.pk)
    return by_stage


def _user(request, name, agency, regency):
    from tests import factories as f

    if name == "petugas":
        return petugas(agency)
    if name == "other_opd":
        other = f.AgencyFactory(regency=regency, abbreviation="Dinkes")
        return petugas(other, "petugas.dinkes")
    return get_persona(request, name)


def _check(user, name, perm, fu, allowed, call, who_message, when_message, *, owner):
    assert rules.has_perm(perm, user, fu) is allowed, (perm, name, fu.stage)
    assert user.has_perm(perm, fu) is allowed, (perm, name, fu.stage)
    moves = FollowUpMove.objects.filter(follow_up=fu).count()
    if allowed:
        call()
        return
    message = when_message if owner else who_message
    with pytest.raises(Forbidden) as error:
        call()
    assert str(error.value) == message, (perm, name, fu.stage)
    assert FollowUpMove.objects.filter(follow_up=fu).count() == moves
    assert not fu.milestones.exists()


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("name", PERSONAS)
def test_update_followup_grid(request, name, stage, follow_ups, agency, regency):
    user, fu = _user(request, name, agency, regency), follow_ups[stage]
    allowed = name in STAGES[stage][0]
    # The role part: the OPD of the follow-up, or the kecamatan while it holds it.
    owner = name in ("camat", "clerk") if stage == Stage.KECAMATAN else name == "petugas"
    _check(
        user, name, "reports.update_followup", fu, allowed,
        lambda: followup_move(actor=user, follow_up=fu, **NEXT[stage]),
        NOT_YOURS, CLOSED, owner=owner,
    )  # fmt: skip
    if allowed:
        assert FollowUp.objects.get(pk=fu.pk).stage == NEXT[stage]["to"]


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("name", PERSONAS)
def test_add_milestone_grid(request, name, stage, follow_ups, agency, regency):
    user, fu = _user(request, name, agency, regency), follow_ups[stage]
    allowed = name in STAGES[stage][1]
    owner = name == "petugas" and fu.agency_id == agency.pk
    _check(
        user, name, "reports.record_milestone", fu, allowed,
        lambda: milestone_add(actor=user, follow_up=fu, date=dt.date.today(), title="Survei"),
        NOT_YOURS, NO_MILESTONE, owner=owner,
    )  # fmt: skip
    if allowed:
        assert fu.milestones.get().title == "Survei"
