"""Every change of a proposal's status.

Each move goes through ``_transition``: it locks the row, checks the move's one permission
(``proposals.rules``: the side that may make it, from which statuses of ``TRANSITIONS``,
while the year is open and, for the desa's drafts, before the deadline) and writes a
``Transition`` row. Views, bulk actions, the import and the demo all call these functions.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import Subdistrict, User, Village
from musrenbang.rulebook import authorize
from proposals.codes import next_register_number
from proposals.models import Proposal, RejectionCategory, Status, YearClosure
from proposals.rules import MOVES
from proposals.services._common import _audit, _locked, _probe
from proposals.services.editing import _apply_kamus  # noqa: F401 - sessions.services.day
from proposals.workflow import CLOSING, EDITABLE, REASON_REQUIRED, TRANSITIONS


def _transition(
    *,
    actor: User,
    proposal: Proposal,
    to: str,
    reason: str = "",
    public: bool = True,
    changes: dict | None = None,
) -> Proposal:
    """Move one proposal to ``to``: the single place that makes a person's move."""
    with transaction.atomic():
        proposal = _locked(proposal.pk)
        authorize(actor, MOVES[to], proposal)
        frm = proposal.status
        reason = (reason or "").strip()
        if to in REASON_REQUIRED and not reason:
            raise DomainError("Alasan wajib diisi.")
        changes = {**(changes or {}), "status": to}
        if to in REASON_REQUIRED or to == Status.VERIFIED:
            changes.setdefault("status_reason", reason if to in REASON_REQUIRED else "")
        if to == Status.RECEIVED and not changes.get("register_number"):
            changes["register_number"] = next_register_number(
                subdistrict=proposal.subdistrict, year=proposal.year
            )
        for name, value in changes.items():
            setattr(proposal, name, value)
        proposal.save(update_fields=[*changes, "updated_at"])
        _audit(proposal, frm=frm, to=to, actor=actor, reason=reason, public=public)
        return proposal


def proposal_submit(*, actor: User, proposal: Proposal) -> Proposal:
    return _transition(
        actor=actor,
        proposal=proposal,
        to=Status.SUBMITTED,
        changes={"submitted_at": timezone.now()},
    )


def proposals_submit_all(*, actor: User, village: Village, year: int) -> int:
    """Submit every draft and returned proposal of the desa for the year (all or nothing)."""
    probe = _probe(subdistrict=village.subdistrict, village=village, year=year)
    authorize(actor, "proposals.submit_village_proposals", probe)
    with transaction.atomic():
        pending = Proposal.objects.filter(village=village, year=year, status__in=EDITABLE)
        proposals = list(pending.order_by("village_rank", "id"))
        if not proposals:
            raise DomainError("Tidak ada usulan draf atau dikembalikan yang dapat diajukan.")
        for proposal in proposals:
            proposal_submit(actor=actor, proposal=proposal)
    return len(proposals)


def proposal_receive(
    *, actor: User, proposal: Proposal, register_number: str = "", disposition_note: str = ""
) -> Proposal:
    """Register a submitted proposal at the kecamatan (number, who, when, disposisi notes).

    Without a number typed in, the next ``REG/<year>/<kecamatan>/<n>`` is given.
    """
    return _transition(
        actor=actor,
        proposal=proposal,
        to=Status.RECEIVED,
        changes={
            "register_number": register_number.strip(),
            "received_at": timezone.now(),
            "received_by": actor,
            "disposition_note": disposition_note.strip(),
        },
    )


def proposal_verify(*, actor: User, proposal: Proposal, note: str = "") -> Proposal:
    """Mark a received proposal as verified: complete, within authority, not duplicated."""
    return _transition(
        actor=actor, proposal=proposal, to=Status.VERIFIED, reason=note, public=False
    )


