"""The cheap properties templates ask instead of comparing stored strings (no database)."""

import pytest

from proposals.models import Attachment, Proposal, Status
from reports.followup.models import FollowUp, FollowUpMove, MilestoneFile, Stage
from scoring.models import Result
from sessions.models import Forum


@pytest.mark.parametrize(
    ("state", "preparing", "running", "sent"),
    [
        (Forum.State.PREPARATION, True, False, False),
        (Forum.State.RUNNING, False, True, False),
        (Forum.State.SENT, False, False, True),
    ],
)
def test_forum_phase(state, preparing, running, sent):
    forum = Forum(state=state)
    assert (forum.is_preparing, forum.is_running, forum.is_sent) == (preparing, running, sent)
    assert forum.is_sent == forum.is_locked


@pytest.mark.parametrize("status", Status.values)
def test_proposal_status(status):
    proposal = Proposal(status=status)
    assert proposal.is_draft == (status == "draft")
    assert proposal.is_rejected == (status == "ditolak")


@pytest.mark.parametrize("decision", Result.Decision.values)
def test_result_decision(decision):
    result = Result(decision=decision)
    assert result.is_priority == (decision == "prioritas")
    assert result.is_reserve == (decision == "cadangan")


@pytest.mark.parametrize("stage", Stage.values)
def test_followup_stage(stage):
    follow_up = FollowUp(stage=stage)
    assert follow_up.is_unfunded == (stage == "tidak_didanai")
    assert follow_up.is_running == (stage == "pelaksanaan")
    assert follow_up.shows_progress == (stage in ("pelaksanaan", "selesai"))
    move = FollowUpMove(to_stage=stage)
    assert move.names_agency == (stage in ("diterima", "dialihkan"))
    assert move.to_running == (stage == "pelaksanaan")


@pytest.mark.parametrize("model", [Attachment, MilestoneFile])
def test_file_is_photo(model):
    assert model(kind="foto").is_photo
    assert not model(kind="dokumen").is_photo
