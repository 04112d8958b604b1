"""The shared factories build consistent data (one kecamatan per forum and its proposals)."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_forum_item_proposal_is_in_the_forum_kecamatan():
    item = f.ForumItemFactory()
    assert item.proposal.subdistrict == item.forum.subdistrict
    assert item.proposal.year == item.forum.year


def test_score_criterion_belongs_to_the_item_forum():
    score = f.ScoreFactory()
    assert score.criterion.forum == score.item.forum


def test_delegate_and_participant_share_a_forum():
    delegate = f.DelegateFactory()
    assert delegate.forum == delegate.participant.forum
