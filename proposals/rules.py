"""Permissions of proposals (deny by default), from the shared predicates.

Object-level checks only: whether the status allows an action is the services' business.
"""

import rules

from musrenbang.rules import (
    is_bappeda_of,
    is_camat_of,
    is_kecamatan_of,
    is_kecamatan_user,
    is_operator,
    is_operator_of,
    is_superuser,
)


@rules.predicate
def is_bappeda_of_proposal(user, proposal) -> bool:
    """Bappeda of the proposal's kabupaten/kota (a proposal has no ``regency_id`` of its own)."""
    return proposal is not None and is_bappeda_of(user, proposal.subdistrict)


@rules.predicate
def proposal_year_is_open(user, proposal) -> bool:
    """The forum of the proposal's kecamatan and year was not sent yet (the year is open)."""
    from proposals.selectors import year_is_open

    return proposal is not None and year_is_open(
        subdistrict_id=proposal.subdistrict_id, year=proposal.year
    )


rules.add_perm(
    "proposals.view_proposal",
    is_superuser | is_bappeda_of_proposal | is_kecamatan_of | is_operator_of,
)
# Acting on a proposal (edit, submit, attachments): its desa operator or its kecamatan.
rules.add_perm("proposals.act_proposal", is_kecamatan_of | is_operator_of)
# Intake steps (receive, verify, return, reject), rekap, import: the kecamatan only.
rules.add_perm("proposals.process_proposal", is_kecamatan_of)
# The same, while the year is open: what pages offer as controls (the services refuse the rest).
rules.add_perm(
    "proposals.change_proposal", (is_kecamatan_of | is_operator_of) & proposal_year_is_open
)
rules.add_perm("proposals.intake_proposal", is_kecamatan_of & proposal_year_is_open)
rules.add_perm("proposals.use_intake", is_kecamatan_user)
rules.add_perm("proposals.use_village_list", is_operator)
# Closing the year's undiscussed proposals: part of "Kirim ke OPD", the camat's step.
rules.add_perm("proposals.close_year", is_superuser | is_camat_of)


@rules.predicate
def planning_year_opened(user, target) -> bool:
    """Bappeda opened the planning year of the target (a ``SipdTarget``: kecamatan + year)."""
    from musrenbang.models import PlanningYear

    return (
        target is not None
        and PlanningYear.objects.filter(
            regency_id=target.subdistrict.regency_id, year=target.year
        ).exists()
    )


# Import SIPD's usulan export: staff of that kecamatan, while its planning year is open.
# Rows of a sent forum are left unchanged row by row ("sudah dikunci"), not refused here.
rules.add_perm("proposals.import_sipd", is_kecamatan_of & planning_year_opened)
