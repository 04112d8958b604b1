"""Permissions of proposals (deny by default), from the shared predicates.

Object-level checks only: whether the status allows an action is the services' business.
"""

import rules

from musrenbang.rules import (
    is_bappeda_of,
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


rules.add_perm(
    "proposals.view_proposal",
    is_superuser | is_bappeda_of_proposal | is_kecamatan_of | is_operator_of,
)
# Acting on a proposal (edit, submit, attachments): its desa operator or its kecamatan.
rules.add_perm("proposals.act_proposal", is_kecamatan_of | is_operator_of)
# Intake steps (receive, verify, return, reject), rekap, import: the kecamatan only.
rules.add_perm("proposals.process_proposal", is_kecamatan_of)
rules.add_perm("proposals.use_intake", is_kecamatan_user)
rules.add_perm("proposals.use_village_list", is_operator)


@rules.predicate
def year_is_open(user, target) -> bool:
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
rules.add_perm("proposals.import_sipd", is_kecamatan_of & year_is_open)
