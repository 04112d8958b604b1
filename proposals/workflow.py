"""The phases of a proposal: the one table of moves, who acts for which side, the deadline.

Read by the rule book (``proposals.rules``) and the services alike, so a page and the service
behind it ask the same question.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import PlanningYear, Subdistrict, User
from proposals.models import Proposal, Status

DESA = "desa"
KECAMATAN = "kecamatan"
# Sending the forum closes the year (``proposals_close_year``): not a person's side.
CLOSING = "penutupan"

# (from, to) -> the sides that may make the move. The one table of allowed moves.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.DRAFT, Status.SUBMITTED): frozenset({DESA, KECAMATAN}),
    (Status.RETURNED, Status.SUBMITTED): frozenset({DESA, KECAMATAN}),
    (Status.SUBMITTED, Status.RECEIVED): frozenset({KECAMATAN}),
    (Status.SUBMITTED, Status.RETURNED): frozenset({KECAMATAN}),
    (Status.SUBMITTED, Status.REJECTED): frozenset({KECAMATAN}),
    (Status.RECEIVED, Status.VERIFIED): frozenset({KECAMATAN}),
    (Status.RECEIVED, Status.RETURNED): frozenset({KECAMATAN}),
    (Status.RECEIVED, Status.REJECTED): frozenset({KECAMATAN}),
    (Status.SUBMITTED, Status.NOT_DISCUSSED): frozenset({CLOSING}),
    (Status.RECEIVED, Status.NOT_DISCUSSED): frozenset({CLOSING}),
    (Status.VERIFIED, Status.NOT_DISCUSSED): frozenset({CLOSING}),
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Statuses a kecamatan may still correct the figures of (before the verdict).
KECAMATAN_EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.RECEIVED})
REASON_REQUIRED = frozenset({Status.RETURNED, Status.REJECTED})


def allowed_targets(status: str, side: str | None) -> set[str]:
    """Return the statuses a side may move a proposal to from ``status``."""
    return {to for (frm, to), sides in TRANSITIONS.items() if frm == status and side in sides}


def sources(to: str, side: str) -> frozenset[str]:
    """Return the statuses from which ``side`` may move a proposal to ``to`` (the table)."""
    return frozenset(frm for (frm, t), sides in TRANSITIONS.items() if t == to and side in sides)


def sides_moving_to(to: str) -> frozenset[str]:
    """Return every side that may move some proposal to ``to``."""
    return frozenset().union(*(sides for (_, t), sides in TRANSITIONS.items() if t == to))


def side_of(actor: User, proposal: Proposal) -> str | None:
    """Return ``"desa"`` or ``"kecamatan"`` when the actor acts for that side of the proposal."""
    if not getattr(actor, "is_authenticated", False):
        return None
    if actor.is_operator and proposal.village_id and actor.village_id == proposal.village_id:
        return DESA
    if actor.is_kecamatan and actor.subdistrict_id == proposal.subdistrict_id:
        return KECAMATAN
    return None


def planning_year_of(*, subdistrict: Subdistrict, year: int) -> PlanningYear:
    found = PlanningYear.objects.filter(regency_id=subdistrict.regency_id, year=year).first()
    if found is None:
        raise DomainError(f"Tahun perencanaan {year} belum dibuat oleh Bappeda.")
    return found


def deadline_passed(*, subdistrict: Subdistrict, year: int, now: dt.datetime | None = None) -> bool:
    planning = planning_year_of(subdistrict=subdistrict, year=year)
    return (now or timezone.now()) > planning.submission_deadline


DEADLINE_MESSAGE = (
    "Batas waktu pengajuan usulan desa/kelurahan sudah lewat; "
    "hanya kecamatan yang dapat menambah usulan."
)


@dataclass(frozen=True)
class YearTarget:
    """A kecamatan and planning year: the object of the import permissions."""

    subdistrict: Subdistrict
    year: int

    @property
    def subdistrict_id(self) -> int:
        return self.subdistrict.pk
