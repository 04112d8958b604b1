from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Printed documents, archive and verification, uploads, distribution, overview."""

    name = "reports"
    verbose_name = "Dokumen & Laporan"

    def ready(self) -> None:
        from musrenbang.context_processors import add_menu
        from proposals.selectors import register_outcome_provider
        from reports import panels, signals  # noqa: F401 - registers panels and receivers
        from reports.tracking import sent_forum_outcomes

        register_outcome_provider(sent_forum_outcomes)

        add_menu(
            order=60,
            roles={"camat", "staf"},
            label="Dokumen",
            url_name="reports:subdistrict",
            args=lambda user: [user.subdistrict.code],
        )
        add_menu(
            order=61,
            roles={"camat", "staf"},
            label="Input SIPD",
            url_name="reports:sipd_start",
        )
        add_menu(
            order=65,
            roles={"opd"},
            label="Tindak lanjut",
            url_name="reports:followup_agency",
            args=lambda user: [user.agency_id],
        )
        add_menu(
            order=65,
            roles={"camat", "staf"},
            label="Tindak lanjut",
            url_name="reports:followup_subdistrict",
            args=lambda user: [user.subdistrict.code],
        )
        add_menu(
            order=60,
            roles={"bappeda"},
            label="Ikhtisar & Dokumen",
            url_name="reports:overview",
            args=lambda user: [user.regency.code],
        )
