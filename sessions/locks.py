"""The lock of a sent forum, shared by every app's services and admin.

After "Kirim ke OPD" the forum and everything in it (proposals, scores, decisions, attendance,
delegates) is locked. Every write path calls ``ensure_unlocked`` first.
"""

from musrenbang.exceptions import Locked
from proposals.locks import ensure_proposal_unlocked  # noqa: F401 - moved to proposals
from sessions.models import Forum


def ensure_unlocked(forum: Forum) -> None:
    """Raise ``Locked`` when the forum was sent."""
    if forum.is_locked:
        raise Locked()


def forum_of_proposal(proposal) -> Forum | None:
    """Return the forum that took a proposal in, if any."""
    item = getattr(proposal, "forum_item", None) if proposal.pk else None
    return item.forum if item is not None else None


def sent_forum_of_year(*, subdistrict_id: int, year: int) -> Forum | None:
    """Return the kecamatan's forum of the year once it was sent (the year is closed then)."""
    return Forum.objects.filter(
        subdistrict_id=subdistrict_id, year=year, state=Forum.State.SENT
    ).first()
