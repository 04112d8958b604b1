"""The follow-up's stage table, its audit rows, and the opening of follow-ups on sending."""

import datetime as dt

import pytest

from musrenbang.exceptions import DomainError
from musrenbang.rulebook import Forbidden
from proposals.models import Status
from reports.followup import services
from reports.followup.services import TRANSITIONS, followup_move, milestone_add
from reports.models import FollowUp, FollowUpMove, Stage
from tests import factories as f
from tests.reports.followup_factories import jpeg, open_forum, petugas

pytestmark = pytest.mark.django_db

FIGURES = {
    Stage.DPA: {"budget_year": 2027, "budget_amount": 150_000_000},
    Stage.RUNNING: {"progress": 40},
    Stage.NOT_FUNDED: {"reason_category": "pagu", "reason_text": "Pagu OPD habis."},
}


@pytest.fixture
def opened(subdistrict, village, other_village, year):
    return open_forum(subdistrict, [village, other_village])


def _at(follow_up, stage, actor, agency=None):
    extra = {"reason_category": "pagu"} if stage == Stage.NOT_FUNDED else {}
    FollowUp.objects.filter(pk=follow_up.pk).update(
        stage=stage, agency=agency or actor.agency, **extra
    )
    follow_up.refresh_from_db()
    return follow_up


def test_priorities_go_to_their_agency_and_reserves_stay_with_the_kecamatan(opened, agency):
    data, follow_ups = opened
    stages = {fu.proposal_id: (fu.stage, fu.agency_id) for fu in follow_ups}
    for result in data.priority:
        assert stages[result.item.proposal_id] == (Stage.RECEIVED, agency.pk)
    for result in data.reserve:
        assert stages[result.item.proposal_id] == (Stage.KECAMATAN, None)
    assert FollowUpMove.objects.filter(to_stage=Stage.RECEIVED).count() == len(data.priority)


def test_not_discussed_proposals_get_a_kecamatan_follow_up(subdistrict, village, year):
    never_loaded = f.ProposalFactory(village=village, status=Status.VERIFIED)
    draft = f.ProposalFactory(village=village, status=Status.DRAFT)
    data, follow_ups = open_forum(subdistrict, [village])
    by_proposal = {fu.proposal_id: fu for fu in follow_ups}
    assert by_proposal[never_loaded.pk].stage == Stage.KECAMATAN
    assert draft.pk not in by_proposal


def test_opening_twice_creates_nothing_new(opened):
    data, follow_ups = opened
    assert services.followups_open(forum=data.forum) == 0
    assert FollowUp.objects.filter(forum=data.forum).count() == len(follow_ups)


def test_the_forum_sent_signal_opens_the_follow_ups(
    subdistrict, village, camat, year, django_capture_on_commit_callbacks
):
    from tests.forums import send
    from tests.reports.factories import sent_forum

    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    assert not FollowUp.objects.filter(forum=data.forum).exists()
    with django_capture_on_commit_callbacks(execute=True):
        send(data.forum, actor=camat)  # "Kirim ke OPD" sends forum_sent after the commit
    assert FollowUp.objects.filter(forum=data.forum).count() == 5


def test_opening_a_forum_not_yet_sent_is_refused(subdistrict, village, year):
    from tests.reports.factories import sent_forum

    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    with pytest.raises(DomainError):
        services.followups_open(forum=data.forum)


@pytest.mark.parametrize(
    "frm,to", [(frm, to) for frm in Stage.values for to in Stage.values if frm != Stage.KECAMATAN]
)
def test_the_stage_table_is_the_only_way(opened, agency, regency, frm, to):
    data, follow_ups = opened
    actor = petugas(agency)
    other = f.AgencyFactory(regency=regency, abbreviation="Dinkes")
    fu = _at(follow_ups[0], frm, actor)
    kwargs = {"agency": other} if to == Stage.TRANSFERRED else FIGURES.get(to, {})
    allowed = to in TRANSITIONS[frm]
    if frm in (Stage.DONE, Stage.NOT_FUNDED):
        with pytest.raises(Forbidden, match="sudah ditutup"):
            followup_move(actor=actor, follow_up=fu, to=to, **kwargs)
        return
    if not allowed:
        with pytest.raises(DomainError):
            followup_move(actor=actor, follow_up=fu, to=to, **kwargs)
        assert not FollowUpMove.objects.filter(follow_up=fu, from_stage=frm).exists()
        return
    if frm == Stage.RUNNING and to == Stage.RUNNING:
        kwargs = {"progress": 60}
    moved = followup_move(actor=actor, follow_up=fu, to=to, **kwargs)
    assert moved.stage == to
    move = FollowUpMove.objects.get(follow_up=fu, from_stage=frm)
    assert (move.to_stage, move.actor) == (to, actor)


