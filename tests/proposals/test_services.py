"""Services: every transition allowed and refused by side and state, guards and audit rows."""

import datetime as dt

import pytest
from django.utils import timezone

from musrenbang.exceptions import DomainError, Locked
from proposals import services
from proposals.models import Proposal, Status, Transition
from sessions.models import Forum
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL = list(Status.values)


def _do(to, actor, proposal):
    if to == Status.SUBMITTED:
        return services.proposal_submit(actor=actor, proposal=proposal)
    if to == Status.RECEIVED:
        return services.proposal_receive(actor=actor, proposal=proposal)
    if to == Status.VERIFIED:
        return services.proposal_verify(actor=actor, proposal=proposal)
    if to == Status.RETURNED:
        return services.proposal_return(actor=actor, proposal=proposal, reason="Kurang RAB")
    if to == Status.REJECTED:
        return services.proposal_reject(
            actor=actor, proposal=proposal, category="duplikat", reason="Sama dengan 0003"
        )
    raise AssertionError(to)


TARGETS = [Status.SUBMITTED, Status.RECEIVED, Status.VERIFIED, Status.RETURNED, Status.REJECTED]


@pytest.mark.parametrize("frm", ALL)
@pytest.mark.parametrize("to", TARGETS)
@pytest.mark.parametrize("who", ["operator", "clerk"])
def test_transition_grid_follows_the_table(request, make_proposal, frm, to, who):
    actor = request.getfixturevalue(who)
    proposal = make_proposal(status=frm)
    side = services.DESA if who == "operator" else services.KECAMATAN
    allowed = side in services.TRANSITIONS.get((frm, to), frozenset())
    if allowed:
        _do(to, actor, proposal)
        proposal.refresh_from_db()
        assert proposal.status == to
        row = Transition.objects.get(proposal=proposal)
        assert (row.from_status, row.to_status, row.actor) == (frm, to, actor)
    else:
        with pytest.raises(DomainError):
            _do(to, actor, proposal)
        proposal.refresh_from_db()
        assert proposal.status == frm
        assert not Transition.objects.filter(proposal=proposal).exists()


def test_the_table_lets_the_desa_only_submit():
    desa_moves = {k for k, sides in services.TRANSITIONS.items() if services.DESA in sides}
    assert {to for _, to in desa_moves} == {Status.SUBMITTED}


@pytest.mark.parametrize("who", ["other_operator", "other_clerk", "bappeda", "opd_reader"])
def test_outsiders_cannot_move_a_proposal(request, make_proposal, who):
    proposal = make_proposal(status=Status.SUBMITTED)
    with pytest.raises(DomainError, match="tidak berwenang"):
        services.proposal_receive(actor=request.getfixturevalue(who), proposal=proposal)


@pytest.mark.parametrize("to", [Status.RETURNED, Status.REJECTED])
def test_return_and_reject_need_a_reason(make_proposal, clerk, to):
    proposal = make_proposal(status=Status.RECEIVED)
    with pytest.raises(DomainError, match="Alasan wajib"):
        if to == Status.RETURNED:
            services.proposal_return(actor=clerk, proposal=proposal, reason="  ")
        else:
            services.proposal_reject(actor=clerk, proposal=proposal, category="lainnya", reason="")
    proposal.refresh_from_db()
    assert proposal.status == Status.RECEIVED


def test_reject_needs_a_known_category(make_proposal, clerk):
    proposal = make_proposal(status=Status.RECEIVED)
    with pytest.raises(DomainError, match="kategori"):
        services.proposal_reject(actor=clerk, proposal=proposal, category="x", reason="Alasan")


def test_reject_records_category_and_public_reason(make_proposal, clerk):
    proposal = make_proposal(status=Status.SUBMITTED)
    services.proposal_reject(
        actor=clerk, proposal=proposal, category="kewenangan", reason="Jalan provinsi"
    )
    proposal.refresh_from_db()
    assert proposal.rejection_category == "kewenangan"
    row = proposal.transitions.get()
    assert row.public and "Jalan provinsi" in row.reason and "kewenangan" in row.reason


def test_receive_registers_number_actor_time_and_disposition(make_proposal, clerk):
    first = make_proposal(status=Status.SUBMITTED)
    second = make_proposal(status=Status.SUBMITTED)
    services.proposal_receive(actor=clerk, proposal=first, disposition_note="Camat: ke Kasi")
    services.proposal_receive(actor=clerk, proposal=second, register_number="REG-MANUAL-7")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.register_number == "REG/2027/91.01.01/0001"
    assert first.received_by == clerk and first.received_at is not None
    assert first.disposition_note == "Camat: ke Kasi"
    assert second.register_number == "REG-MANUAL-7"


