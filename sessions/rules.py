"""Who may see and change a forum (deny by default).

- See: the kecamatan's camat and staff, Bappeda of the kabupaten/kota, the operators of the
  kecamatan's desa/kelurahan and the OPD readers of the kabupaten/kota (read only).
- Record (preparation, attendance, verification, additions, commission work): camat and staff.
- Lead (start the forum, elect delegates): the camat only.
"""

import rules

from musrenbang.models import Role
from musrenbang.rules import is_camat_of, is_kecamatan_of, is_superuser


def _regency_id(forum) -> int | None:
    subdistrict = getattr(forum, "subdistrict", None)
    return subdistrict.regency_id if subdistrict is not None else None


@rules.predicate
def is_bappeda_of_forum(user, forum) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.BAPPEDA
        and forum is not None
        and user.regency_id == _regency_id(forum)
    )


@rules.predicate
def is_operator_in_forum(user, forum) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.OPERATOR
        and forum is not None
        and user.subdistrict_id == forum.subdistrict_id
    )


@rules.predicate
def is_opd_of_forum(user, forum) -> bool:
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
rules.add_perm("forum.record_forum", is_kecamatan_of)
rules.add_perm("forum.lead_forum", is_camat_of)
