"""Who may see and do what with the forum's documents (deny by default).

- camat and staff of the kecamatan: every document of their forum, uploads, the register;
- only the camat finalises the Berita Acara;
- Bappeda of the kabupaten/kota: every document of its kecamatan and the overview;
- an OPD reader: only the DSP of their own agency, once the forum was sent.
"""

import rules

from musrenbang.rules import is_bappeda, is_bappeda_of, is_camat_of, is_kecamatan_of, is_superuser


@rules.predicate
def is_bappeda_of_forum(user, forum) -> bool:
    return (
        is_bappeda(user) and forum is not None and user.regency_id == forum.subdistrict.regency_id
    )


rules.add_perm("reports.view_forum_documents", is_superuser | is_bappeda_of_forum | is_kecamatan_of)
rules.add_perm("reports.manage_forum_documents", is_kecamatan_of)
rules.add_perm("reports.finalize_minutes", is_camat_of)
rules.add_perm("reports.view_overview", is_superuser | is_bappeda_of)


def can_read_agency_dsp(user, forum, agency) -> bool:
    """Return True when ``user`` may read the DSP of ``agency`` from ``forum``."""
    if user.has_perm("reports.view_forum_documents", forum):
        return True
    return (
        user.is_authenticated
        and user.role == "opd"
        and agency is not None
        and user.agency_id == agency.pk
        and agency.regency_id == forum.subdistrict.regency_id
        and forum.is_locked
    )


@rules.predicate
def forum_is_sent(user, forum) -> bool:
    """The forum's result went to the OPDs: its rekomendasi kecamatan no longer changes."""
    return forum is not None and forum.is_locked


# "Input SIPD": the worklist is readable before sending (it says what is still missing);
# ticking, the workbook and the reconcile need the final result.
rules.add_perm("reports.view_sipd_worklist", is_superuser | is_bappeda_of_forum | is_kecamatan_of)
rules.add_perm("reports.mark_sipd_input", is_kecamatan_of & forum_is_sent)
rules.add_perm(
    "reports.export_sipd",
    (is_superuser | is_bappeda_of_forum | is_kecamatan_of) & forum_is_sent,
)
rules.add_perm("reports.reconcile_sipd", is_kecamatan_of & forum_is_sent)
# Follow-up permissions (tindak lanjut): reports/followup/rules.py.
from reports.followup import rules as followup_rules  # noqa: E402, F401