def test_verify_note_is_internal(make_proposal, clerk):
    proposal = make_proposal(status=Status.RECEIVED)
    services.proposal_verify(actor=clerk, proposal=proposal, note="cek lapangan oleh kasi")
    assert proposal.transitions.get().public is False


def test_create_gives_reference_tracking_code_rank_and_audit(operator, village, year, data):
    first = services.proposal_create(actor=operator, year=2027, village=village, data=data)
    second = services.proposal_create(actor=operator, year=2027, village=village, data=data)
    assert first.reference == "2027/91.01.01/0001" and second.reference.endswith("0002")
    assert len(first.tracking_code) == 8 and first.tracking_code != second.tracking_code
    assert (first.village_rank, second.village_rank) == (1, 2)
    assert first.status == Status.DRAFT and first.created_by == operator
    assert first.transitions.get().to_status == Status.DRAFT


def test_operator_cannot_create_for_another_desa(operator, other_village, year, data):
    with pytest.raises(DomainError):
        services.proposal_create(actor=operator, year=2027, village=other_village, data=data)
    assert not Proposal.objects.exists()


def test_rank_is_unique_per_desa_and_year(operator, village, year, data):
    services.proposal_create(actor=operator, year=2027, village=village, data=data, rank=3)
    with pytest.raises(DomainError, match="Prioritas 3"):
        services.proposal_create(actor=operator, year=2027, village=village, data=data, rank=3)


def test_volume_must_be_positive(operator, village, year, data):
    with pytest.raises(DomainError, match="Volume"):
        services.proposal_create(
            actor=operator, year=2027, village=village, data={**data, "volume": 0}
        )


@pytest.fixture
def past_deadline(year):
    year.submission_deadline = timezone.now() - dt.timedelta(minutes=1)
    year.save()
    return year


def test_operator_cannot_create_after_the_deadline(operator, village, past_deadline, data):
    with pytest.raises(DomainError, match="Batas waktu"):
        services.proposal_create(actor=operator, year=2027, village=village, data=data)


def test_operator_cannot_submit_a_draft_after_the_deadline(operator, make_proposal, past_deadline):
    proposal = make_proposal(status=Status.DRAFT)
    with pytest.raises(DomainError, match="Batas waktu"):
        services.proposal_submit(actor=operator, proposal=proposal)


def test_operator_cannot_edit_a_draft_after_the_deadline(operator, make_proposal, past_deadline):
    proposal = make_proposal(status=Status.DRAFT)
    with pytest.raises(DomainError, match="Batas waktu"):
        services.proposal_update(actor=operator, proposal=proposal, data={"title": "Baru"})


def test_operator_may_fix_and_resubmit_a_returned_proposal_after_the_deadline(
    operator, make_proposal, past_deadline
):
    proposal = make_proposal(status=Status.RETURNED)
    services.proposal_update(actor=operator, proposal=proposal, data={"title": "Diperbaiki"})
    services.proposal_submit(actor=operator, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Diperbaiki", Status.SUBMITTED)


def test_kecamatan_adds_and_submits_after_the_deadline(clerk, village, past_deadline, data):
    proposal = services.proposal_create(actor=clerk, year=2027, village=village, data=data)
    services.proposal_submit(actor=clerk, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_kecamatan_may_add_its_own_proposal_without_desa(clerk, subdistrict, year, data):
    proposal = services.proposal_create(actor=clerk, year=2027, subdistrict=subdistrict, data=data)
    assert proposal.origin == "kecamatan" and proposal.village is None
    assert proposal.village_rank is None


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.RECEIVED, Status.VERIFIED])
def test_operator_edits_only_drafts_and_returned(operator, make_proposal, status):
    proposal = make_proposal(status=status)
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        services.proposal_update(actor=operator, proposal=proposal, data={"title": "X"})


def test_kecamatan_records_agreed_figures_and_keeps_originals(clerk, make_proposal):
    proposal = make_proposal(status=Status.RECEIVED, volume=100, cost=50_000_000)
    services.proposal_update(
        actor=clerk, proposal=proposal, data={"agreed_volume": 80, "agreed_cost": 40_000_000}
    )
    proposal.refresh_from_db()
    assert (proposal.volume, proposal.cost) == (100, 50_000_000)
    assert (proposal.agreed_volume, proposal.agreed_cost) == (80, 40_000_000)


def test_submit_all_submits_drafts_and_returned_only(operator, village, make_proposal):
    draft, returned = make_proposal(), make_proposal(status=Status.RETURNED)
    verified = make_proposal(status=Status.VERIFIED)
    assert services.proposals_submit_all(actor=operator, village=village, year=2027) == 2
    for p in (draft, returned):
        p.refresh_from_db()
        assert p.status == Status.SUBMITTED and p.submitted_at is not None
    verified.refresh_from_db()
    assert verified.status == Status.VERIFIED


