from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Printed documents, archive and verification, uploads, distribution, overview."""

    name = "reports"
    verbose_name = "Dokumen & Laporan"

    def ready(self) -> None:
        from musrenbang.context_processors import (
            add_menu,
            own_agency,
            own_regency,
            own_subdistrict,
        )
        from proposals.selectors import register_outcome_provider

        kecamatan = {"perm": "musrenbang.manage_subdistrict", "obj": own_subdistrict}
        from reports import panels, signals  # noqa: F401 - registers panels and receivers
        from reports.tracking import sent_forum_outcomes

        register_outcome_provider(sent_forum_outcomes)
        from musrenbang.fastpage import register_fingerprint
        from reports.followup.report_card import last_year_parts

        register_fingerprint("forum-home", last_year_parts)

        add_menu(
            order=60,
            **kecamatan,
            label="Dokumen",
            url_name="reports:subdistrict",
            args=lambda user: [user.subdistrict.code],
        )
        add_menu(
            order=61,
            **kecamatan,
            label="Input SIPD",
            url_name="reports:sipd_start",
        )
        add_menu(
            order=65,
            perm="reports.view_agency_followups",
            obj=own_agency,
            label="Tindak lanjut",
            url_name="reports:followup_agency",
            args=lambda user: [user.agency_id],
        )
        add_menu(
            order=65,
            **kecamatan,
            label="Tindak lanjut",
            url_name="reports:followup_subdistrict",
            args=lambda user: [user.subdistrict.code],
        )
        add_menu(
            order=60,
            perm="reports.view_overview",
            obj=own_regency,
            label="Ikhtisar & Dokumen",
            url_name="reports:overview",
            args=lambda user: [user.regency.code],
        )
