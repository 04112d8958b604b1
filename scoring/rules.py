"""Who may do what in scoring, and in which phase of the forum (deny by default).

- view: the kecamatan's camat and staff, Bappeda of the kabupaten, superusers;
- manage (criteria, scorers, Hitung, decisions, OPD, Kirim ke OPD): the camat of the kecamatan;
- score: whoever has a sheet (``scoring.services.can_score``) among the kecamatan's users;
- OPD readers read only what was sent to their agency (``selectors.agency_priorities``), and
  open each of those proposals (``scoring.view_sent_proposal`` on its ``Result``).

``scoring.manage_forum`` and ``scoring.score_forum`` stay role-only gates of the pages; each
writing action is one rule of the rule book below (role and phase), checked first by its
service with ``authorize``.
"""

import rules

from musrenbang.exceptions import DomainError, Locked
from musrenbang.rulebook import add_rule
from musrenbang.rules import is_bappeda, is_opd, is_superuser
from sessions.rules import (
    forum_is_open,
    forum_is_running,
    forum_is_sent,
    is_camat_of_forum,
    is_kecamatan_of_forum,
    locked_refusal,
)
from sessions.rules import forum_of as _forum


@rules.predicate
def is_bappeda_of_forum(user, obj) -> bool:
    forum = _forum(obj)
    return bool(is_bappeda(user) and forum and user.regency_id == forum.subdistrict.regency_id)


rules.add_perm("scoring.view_forum", is_superuser | is_bappeda_of_forum | is_kecamatan_of_forum)
# Role-only gates of the pages: rules of the rule book (a superuser is not offered controls).
add_rule(
    "scoring.manage_forum",
    who=is_camat_of_forum,
    who_message="Hanya camat kecamatan ini yang dapat mengelola skoring forum ini.",
)
add_rule(
    "scoring.score_forum",
    who=is_kecamatan_of_forum,
    who_message="Hanya camat dan staf kecamatan ini yang dapat menilai usulan forum ini.",
)


@rules.predicate
def has_score_sheet(user, obj) -> bool:
    """The user has a scoring sheet in the forum (``scoring.services.can_score``)."""
    from scoring.services.scores import can_score

    forum = _forum(obj)
    return bool(is_kecamatan_of_forum(user, forum) and can_score(forum=forum, user=user))


def _only_while_running(message: str):
    """A phase refusal: ``Locked`` once sent, else ``message``."""

    def refuse(obj) -> DomainError:
        return Locked() if forum_is_sent(None, obj) else DomainError(message)

    return refuse


CAMAT_ONLY = "Hanya camat kecamatan ini yang dapat mengatur skoring forum ini."

add_rule(
    "scoring.edit_criteria",  # frozen at the first score as well (a rule of the data)
    who=is_camat_of_forum,
    when=forum_is_open,
    who_message=CAMAT_ONLY,
    when_message=locked_refusal,
)
add_rule(
    "scoring.manage_scorers",
    who=is_camat_of_forum,
    when=forum_is_open,
    who_message=CAMAT_ONLY,
    when_message=locked_refusal,
)
add_rule(
    "scoring.set_development_priority",
    who=is_camat_of_forum,
    when=forum_is_open,
    who_message=CAMAT_ONLY,
    when_message=locked_refusal,
)
add_rule(
    "scoring.score",
    who=has_score_sheet,
    when=forum_is_running,
    who_message="Anda tidak terdaftar sebagai penilai forum ini.",
    when_message=_only_while_running("Penilaian hanya dapat dilakukan saat forum berlangsung."),
)
add_rule(
    "scoring.compute",
    who=is_camat_of_forum,
    when=forum_is_running,
    who_message="Hanya camat kecamatan ini yang dapat menjalankan Hitung.",
    when_message=_only_while_running("Hitung hanya saat forum berlangsung."),
)
add_rule(
    "scoring.decide",  # priority/reserve, undo, OPD, override of the order, the ceiling fill
    who=is_camat_of_forum,
    when=forum_is_running,
    who_message="Hanya camat kecamatan ini yang dapat memutuskan prioritas.",
    when_message=_only_while_running("Keputusan hanya saat forum berlangsung."),
)
add_rule(
    "scoring.send_forum",
    who=is_camat_of_forum,
    when=forum_is_running,
    who_message="Hanya camat kecamatan ini yang dapat mengirim hasil forum ke OPD.",
    when_message=_only_while_running("Forum belum berlangsung."),
)


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

# The priorities sent to the OPD: its readers (their agency), Bappeda (every OPD).
add_rule(
    "scoring.read_agency_priorities",
    who=is_superuser | is_opd | is_bappeda,
    who_message="Halaman ini untuk pembaca OPD dan Bappeda.",
)
