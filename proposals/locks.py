"""The lock of a closed year: once the forum of a kecamatan and year was sent, none of the
year's proposals may change.

Proposals learn of the closure only from their own ``YearClosure`` row (written by
``proposals_close_year`` when the forum is sent); this module never reads the forum.
"""

from musrenbang.exceptions import Locked
from proposals.models import YearClosure


def closure_of(*, subdistrict_id: int | None, year: int | None) -> YearClosure | None:
    """Return the closure of the kecamatan's year, or None while the year is open."""
    if not subdistrict_id or not year:
        return None
    return YearClosure.objects.filter(subdistrict_id=subdistrict_id, year=year).first()


def is_year_open(*, subdistrict_id: int | None, year: int | None) -> bool:
    if not subdistrict_id or not year:
        return True
    return not YearClosure.objects.filter(subdistrict_id=subdistrict_id, year=year).exists()


def ensure_proposal_unlocked(proposal) -> None:
    """Raise ``Locked`` when the proposal's kecamatan and year were closed (forum sent).

    A proposal the forum took in has the forum's kecamatan and year, so this also covers
    proposals inside a sent forum.
    """
    if not is_year_open(subdistrict_id=proposal.subdistrict_id, year=proposal.year):
        raise Locked()
