"""Who may see and change a forum, and in which phase (deny by default).

- See: the kecamatan's camat and staff, Bappeda of the kabupaten/kota, the operators of the
  kecamatan's desa/kelurahan and the OPD readers of the kabupaten/kota (read only).
- Record (preparation, attendance, verification, additions, commission work): camat and staff.
- Lead (start the forum, elect delegates): the camat only.

Role predicates say *who*, phase predicates (``forum_is_preparing``, ``forum_is_running``,
``forum_is_open``, ``forum_is_sent``) say *when*; each writing action of the forum is one rule
of the rule book (``musrenbang.rulebook.add_rule``) and its service starts with
``authorize(actor, "forum.<action>", forum)``. A refusal by phase names the phase the action
needs (``phase_refusal``), or raises ``Locked`` once the forum was sent.

``forum.record_forum`` and ``forum.lead_forum`` stay role-only: pages use them to decide who
reaches a form at all, and the service then says why the phase refuses.
"""

import rules

from musrenbang.exceptions import DomainError, Locked
from musrenbang.models import Role
from musrenbang.rulebook import add_rule
from musrenbang.rules import (
    is_bappeda,
    is_camat,
    is_camat_of,
    is_kecamatan_of,
    is_kecamatan_user,
    is_opd,
    is_operator,
    is_superuser,
)


def forum_of(obj):
    """Return the forum of ``obj``: a Forum, or anything with ``.forum`` or ``.item.forum``."""
    from sessions.models import Forum

    if obj is None or isinstance(obj, Forum):
        return obj
    forum = getattr(obj, "forum", None)
    if forum is None and getattr(obj, "item", None) is not None:
        forum = obj.item.forum
    return forum


def _state(obj) -> str | None:
    forum = forum_of(obj)
    return forum.state if forum is not None else None


def _regency_id(forum) -> int | None:
    subdistrict = getattr(forum, "subdistrict", None)
    return subdistrict.regency_id if subdistrict is not None else None


# --- phases ---------------------------------------------------------------------------


@rules.predicate
def forum_is_preparing(user, obj) -> bool:
    """The forum is being prepared (not started yet)."""
    return _state(obj) == "persiapan"


@rules.predicate
def forum_is_running(user, obj) -> bool:
    """The forum day: started, not sent."""
    return _state(obj) == "berlangsung"


@rules.predicate
def forum_is_sent(user, obj) -> bool:
    """The result went to the OPDs: the forum is locked for good."""
    return _state(obj) == "terkirim"


@rules.predicate
def forum_is_open(user, obj) -> bool:
    """The forum exists and was not sent yet (preparation or running)."""
    return _state(obj) in ("persiapan", "berlangsung")


PHASE_NAMES = {"persiapan": "persiapan", "berlangsung": "berlangsung", "terkirim": "terkirim"}


def phase_refusal(action: str, *states: str):
    """Return the ``when_message`` of an action allowed only in ``states``.

    A sent forum refuses with ``Locked`` (unless the action belongs to the sent phase);
    otherwise the message names the phase needed and the phase now, e.g. "Mengubah agenda
    hanya dapat dilakukan saat forum persiapan; forum sekarang berlangsung."
    """

    def refuse(obj) -> DomainError:
        forum = forum_of(obj)
        if forum is not None and forum.state == "terkirim" and "terkirim" not in states:
            return Locked()
        allowed = " atau ".join(PHASE_NAMES[s] for s in states)
        now = forum.get_state_display().lower() if forum is not None else "-"
        return DomainError(
            f"{action} hanya dapat dilakukan saat forum {allowed}; forum sekarang {now}."
        )

    return refuse


def locked_refusal(obj) -> DomainError:
    """The ``when_message`` of actions allowed until sending: the lock's own message."""
    return Locked()


# --- roles ----------------------------------------------------------------------------


@rules.predicate
def is_kecamatan_of_forum(user, obj) -> bool:
    """The camat or a staff member of the forum's kecamatan."""
    forum = forum_of(obj)
    return bool(is_kecamatan_user(user) and forum and user.subdistrict_id == forum.subdistrict_id)


@rules.predicate
def is_camat_of_forum(user, obj) -> bool:
    """The camat of the forum's kecamatan."""
    forum = forum_of(obj)
    return bool(is_camat(user) and forum and user.subdistrict_id == forum.subdistrict_id)