def test_submit_all_with_nothing_pending_says_so(operator, village, year):
    with pytest.raises(DomainError, match="Tidak ada usulan"):
        services.proposals_submit_all(actor=operator, village=village, year=2027)


def test_reorder_sets_ranks_in_the_given_order(operator, village, make_proposal):
    a, b, c = (make_proposal(village_rank=n) for n in (1, 2, 3))
    services.proposal_reorder(
        actor=operator, village=village, year=2027, ordered_ids=[c.pk, a.pk, b.pk]
    )
    ranks = dict(Proposal.objects.values_list("pk", "village_rank"))
    assert ranks == {c.pk: 1, a.pk: 2, b.pk: 3}


def test_reorder_refuses_to_move_a_submitted_proposal(operator, village, make_proposal):
    a = make_proposal(village_rank=1, status=Status.SUBMITTED)
    b = make_proposal(village_rank=2)
    with pytest.raises(DomainError, match="sudah diajukan"):
        services.proposal_reorder(
            actor=operator, village=village, year=2027, ordered_ids=[b.pk, a.pk]
        )
    a.refresh_from_db()
    assert a.village_rank == 1


def test_reorder_needs_every_proposal(operator, village, make_proposal):
    a = make_proposal(village_rank=1)
    make_proposal(village_rank=2)
    with pytest.raises(DomainError):
        services.proposal_reorder(actor=operator, village=village, year=2027, ordered_ids=[a.pk])


def test_move_swaps_with_the_neighbour(operator, make_proposal):
    a, b = make_proposal(village_rank=1), make_proposal(village_rank=2)
    services.proposal_move(actor=operator, proposal=b, offset=-1)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.village_rank, b.village_rank) == (2, 1)


def test_bulk_is_all_or_nothing(clerk, make_proposal):
    ok = make_proposal(status=Status.SUBMITTED)
    wrong = make_proposal(status=Status.DRAFT, reference="UJI/BURUK")
    with pytest.raises(DomainError, match="Tidak ada usulan yang diubah"):
        services.proposals_bulk(actor=clerk, proposals=[ok, wrong], action="terima")
    ok.refresh_from_db()
    assert ok.status == Status.SUBMITTED
    assert not Transition.objects.exists()


def test_bulk_applies_to_every_proposal(clerk, make_proposal):
    proposals = [make_proposal(status=Status.RECEIVED) for _ in range(3)]
    count = services.proposals_bulk(
        actor=clerk, proposals=proposals, action="tolak", category="duplikat", reason="Ganda"
    )
    assert count == 3
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.REJECTED}


def test_bulk_return_without_reason_changes_nothing(clerk, make_proposal):
    proposal = make_proposal(status=Status.RECEIVED)
    with pytest.raises(DomainError, match="Alasan wajib"):
        services.proposals_bulk(actor=clerk, proposals=[proposal], action="kembalikan")


def test_a_sent_forum_locks_its_proposals(clerk, operator, make_proposal, subdistrict):
    proposal = make_proposal(status=Status.SUBMITTED)
    # Deliberately faked: a sent forum beside a proposal still in its status (sending through
    # the services would close the undiscussed proposal, and the lock is what is tested).
    f.ForumFactory(subdistrict=subdistrict, year=2027, state=Forum.State.SENT)
    with pytest.raises(Locked):
        services.proposal_receive(actor=clerk, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_carry_over_copies_rejected_and_reserve_proposals(operator, village, sector, year):
    rejected = f.ProposalFactory(village=village, year=2026, status=Status.REJECTED, sector=sector)
    reserve = f.ProposalFactory(village=village, year=2026, status=Status.VERIFIED, sector=sector)
    priority = f.ProposalFactory(village=village, year=2026, status=Status.VERIFIED, sector=sector)
    forum = f.ForumFactory(subdistrict=village.subdistrict, year=2026)
    f.ResultFactory(item=f.ForumItemFactory(forum=forum, proposal=reserve), decision="cadangan")
    f.ResultFactory(item=f.ForumItemFactory(forum=forum, proposal=priority), decision="prioritas")
    created = services.proposals_carry_over(actor=operator, village=village, year=2027)
    assert {p.carried_over_from_id for p in created} == {rejected.pk, reserve.pk}
    assert all(p.status == Status.DRAFT and p.year == 2027 for p in created)
    with pytest.raises(DomainError, match="Tidak ada usulan"):
        services.proposals_carry_over(actor=operator, village=village, year=2027)
