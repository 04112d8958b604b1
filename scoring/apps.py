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
        from scoring import panels  # noqa: F401 - panels register themselves
        from scoring.models import Criterion, Result, Score, Scorer
        from scoring.services import criteria_frozen
        from sessions import locks, versions
        from sessions.admin import freeze_fields_when

        # The sent forum's lock covers scoring's rows too; the forum admin keeps the scoring
        # mode read-only once scores exist.
        locks.protect(Criterion)
        locks.protect(Scorer)
        locks.protect(Score, lookup=locks.by_item)
        locks.protect(Result, lookup=locks.by_item)
        freeze_fields_when(lambda forum: ["scoring_mode"] if criteria_frozen(forum=forum) else [])
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
