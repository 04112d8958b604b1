"""The rule book of proposals as grids: role x status x year open/closed, per permission.

For every cell the permission (what pages ask) and the service (what writes) must agree: an
allowed cell writes, a refused cell raises a ``DomainError`` and changes nothing. The
expected cells are written out here by hand, not derived from ``TRANSITIONS``, so a change of
the table or of a rule shows up as a failing cell.
"""

import datetime as dt

import pytest
import rules
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from musrenbang.exceptions import DomainError
from proposals import services
from proposals.models import Attachment, Proposal, Status, YearClosure
from tests import factories as f
from tests import pdfs

pytestmark = pytest.mark.django_db

ROLES = [
    "operator",  # the desa of the proposal
    "other_operator",  # another desa of the same kecamatan
    "clerk",  # staff of the proposal's kecamatan
    "camat",  # camat of the proposal's kecamatan
    "other_clerk",  # staff of another kecamatan
    "opd_reader",
    "bappeda",
    "superuser",
]
SIDE = {"operator": "desa", "clerk": "kecamatan", "camat": "kecamatan"}
STATUSES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.VERIFIED,
    Status.RETURNED,
    Status.REJECTED,
]
ANY = set(STATUSES)
EDIT = {
    "desa": {"draft", "dikembalikan"},
    "kecamatan": {"draft", "dikembalikan", "diajukan", "diterima"},
}

BACK = {"draft", "dikembalikan"}  # with the desa: drafts and returned proposals
# permission -> side -> statuses in which the side may do it (while the year is open).
WRITES = {
    "proposals.edit_proposal": EDIT,
    "proposals.attach_file": EDIT,
    "proposals.remove_attachment": EDIT,
    "proposals.submit_proposal": {"desa": BACK, "kecamatan": BACK},
    "proposals.receive_proposal": {"kecamatan": {"diajukan"}},
    "proposals.verify_proposal": {"kecamatan": {"diterima"}},
    "proposals.return_proposal": {"kecamatan": {"diajukan", "diterima"}},
    "proposals.reject_proposal": {"kecamatan": {"diajukan", "diterima"}},
    "proposals.reorder_proposals": {"desa": ANY, "kecamatan": ANY},
}  # fmt: skip
# Page permissions: year-dependent controls, and role-only gates (year open or not).
CONTROLS = {
    "proposals.act_in_open_year": {"desa": ANY, "kecamatan": ANY},
    "proposals.intake_proposal": {"kecamatan": ANY},
}
GATES = {
    "proposals.act_proposal": {"operator", "clerk", "camat"},
    "proposals.process_proposal": {"clerk", "camat"},
    "proposals.see_proposal": {"operator", "clerk", "camat", "bappeda", "superuser"},
}


def _attachment(proposal) -> Attachment:
    return Attachment.objects.create(
        proposal=proposal,
        kind="dokumen",
        original_name="usulan.pdf",
        content_type="application/pdf",
        size=4,
        uploaded_by=f.UserFactory(username="uploader"),
        file="usulan/uji.pdf",
    )


def _do(perm: str, actor, proposal: Proposal) -> None:
    """Call the one service behind ``perm`` as ``actor`` on ``proposal``."""
    s = services
    calls = {
        "proposals.edit_proposal": lambda: s.proposal_update(
            actor=actor, proposal=proposal, data={"title": "Judul diperbaiki"}
        ),
        "proposals.attach_file": lambda: s.attachment_add(
            actor=actor,
            proposal=proposal,
            upload=SimpleUploadedFile("rab.pdf", pdfs.plain()),
            kind="rab",
        ),
        "proposals.remove_attachment": lambda: s.attachment_delete(
            actor=actor, attachment=proposal.attachments.get()
        ),
        "proposals.submit_proposal": lambda: s.proposal_submit(actor=actor, proposal=proposal),
        "proposals.receive_proposal": lambda: s.proposal_receive(actor=actor, proposal=proposal),
        "proposals.verify_proposal": lambda: s.proposal_verify(actor=actor, proposal=proposal),
        "proposals.return_proposal": lambda: s.proposal_return(
            actor=actor, proposal=proposal, reason="Lengkapi RAB"
        ),
        "proposals.reject_proposal": lambda: s.proposal_reject(
            actor=actor, proposal=proposal, category="duplikat", reason="Sama"
        ),
        "proposals.reorder_proposals": lambda: s.proposal_reorder(
            actor=actor, village=proposal.village, year=proposal.year, ordered_ids=[proposal.pk]
        ),
    }
    calls[perm]()


def _snapshot(proposal: Proposal) -> tuple:
    fresh = Proposal.objects.get(pk=proposal.pk)
    return (
        fresh.status,
        fresh.title,
        fresh.updated_at,
        fresh.transitions.count(),
        fresh.attachments.count(),
    )


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_superuser=True)


