from django.apps import AppConfig


class ForumConfig(AppConfig):
    """The Musrenbang Kecamatan forum day.

    The package is called ``sessions`` but its label is ``forum``: ``django.contrib.sessions``
    owns the label ``sessions``. Management commands take the label (``makemigrations forum``).
    """

    name = "sessions"
    label = "forum"
    verbose_name = "Forum Musrenbang"

    def ready(self) -> None:
        from musrenbang.context_processors import add_menu, own_place
        from musrenbang.dashboard import register, register_flags, register_marks
        from sessions import locks, rules  # noqa: F401 - rules registers the permissions
        from sessions.panels import kecamatan_flags, kecamatan_marks, kecamatan_panel

        add_menu(
            order=30,
            perm="musrenbang.view_subdistrict",
            obj=own_place,
            label="Forum",
            url_name="forum:index",
        )
        register("kecamatan", order=30)(kecamatan_panel)
        register_marks("kecamatan")(kecamatan_marks)
        register_flags("kecamatan")(kecamatan_flags)
        locks.connect()  # the lock's ORM net over the forum's rows (scoring adds its own)
        self._close_kamus_years()

    @staticmethod
    def _close_kamus_years() -> None:
        """Answer the master data's question "was a forum of this year sent?" (a sent forum
        closes its kabupaten's kamus year: ``musrenbang.rules.kamus_year_open``)."""
        from musrenbang.year_closure import register_sent_check
        from sessions.selectors import regency_year_sent

        register_sent_check(regency_year_sent)
