from django.apps import AppConfig


class ScoringConfig(AppConfig):
    """Criteria, scores, ranking, decisions and sending to the OPDs."""

    name = "scoring"
    verbose_name = "Skoring"

    def ready(self) -> None:
        from musrenbang.context_processors import add_menu
        from scoring import panels  # noqa: F401 - panels register themselves
        from sessions import locks, versions

        locks.connect()  # the lock's ORM net covers scoring's rows too: connect once all exist
        versions.connect()
        kecamatan = {"camat", "staf"}
        add_menu(
            order=40,
            roles=kecamatan,
            label="Skoring",
            url_name="scoring:entry",
            args=lambda user: [user.subdistrict.code],
        )
        add_menu(
            order=41,
            roles=kecamatan,
            label="Hasil Skoring",
            url_name="scoring:entry_results",
            args=lambda user: [user.subdistrict.code],
        )
        add_menu(
            order=42,
            roles={"opd", "bappeda"},
            label="Prioritas ke OPD",
            url_name="scoring:agency_priorities",
        )
