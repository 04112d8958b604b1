from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The measurements of ``make bench`` and their commands (``seed_scale``, ``bench_*``).

    An app only so that its management commands keep their names; it has no models, pages or
    permissions. It sits above every other app (it seeds and measures all of them), so the
    workflow and master-data apps never import it.
    """

    name = "benchmarks"
    verbose_name = "Pengukuran kecepatan"
