"""The rule book of proposals: each action is one permission, who (role) and when (phase).

Role predicates come from ``musrenbang.rules``; the phase predicates are the proposal's
status (``proposal_status_in``), the year's closure (``year_is_open``: the forum of the
kecamatan and year was not sent) and the desa's submission deadline. Where an action is an
OR of two (who, when) pairs — the desa operator in some statuses, the kecamatan in others —
``who`` is "either side" and ``when`` says which statuses each side may act in, so
``who & when`` is exactly that OR. Every writing service of proposals starts with
``authorize(actor, "proposals.<action>", obj)`` on one of these; pages ask the same names.

The object of a rule is a proposal, an unsaved proposal standing for one to be created (its
kecamatan, desa and year), or a ``YearTarget`` (a kecamatan and year) for imports.
``actor=None`` is a management command run by the server's administrator.
"""

import rules
from django.utils import timezone

from musrenbang.exceptions import DomainError, Locked
from musrenbang.models import PlanningYear
from musrenbang.rulebook import add_rule
from musrenbang.rules import (
    is_bappeda_of,
    is_camat_of,
    is_kecamatan_of,
    is_kecamatan_user,
    is_operator,
    is_operator_of,
    is_superuser,
    subdistrict_id_of,
)
from proposals.locks import is_year_open
from proposals.models import Status
from proposals.workflow import (
    DEADLINE_MESSAGE,
    DESA,
    EDITABLE,
    KECAMATAN,
    KECAMATAN_EDITABLE,
    sides_moving_to,
    sources,
)

# --- Role predicates ----------------------------------------------------------------------


@rules.predicate
def is_bappeda_of_proposal(user, proposal) -> bool:
    """Bappeda of the proposal's kabupaten/kota (a proposal has no ``regency_id`` of its own)."""
    return proposal is not None and is_bappeda_of(user, proposal.subdistrict)


@rules.predicate
def is_command(user) -> bool:
    """No actor: a management command, run by whoever administers the server."""
    return user is None


acts_for_proposal = is_operator_of | is_kecamatan_of
SIDE = {DESA: is_operator_of, KECAMATAN: is_kecamatan_of}

# --- Phase predicates ---------------------------------------------------------------------


def proposal_status_in(*statuses: str) -> rules.Predicate:
    """Return a predicate: the proposal's status is one of ``statuses``."""
    allowed = frozenset(statuses)

    def status_in(user, proposal) -> bool:
        return proposal is not None and getattr(proposal, "status", None) in allowed

    return rules.Predicate(status_in, name=f"proposal_status_in({','.join(sorted(allowed))})")


@rules.predicate
def year_is_open(user, obj) -> bool:
    """The kecamatan's year of ``obj`` is not closed (its forum was not sent to the OPDs)."""
    return obj is not None and is_year_open(
        subdistrict_id=subdistrict_id_of(obj), year=getattr(obj, "year", None)
    )


def _planning_year(obj) -> PlanningYear | None:
    return PlanningYear.objects.filter(regency_id=obj.subdistrict.regency_id, year=obj.year).first()


@rules.predicate
def planning_year_opened(user, target) -> bool:
    """Bappeda opened the planning year of the target (its kecamatan's kabupaten + year)."""
    return target is not None and _planning_year(target) is not None


@rules.predicate
def before_deadline(user, obj) -> bool:
    """The desa's submission deadline of the year has not passed (False without a year)."""
    planning = _planning_year(obj) if obj is not None else None
    return planning is not None and timezone.now() <= planning.submission_deadline


# A draft of the desa is submitted (or changed) only before the deadline.
draft_within_deadline = ~proposal_status_in(Status.DRAFT) | before_deadline
# The figures and attachments: the desa while it holds the proposal, the kecamatan until
# its verdict.
editable_by_side = (is_operator_of & proposal_status_in(*EDITABLE)) | (
    is_kecamatan_of & proposal_status_in(*KECAMATAN_EDITABLE)
)

# --- Refusal messages ---------------------------------------------------------------------

NOT_ALLOWED = "Anda tidak berwenang mengubah usulan ini."
KECAMATAN_ONLY = "Anda tidak berwenang: langkah ini hanya dapat dilakukan oleh kecamatan."


def _year_refusal(obj) -> DomainError | None:
    return None if year_is_open(None, obj) else Locked()


def _deadline_refusal(obj) -> DomainError:
    if _planning_year(obj) is None:
        return DomainError(f"Tahun perencanaan {obj.year} belum dibuat oleh Bappeda.")
    return DomainError(DEADLINE_MESSAGE)


def _refuse_edit(proposal) -> DomainError:
    if refusal := _year_refusal(proposal):
        return refusal
    if proposal.status in EDITABLE:  # the desa's draft after the deadline
        return _deadline_refusal(proposal)
    return DomainError(f"Usulan berstatus {proposal.get_status_display()} tidak dapat diubah lagi.")


def _refuse_move(to: str):
    def refuse(proposal) -> DomainError:
        if refusal := _year_refusal(proposal):
            return refusal
        if proposal.status in frozenset().union(*(sources(to, s) for s in sides_moving_to(to))):
            return _deadline_refusal(proposal)
        return DomainError(
            f"Usulan {proposal.reference} berstatus {proposal.get_status_display()} "
            f"tidak dapat diubah menjadi {Status(to).label}."
        )

    return refuse


def _refuse_attachment(message: str):
    return lambda proposal: _year_refusal(proposal) or DomainError(message)


