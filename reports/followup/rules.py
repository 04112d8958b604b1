"""Who may see and change follow-ups (deny by default): role AND stage, as `rules` predicates.

- a petugas OPD updates the open follow-ups of their own agency, nothing else;
- the kecamatan (camat, staff) updates the open follow-ups it owns (reserves, not discussed);
- Bappeda of the kabupaten/kota and the kecamatan read; superusers read;
- nobody moves a closed follow-up (selesai, tidak didanai).

The writing actions are rules of the rule book (who, and the follow-up's stage as *when*);
their services start with ``authorize``.
"""

import rules

from musrenbang.models import Agency, Role
from musrenbang.rulebook import add_rule
from musrenbang.rules import is_bappeda, is_kecamatan_user, is_superuser
from reports.followup.models import FollowUp, Stage

CLOSED = frozenset({Stage.DONE, Stage.NOT_FUNDED})
NO_MILESTONES = frozenset({Stage.KECAMATAN, Stage.NOT_FUNDED})


@rules.predicate
def is_opd_staff(user) -> bool:
    return user.is_authenticated and user.role == Role.OPD and user.agency_id is not None


@rules.predicate
def is_opd_staff_of_followup_agency(user, follow_up: FollowUp) -> bool:
    return bool(
        is_opd_staff(user)
        and follow_up is not None
        and follow_up.agency_id is not None
        and user.agency_id == follow_up.agency_id
    )


@rules.predicate
def is_kecamatan_owner_of_followup(user, follow_up: FollowUp) -> bool:
    return bool(
        is_kecamatan_user(user)
        and follow_up is not None
        and follow_up.stage == Stage.KECAMATAN
        and user.subdistrict_id == follow_up.subdistrict_id
    )


@rules.predicate
def is_kecamatan_of_followup(user, follow_up: FollowUp) -> bool:
    return bool(
        is_kecamatan_user(user)
        and follow_up is not None
        and user.subdistrict_id == follow_up.subdistrict_id
    )


@rules.predicate
def is_bappeda_of_followup(user, follow_up: FollowUp) -> bool:
    return bool(
        is_bappeda(user)
        and follow_up is not None
        and user.regency_id == follow_up.subdistrict.regency_id
    )


@rules.predicate
def followup_is_open(user, follow_up: FollowUp) -> bool:
    return follow_up is not None and follow_up.stage not in CLOSED


@rules.predicate
def followup_takes_milestones(user, follow_up: FollowUp) -> bool:
    return follow_up is not None and follow_up.stage not in NO_MILESTONES


@rules.predicate
def is_opd_staff_of_agency(user, agency: Agency) -> bool:
    return bool(is_opd_staff(user) and agency is not None and user.agency_id == agency.pk)


@rules.predicate
def is_bappeda_of_agency(user, agency: Agency) -> bool:
    return bool(is_bappeda(user) and agency is not None and user.regency_id == agency.regency_id)


is_owner = is_opd_staff_of_followup_agency | is_kecamatan_owner_of_followup

NOT_YOURS = "Anda tidak berwenang mengubah tindak lanjut ini."

add_rule(
    "reports.update_followup",
    who=is_owner,
    when=followup_is_open,
    who_message=NOT_YOURS,
    when_message="Tindak lanjut ini sudah ditutup (selesai atau tidak didanai).",
)
add_rule(
    "reports.record_milestone",
    who=is_opd_staff_of_followup_agency,
    when=followup_takes_milestones,
    who_message=NOT_YOURS,
    when_message="Capaian hanya dicatat untuk usulan yang ditangani OPD dan masih didanai.",
)
rules.add_perm(
    "reports.view_followup",
    is_superuser
    | is_opd_staff_of_followup_agency
    | is_kecamatan_of_followup
    | is_bappeda_of_followup,
)
rules.add_perm(
    "reports.view_agency_followups", is_superuser | is_opd_staff_of_agency | is_bappeda_of_agency
)
add_rule(
    "reports.update_agency_followups",
    who=is_opd_staff_of_agency,
    who_message="Hanya petugas OPD ini yang dapat mengunggah lembar kerjanya.",
)