def proposal_return(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Send a proposal back to the desa for revision; the reason is shown to the public."""
    return _transition(actor=actor, proposal=proposal, to=Status.RETURNED, reason=reason)


def proposal_reject(*, actor: User, proposal: Proposal, category: str, reason: str) -> Proposal:
    """Reject a proposal with a category and a reason (both shown on the tracking page)."""
    if category not in RejectionCategory.values:
        raise DomainError("Pilih kategori penolakan.")
    label = RejectionCategory(category).label
    text = f"{label}: {reason.strip()}" if reason.strip() else ""
    return _transition(
        actor=actor,
        proposal=proposal,
        to=Status.REJECTED,
        reason=text,
        changes={"rejection_category": category},
    )


BULK_ACTIONS = {
    "terima": "Terima",
    "verifikasi": "Verifikasi",
    "kembalikan": "Kembalikan",
    "tolak": "Tolak",
}


def _bulk_step(*, actor: User, proposal: Proposal, action: str, reason: str, category: str):
    if action == "terima":
        return proposal_receive(actor=actor, proposal=proposal)
    if action == "verifikasi":
        return proposal_verify(actor=actor, proposal=proposal)
    if action == "kembalikan":
        return proposal_return(actor=actor, proposal=proposal, reason=reason)
    return proposal_reject(actor=actor, proposal=proposal, category=category, reason=reason)


def proposals_bulk(
    *,
    actor: User,
    proposals: Iterable[Proposal],
    action: str,
    reason: str = "",
    category: str = "",
) -> int:
    """Apply one action to many proposals: all of them change, or none does.

    Each step checks its own permission on its proposal (``_transition``).
    """
    authorize(actor, "proposals.process_in_bulk")
    proposals = list(proposals)
    if not proposals:
        raise DomainError("Pilih minimal satu usulan.")
    if action not in BULK_ACTIONS:
        raise DomainError("Aksi massal tidak dikenal.")
    try:
        with transaction.atomic():
            for proposal in proposals:
                _bulk_step(
                    actor=actor, proposal=proposal, action=action, reason=reason, category=category
                )
    except DomainError as error:
        raise DomainError(f"{error} Tidak ada usulan yang diubah.")
    return len(proposals)


@transaction.atomic
def proposals_close_year(*, subdistrict: Subdistrict, year: int, actor: User) -> int:
    """Close the kecamatan's year when its forum is sent (the forum's "Kirim ke OPD").

    Records the closure (``YearClosure``: from then on no proposal of the kecamatan and year
    may change) and closes the proposals the forum never took in: submitted, received and
    verified proposals without a forum item become "not discussed" with a public reason and a
    ``Transition``; drafts stay drafts of the desa and returned proposals stay with it. Called
    inside the forum's transaction. Returns how many proposals were closed.
    """
    authorize(actor, "proposals.close_year", subdistrict)
    reason = (
        f"Tidak dibahas: forum Musrenbang Kecamatan {subdistrict.name} tahun {year} sudah "
        "dikirim ke OPD sebelum usulan ini dibahas. Usulan dapat dilanjutkan tahun berikutnya."
    )
    YearClosure.objects.get_or_create(
        subdistrict=subdistrict,
        year=year,
        defaults={
            "closed_at": timezone.now(),
            "closed_by": actor,
            "reason": f"Forum Musrenbang Kecamatan {subdistrict.name} tahun {year} dikirim ke OPD.",
        },
    )
    closable = {frm for (frm, to), sides in TRANSITIONS.items() if CLOSING in sides}
    pending = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(subdistrict=subdistrict, year=year, status__in=closable)
        .filter(forum_item__isnull=True)
        .order_by("pk")
    )
    for proposal in pending:
        frm = proposal.status
        proposal.status = Status.NOT_DISCUSSED
        proposal.status_reason = reason
        proposal.save(update_fields=["status", "status_reason", "updated_at"])
        _audit(proposal, frm=frm, to=Status.NOT_DISCUSSED, actor=actor, reason=reason)
    return len(pending)
