"""The lock of a sent forum, shared by every app's services and admin.

After "Kirim ke OPD" the forum and everything in it (proposals, scores, decisions, attendance,
delegates) is locked. Every write path calls ``ensure_unlocked`` first.
"""

from musrenbang.exceptions import Locked
from sessions.models import Forum


def ensure_unlocked(forum: Forum) -> None:
    """Raise ``Locked`` when the forum was sent."""
    if forum.is_locked:
        raise Locked()


def forum_of_proposal(proposal) -> Forum | None:
    """Return the forum that took a proposal in, if any."""
    item = getattr(proposal, "forum_item", None) if proposal.pk else None
    return item.forum if item is not None else None


def ensure_proposal_unlocked(proposal) -> None:
    """Raise ``Locked`` when a proposal belongs to a sent forum.

    Also refuses proposals of a kecamatan and year whose forum was sent, even if the proposal
    never entered the forum (the year's intake is closed then).
    """
    forum = forum_of_proposal(proposal)
    if forum is None and proposal.subdistrict_id:
        forum = sent_forum_of_year(subdistrict_id=proposal.subdistrict_id, year=proposal.year)
    if forum is not None:
        ensure_unlocked(forum)


def sent_forum_of_year(*, subdistrict_id: int, year: int) -> Forum | None:
    """Return the kecamatan's forum of the year once it was sent (the year is closed then)."""
    return Forum.objects.filter(
        subdistrict_id=subdistrict_id, year=year, state=Forum.State.SENT
    ).first()