@pytest.fixture
def grid(subdistrict, village, sector, year):
    """Return a builder of one proposal of ``village`` in a status, and a year switch."""

    def make(status: str, rank: int = 1) -> Proposal:
        proposal = f.ProposalFactory(
            village=village, status=status, sector=sector, village_rank=rank
        )
        return Proposal.objects.select_related("subdistrict", "village").get(pk=proposal.pk)

    def close_year() -> None:
        YearClosure.objects.create(subdistrict=subdistrict, year=2027, closed_at=timezone.now())

    return make, close_year


def _expected(table: dict, role: str, status: str, year_open: bool) -> bool:
    return year_open and status in table.get(SIDE.get(role), set())


@pytest.mark.parametrize("year_open", [True, False], ids=["open", "closed"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", list(WRITES))
def test_write_permission_and_service_agree(request, grid, perm, role, year_open):
    make, close_year = grid
    actor = request.getfixturevalue(role)
    if not year_open:
        close_year()
    wrong = []
    for status in STATUSES:
        proposal = make(status)
        if perm == "proposals.remove_attachment":
            _attachment(proposal)
        expected = _expected(WRITES[perm], role, status, year_open)
        if rules.has_perm(perm, actor, proposal) != expected:
            wrong.append(f"{status}: has_perm != {expected}")
        if actor.has_perm(perm, proposal) != expected:
            wrong.append(f"{status}: user.has_perm != {expected}")
        before = _snapshot(proposal)
        try:
            _do(perm, actor, proposal)
        except DomainError:
            if expected:
                wrong.append(f"{status}: the service refused")
            elif _snapshot(proposal) != before:
                wrong.append(f"{status}: refused but changed")
        else:
            if not expected:
                wrong.append(f"{status}: the service allowed")
        proposal.delete()
    assert not wrong, wrong


@pytest.mark.parametrize("year_open", [True, False], ids=["open", "closed"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", list(CONTROLS) + list(GATES))
def test_page_permission_grid(request, grid, perm, role, year_open):
    make, close_year = grid
    actor = request.getfixturevalue(role)
    if not year_open:
        close_year()
    for status in STATUSES:
        proposal = make(status)
        if perm in GATES:  # role only: the year does not matter
            expected = role in GATES[perm]
        else:
            expected = _expected(CONTROLS[perm], role, status, year_open)
        assert rules.has_perm(perm, actor, proposal) is expected, status
        assert actor.has_perm(perm, proposal) is expected, status
        proposal.delete()


# --- Refusal messages: the role first, then the phase -------------------------------------


def test_a_closed_year_refuses_with_the_lock_message_without_any_forum(grid, clerk):
    make, close_year = grid
    proposal = make(Status.SUBMITTED)
    close_year()
    with pytest.raises(DomainError, match="Forum sudah dikirim ke OPD"):
        services.proposal_receive(actor=clerk, proposal=proposal)


def test_a_stranger_learns_nothing_about_the_phase(grid, other_clerk):
    make, close_year = grid
    proposal = make(Status.SUBMITTED)
    close_year()
    with pytest.raises(DomainError, match="tidak berwenang"):
        services.proposal_receive(actor=other_clerk, proposal=proposal)


def test_a_wrong_status_names_the_move(grid, clerk):
    make, _ = grid
    proposal = make(Status.DRAFT)
    with pytest.raises(
        DomainError, match="berstatus Draf tidak dapat diubah menjadi Terverifikasi"
    ):
        services.proposal_verify(actor=clerk, proposal=proposal)


def test_desa_draft_after_the_deadline_is_refused_with_the_deadline(grid, operator, year):
    make, _ = grid
    year.submission_deadline = timezone.now() - dt.timedelta(days=1)
    year.save()
    draft, returned = make(Status.DRAFT), make(Status.RETURNED, rank=2)
    assert not operator.has_perm("proposals.submit_proposal", draft)
    with pytest.raises(DomainError, match="Batas waktu"):
        services.proposal_submit(actor=operator, proposal=draft)
    # A returned proposal goes back after the deadline; only new drafts wait for it.
    assert operator.has_perm("proposals.submit_proposal", returned)
    services.proposal_submit(actor=operator, proposal=returned)


def test_creating_is_the_add_proposal_rule(
    subdistrict, village, other_village, operator, clerk, year
):
    probe = Proposal(subdistrict=subdistrict, village=village, year=2027, status=Status.DRAFT)
    other = Proposal(subdistrict=subdistrict, village=other_village, year=2027)
    assert operator.has_perm("proposals.create_proposal", probe)
    assert not operator.has_perm("proposals.create_proposal", other)
    assert clerk.has_perm("proposals.create_proposal", other)
    YearClosure.objects.create(subdistrict=subdistrict, year=2027, closed_at=timezone.now())
    assert not clerk.has_perm("proposals.create_proposal", other)