def _refuse_import(target) -> DomainError:
    if _planning_year(target) is None:
        return DomainError(f"Tahun perencanaan {target.year} belum dibuat oleh Bappeda.")
    return Locked()


# --- Pages (role, and the year where a control would change something) --------------------

add_rule(
    "proposals.see_proposal",
    who=is_superuser | is_bappeda_of_proposal | is_kecamatan_of | is_operator_of,
    who_message="Anda tidak berwenang melihat usulan ini.",
)
# Acting on a proposal (edit, submit, attachments): its desa operator or its kecamatan.
add_rule("proposals.act_proposal", who=acts_for_proposal, who_message=NOT_ALLOWED)
# Intake steps (receive, verify, return, reject), rekap, import: the kecamatan only.
add_rule("proposals.process_proposal", who=is_kecamatan_of, who_message=KECAMATAN_ONLY)
# The same, while the year is open: what pages offer as controls.
add_rule(
    "proposals.act_in_open_year",
    who=acts_for_proposal,
    when=year_is_open,
    who_message=NOT_ALLOWED,
    when_message=lambda obj: Locked(),
)
add_rule(
    "proposals.intake_proposal",
    who=is_kecamatan_of,
    when=year_is_open,
    who_message=KECAMATAN_ONLY,
    when_message=lambda obj: Locked(),
)
add_rule(
    "proposals.use_intake",
    who=is_kecamatan_user,
    who_message="Hanya camat dan staf kecamatan yang dapat mengolah usulan masuk.",
)
add_rule(
    "proposals.use_village_list",
    who=is_operator,
    who_message="Hanya operator desa/kelurahan yang mempunyai daftar usulan desa.",
)

# --- Writing actions (one per service) ----------------------------------------------------

add_rule(
    "proposals.create_proposal",
    who=acts_for_proposal,
    when=year_is_open & (is_kecamatan_of | before_deadline),
    who_message=(
        "Anda tidak berwenang menambah usulan ini; operator desa hanya dapat menambah "
        "usulan desanya sendiri."
    ),
    when_message=lambda obj: _year_refusal(obj) or _deadline_refusal(obj),
)
add_rule(
    "proposals.edit_proposal",
    who=acts_for_proposal,
    when=year_is_open & editable_by_side & (is_kecamatan_of | draft_within_deadline),
    who_message=NOT_ALLOWED,
    when_message=_refuse_edit,
)
add_rule(
    "proposals.reorder_proposals",
    who=acts_for_proposal,
    when=year_is_open,
    who_message=NOT_ALLOWED,
    when_message=lambda obj: Locked(),
)
MOVES = {
    Status.SUBMITTED: "proposals.submit_proposal",
    Status.RECEIVED: "proposals.receive_proposal",
    Status.VERIFIED: "proposals.verify_proposal",
    Status.RETURNED: "proposals.return_proposal",
    Status.REJECTED: "proposals.reject_proposal",
}
for _to, _name in MOVES.items():
    _sides = sorted(sides_moving_to(_to) & set(SIDE))
    _who = SIDE[_sides[0]]
    _when = SIDE[_sides[0]] & proposal_status_in(*sources(_to, _sides[0]))
    for _side in _sides[1:]:
        _who |= SIDE[_side]
        _when |= SIDE[_side] & proposal_status_in(*sources(_to, _side))
    add_rule(
        _name,
        who=_who,
        when=year_is_open & _when & (is_kecamatan_of | draft_within_deadline),
        who_message=NOT_ALLOWED if DESA in _sides else KECAMATAN_ONLY,
        when_message=_refuse_move(_to),
    )
add_rule(
    "proposals.submit_village_proposals",
    who=acts_for_proposal,
    when=year_is_open,
    who_message=NOT_ALLOWED,
    when_message=lambda obj: Locked(),
)
add_rule(
    "proposals.process_in_bulk",
    who=is_kecamatan_user,
    who_message=KECAMATAN_ONLY,
)
add_rule(
    "proposals.attach_file",
    who=acts_for_proposal,
    when=year_is_open & editable_by_side,
    who_message=NOT_ALLOWED,
    when_message=_refuse_attachment(
        "Lampiran hanya dapat ditambah selama usulan masih dapat diubah."
    ),
)
add_rule(
    "proposals.remove_attachment",
    who=acts_for_proposal,
    when=year_is_open & editable_by_side,
    who_message=NOT_ALLOWED,
    when_message=_refuse_attachment("Lampiran usulan ini tidak dapat dihapus lagi."),
)
# Closing the year's undiscussed proposals: part of "Kirim ke OPD", the camat's step.
add_rule(
    "proposals.close_year",
    who=is_superuser | is_camat_of,
    who_message="Hanya camat kecamatan ini yang dapat menutup usulan tahun ini.",
)
# Import the desa recap workbook: the kecamatan (or a command) into an open year.
add_rule(
    "proposals.import_proposals",
    who=is_command | is_superuser | is_kecamatan_of,
    when=planning_year_opened & year_is_open,
    who_message="Hanya staf kecamatan ini yang dapat mengimpor usulan.",
    when_message=_refuse_import,
)
# Import SIPD's usulan export: staff of that kecamatan, while its planning year is open.
# Rows of a sent forum are left unchanged row by row ("sudah dikunci"), not refused here.
add_rule(
    "proposals.import_sipd",
    who=is_command | is_kecamatan_of,
    when=planning_year_opened,
    who_message="Hanya staf kecamatan ini yang dapat mengimpor usulan SIPD.",
    when_message=lambda target: DomainError(
        f"Tahun perencanaan {target.year} belum dibuka oleh Bappeda."
    ),
)
