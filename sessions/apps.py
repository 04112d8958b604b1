from django.apps import AppConfig


class ForumConfig(AppConfig):
    """The Musrenbang Kecamatan forum day.

    The package is called ``sessions`` but its label is ``forum``: ``django.contrib.sessions``
    owns the label ``sessions``. Management commands take the label (``makemigrations forum``).
    """

    name = "sessions"
    label = "forum"
    verbose_name = "Forum Musrenbang"
