from django.apps import AppConfig


class ScoringConfig(AppConfig):
    """Criteria, scores, ranking, decisions and sending to the OPDs."""

    name = "scoring"
    verbose_name = "Skoring"

    def ready(self) -> None:
        from musrenbang.context_processors import (
            add_menu,
            own_agency,
            own_regency,
            own_subdistrict,
        )
        from scoring import guards, panels  # noqa: F401 - panels register themselves
        from sessions import versions

        guards.connect()
        versions.connect()
        kecamatan = {"perm": "musrenbang.manage_subdistrict", "obj": own_subdistrict}
        add_menu(
            order=40,
            **kecamatan,
            label="Skoring",
            url_name="scoring:entry",
            args=lambda user: [user.subdistrict.code],
        )
        add_menu(
            order=41,
            **kecamatan,
            label="Hasil Skoring",
            url_name="scoring:entry_results",
            args=lambda user: [user.subdistrict.code],
        )
        # OPD readers (their agency's follow-ups) and Bappeda (the kabupaten's overview).
        for perm, obj in (
            ("reports.view_agency_followups", own_agency),
            ("reports.view_overview", own_regency),
        ):
            add_menu(
                order=42,
                perm=perm,
                obj=obj,
                label="Prioritas ke OPD",
                url_name="scoring:agency_priorities",
            )