@rules.predicate
def is_bappeda_of_forum(user, forum) -> bool:
    forum = forum_of(forum)
    return (
        user.is_authenticated
        and user.role == Role.BAPPEDA
        and forum is not None
        and user.regency_id == _regency_id(forum)
    )


@rules.predicate
def is_operator_in_forum(user, forum) -> bool:
    forum = forum_of(forum)
    return (
        user.is_authenticated
        and user.role == Role.OPERATOR
        and forum is not None
        and user.subdistrict_id == forum.subdistrict_id
    )


@rules.predicate
def is_opd_of_forum(user, forum) -> bool:
    forum = forum_of(forum)
    return (
        user.is_authenticated
        and user.role == Role.OPD
        and forum is not None
        and user.regency_id == _regency_id(forum)
    )


can_view = (
    is_superuser | is_kecamatan_of | is_bappeda_of_forum | is_operator_in_forum | is_opd_of_forum
)
rules.add_perm("forum.view_forum", can_view)
# Role-only gates of the pages (see the module docstring); rules of the rule book, so that a
# superuser is not offered controls the services refuse.
add_rule(
    "forum.record_forum",
    who=is_kecamatan_of,
    who_message="Hanya camat dan staf kecamatan ini yang dapat mencatat forum ini.",
)
add_rule(
    "forum.lead_forum",
    who=is_camat_of,
    who_message="Hanya camat kecamatan ini yang dapat memimpin forum ini.",
)

# --- the actions of the forum (one rule each) -------------------------------------------

RECORDERS = "Hanya camat dan staf kecamatan ini yang dapat mengubah data forum."
LEADER = "Hanya camat kecamatan ini yang dapat melakukan tindakan ini."
PREP, RUNNING = "persiapan", "berlangsung"

# The list of forums: Bappeda, the desa operators and the OPD readers (the kecamatan users go
# to their own forum, or create it: ``forum.create_forum``).
add_rule(
    "forum.list_forums",
    who=is_superuser | is_bappeda | is_operator | is_opd,
    who_message="Anda tidak berwenang membuka halaman ini.",
)
add_rule(
    "forum.create_forum",
    who=is_kecamatan_of,  # on the kecamatan: the forum does not exist yet
    who_message="Hanya camat dan staf kecamatan ini yang dapat membuat forum.",
)
add_rule(
    "forum.prepare_forum",  # data, guideline, SK Tim, commissions and their lists
    who=is_kecamatan_of_forum,
    when=forum_is_open,
    who_message=RECORDERS,
    when_message=locked_refusal,
)
add_rule(
    "forum.edit_agenda",
    who=is_kecamatan_of_forum,
    when=forum_is_preparing,
    who_message=RECORDERS,
    when_message=phase_refusal("Mengubah agenda", PREP),
)
add_rule(
    "forum.load_data",
    who=is_kecamatan_of_forum,
    when=forum_is_open,
    who_message=RECORDERS,
    when_message=phase_refusal("Memuat data usulan", PREP, RUNNING),
)
add_rule(
    "forum.edit_participants",
    who=is_kecamatan_of_forum,
    when=forum_is_open,
    who_message=RECORDERS,
    when_message=phase_refusal("Mengubah daftar peserta", PREP, RUNNING),
)
add_rule(
    "forum.start_forum",
    who=is_camat_of_forum,
    when=forum_is_preparing,
    who_message=LEADER,
    when_message=phase_refusal("Memulai forum", PREP),
)
add_rule(
    "forum.run_agenda",
    who=is_kecamatan_of_forum,
    when=forum_is_running,
    who_message=RECORDERS,
    when_message=phase_refusal("Menjalankan agenda", RUNNING),
)
add_rule(
    "forum.mark_attendance",
    who=is_kecamatan_of_forum,
    when=forum_is_running,
    who_message=RECORDERS,
    when_message=phase_refusal("Mencatat kehadiran", RUNNING),
)
add_rule(
    "forum.verify_item",
    who=is_kecamatan_of_forum,
    when=forum_is_running,
    who_message=RECORDERS,
    when_message=phase_refusal("Verifikasi usulan oleh delegasi", RUNNING),
)
add_rule(
    "forum.add_kecamatan_proposal",
    who=is_kecamatan_of_forum,
    when=forum_is_running,
    who_message=RECORDERS,
    when_message=phase_refusal("Menambah usulan kecamatan", RUNNING),
)
add_rule(
    "forum.elect_delegates",
    who=is_camat_of_forum,
    when=forum_is_running,
    who_message=LEADER,
    when_message=phase_refusal("Pemilihan delegasi", RUNNING),
)
