"""Who may see and do what with the forum's documents (deny by default).

- camat and staff of the kecamatan: every document of their forum, uploads, the register;
- only the camat finalises the Berita Acara, once the forum was sent;
- Bappeda of the kabupaten/kota: every document of its kecamatan and the overview;
- an OPD reader: only the DSP of their own agency, once the forum was sent.

``reports.manage_forum_documents`` and ``reports.finalize_minutes`` stay role-only gates of the
pages; the writing actions are rules of the rule book (``reports.archive_minutes``,
``reports.upload_document``, ``reports.record_distribution``), checked first by their service.
"""

import rules

from musrenbang.exceptions import DomainError
from musrenbang.rulebook import add_rule
from musrenbang.rules import (
    is_bappeda,
    is_bappeda_of,
    is_camat_of,
    is_kecamatan_of,
    is_opd,
    is_superuser,
)
from proposals.rules import is_command
from sessions.rules import forum_is_sent, is_camat_of_forum, is_kecamatan_of_forum


@rules.predicate
def is_bappeda_of_forum(user, forum) -> bool:
    return (
        is_bappeda(user) and forum is not None and user.regency_id == forum.subdistrict.regency_id
    )


add_rule(
    "reports.view_forum_documents",
    who=is_superuser | is_bappeda_of_forum | is_kecamatan_of,
    who_message="Anda tidak berwenang membuka dokumen forum ini.",
)
# Role-only gates of the pages: rules of the rule book (a superuser is not offered controls).
add_rule(
    "reports.manage_forum_documents",
    who=is_kecamatan_of,
    who_message="Hanya camat dan staf kecamatan ini yang dapat mengelola dokumen forum ini.",
)
add_rule(
    "reports.finalize_minutes",
    who=is_camat_of,
    who_message="Hanya camat kecamatan ini yang dapat memfinalkan Berita Acara.",
)
add_rule(
    "reports.view_overview",
    who=is_superuser | is_bappeda_of,
    who_message="Anda tidak berwenang membuka ikhtisar kabupaten/kota ini.",
)


def can_read_agency_dsp(user, forum, agency) -> bool:
    """Return True when ``user`` may read the DSP of ``agency`` from ``forum``."""
    if user.has_perm("reports.view_forum_documents", forum):
        return True
    return (
        is_opd(user)
        and agency is not None
        and user.agency_id == agency.pk
        and agency.regency_id == forum.subdistrict.regency_id
        and forum.is_locked
    )


KECAMATAN_ONLY = "Hanya camat dan staf kecamatan ini yang dapat mengelola dokumen forum ini."

add_rule(
    "reports.archive_minutes",
    who=is_camat_of_forum,
    when=forum_is_sent,
    who_message="Hanya camat kecamatan ini yang dapat memfinalkan Berita Acara.",
    when_message="Berita Acara hanya dapat difinalkan setelah hasil forum dikirim ke OPD.",
)
# Before and after sending: the signed scans and the letters exist only after the forum.
add_rule("reports.upload_document", who=is_kecamatan_of_forum, who_message=KECAMATAN_ONLY)
add_rule("reports.record_distribution", who=is_kecamatan_of_forum, who_message=KECAMATAN_ONLY)

# "Input SIPD": the worklist is readable before sending (it says what is still missing);
# ticking, the workbook and the reconcile need the final result.
rules.add_perm("reports.view_sipd_worklist", is_superuser | is_bappeda_of_forum | is_kecamatan_of)
# The SIPD writes (tick, reconcile): the kecamatan, or a command (``actor=None``), once the
# forum was sent. ``reports.work_on_sipd`` is the role gate of their pages (403 for others);
# the service then says why the phase refuses.
SIPD_NOT_SENT = "Forum belum dikirim ke OPD; rekomendasi kecamatan belum final."
SIPD_KECAMATAN_ONLY = "Hanya camat dan staf kecamatan ini yang dapat mengerjakan Input SIPD."
add_rule("reports.work_on_sipd", who=is_kecamatan_of, who_message=SIPD_KECAMATAN_ONLY)
add_rule(
    "reports.mark_sipd_input",
    who=is_kecamatan_of,
    when=forum_is_sent,
    who_message=SIPD_KECAMATAN_ONLY,
    when_message=lambda forum: DomainError(SIPD_NOT_SENT),
)
rules.add_perm(
    "reports.export_sipd",
    (is_superuser | is_bappeda_of_forum | is_kecamatan_of) & forum_is_sent,
)
add_rule(
    "reports.reconcile_sipd",
    who=is_command | is_kecamatan_of,
    when=forum_is_sent,
    who_message=SIPD_KECAMATAN_ONLY,
    when_message=lambda forum: DomainError(SIPD_NOT_SENT),
)
# Follow-up permissions (tindak lanjut): reports/followup/rules.py.
from reports.followup import rules as followup_rules  # noqa: E402, F401