def test_dpa_needs_budget_year_and_amount(opened, agency):
    actor = petugas(agency)
    fu = opened[1][0]
    with pytest.raises(DomainError, match="tahun anggaran"):
        followup_move(actor=actor, follow_up=fu, to=Stage.DPA)
    fu = followup_move(actor=actor, follow_up=fu, to=Stage.DPA, **FIGURES[Stage.DPA])
    assert (fu.budget_year, fu.budget_amount) == (2027, 150_000_000)


def test_not_funded_needs_a_category_and_a_text(opened, agency):
    actor = petugas(agency)
    fu = opened[1][0]
    with pytest.raises(DomainError):
        followup_move(actor=actor, follow_up=fu, to=Stage.NOT_FUNDED, reason_category="pagu")
    with pytest.raises(DomainError):
        followup_move(actor=actor, follow_up=fu, to=Stage.NOT_FUNDED, reason_text="x")
    fu = followup_move(actor=actor, follow_up=fu, to=Stage.NOT_FUNDED, **FIGURES[Stage.NOT_FUNDED])
    assert fu.get_reason_category_display() == "Pagu tidak cukup"


def test_progress_is_between_0_and_100_and_never_goes_down(opened, agency):
    actor = petugas(agency)
    fu = _at(opened[1][0], Stage.DPA, actor)
    with pytest.raises(DomainError):
        followup_move(actor=actor, follow_up=fu, to=Stage.RUNNING, progress=101)
    fu = followup_move(actor=actor, follow_up=fu, to=Stage.RUNNING, progress=50)
    with pytest.raises(DomainError, match="turun"):
        followup_move(actor=actor, follow_up=fu, to=Stage.RUNNING, progress=20)


def test_transfer_hands_the_follow_up_to_the_other_agency(opened, agency, regency):
    actor = petugas(agency)
    other = f.AgencyFactory(regency=regency, abbreviation="Dinkes")
    fu = followup_move(actor=actor, follow_up=opened[1][0], to=Stage.TRANSFERRED, agency=other)
    assert fu.agency == other
    move = fu.moves.last()
    assert (move.from_agency, move.to_agency) == (agency, other)
    with pytest.raises(Forbidden, match="tidak berwenang"):  # no longer theirs
        followup_move(actor=actor, follow_up=fu, to=Stage.RECEIVED)
    fu = followup_move(actor=petugas(other, "dinkes"), follow_up=fu, to=Stage.RECEIVED)
    assert fu.stage == Stage.RECEIVED


def test_a_date_in_the_future_is_refused(opened, agency):
    actor = petugas(agency)
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(DomainError, match="masa depan"):
        followup_move(actor=actor, follow_up=opened[1][0], to=Stage.RENJA, date=future)


def test_milestone_photo_keeps_its_exif_place_and_time(opened, agency):
    actor = petugas(agency)
    fu = opened[1][0]
    milestone = milestone_add(
        actor=actor, follow_up=fu, date=dt.date.today(), title="Survei lokasi", progress=10,
        photos=[jpeg(), jpeg(gps=False, name="tanpa.jpg")],
    )  # fmt: skip
    with_gps, without = milestone.files.order_by("id")
    assert (float(with_gps.latitude), float(with_gps.longitude)) == (3.75, 98.45)
    assert with_gps.taken_at.year == 2026
    assert without.latitude is None and without.taken_at is None


def test_milestone_photo_that_is_not_an_image_is_refused(opened, agency):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"#!/bin/sh\necho hi\n")
    with pytest.raises(DomainError):
        milestone_add(actor=petugas(agency), follow_up=opened[1][0], date=dt.date.today(),
                      title="Foto", photos=[fake])  # fmt: skip
    assert not opened[1][0].milestones.exists()
