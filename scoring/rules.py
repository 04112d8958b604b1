"""Who may do what in scoring (deny by default).

- view: the kecamatan's camat and staff, Bappeda of the kabupaten, superusers;
- manage (criteria, scorers, Hitung, decisions, OPD, Kirim ke OPD): the camat of the kecamatan;
- score: whoever has a sheet (``scoring.services.can_score``) among the kecamatan's users;
- OPD readers read only what was sent to their agency (``selectors.agency_priorities``), and
  open each of those proposals (``scoring.view_sent_proposal`` on its ``Result``).
"""

import rules

from musrenbang.rules import is_bappeda, is_camat, is_kecamatan_user, is_opd, is_superuser


def _forum(obj):
    from sessions.models import Forum

    if isinstance(obj, Forum):
        return obj
    forum = getattr(obj, "forum", None)
    if forum is None and getattr(obj, "item", None) is not None:
        forum = obj.item.forum
    return forum


@rules.predicate
def is_kecamatan_of_forum(user, obj) -> bool:
    forum = _forum(obj)
    return bool(is_kecamatan_user(user) and forum and user.subdistrict_id == forum.subdistrict_id)


@rules.predicate
def is_camat_of_forum(user, obj) -> bool:
    forum = _forum(obj)
    return bool(is_camat(user) and forum and user.subdistrict_id == forum.subdistrict_id)


@rules.predicate
def is_bappeda_of_forum(user, obj) -> bool:
    forum = _forum(obj)
    return bool(is_bappeda(user) and forum and user.regency_id == forum.subdistrict.regency_id)


rules.add_perm("scoring.view_forum", is_superuser | is_bappeda_of_forum | is_kecamatan_of_forum)
rules.add_perm("scoring.manage_forum", is_camat_of_forum)
rules.add_perm("scoring.score_forum", is_kecamatan_of_forum)


@rules.predicate
def is_sent_priority(user, result) -> bool:
    """The result is a priority of a forum that was sent to the OPDs."""
    from scoring.models import Result

    return bool(
        result is not None
        and result.decision == Result.Decision.PRIORITY
        and result.item.forum.is_locked
    )


@rules.predicate
def is_opd_of_result(user, result) -> bool:
    """The user reads for the OPD made responsible for the result."""
    return bool(
        is_opd(user) and result is not None and result.responsible_agency_id == user.agency_id
    )


# A priority sent to an OPD: its readers (and Bappeda of the kabupaten) open the proposal.
rules.add_perm(
    "scoring.view_sent_proposal",
    is_superuser | (is_sent_priority & (is_opd_of_result | is_bappeda_of_forum)),
)
