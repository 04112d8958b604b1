"""Profile the bench's main pages with cProfile (``make bench`` data, ``--reuse`` first).

    eval "$(scripts/db.sh env)" && .venv/bin/python benchmarks/profile_pages.py [name ...]

Prints the top functions by cumulative and by own time for each page.
"""

import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench import BENCH_ENV, bench_database_url  # noqa: E402


def main() -> None:
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings")
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="musrenbang-profile-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    from benchmarks.scenarios import YEAR, _client, _user
    from musrenbang.models import Role, Subdistrict, User
    from sessions.models import Forum

    call_command("collectstatic", "--noinput", verbosity=0)
    forum = Forum.objects.select_related("subdistrict").get(subdistrict__code="99.01.01")
    camat = _user("camat.skala", Role.CAMAT, subdistrict=forum.subdistrict)
    staff2 = _user("staf.skala2", Role.STAFF, subdistrict=Subdistrict.objects.get(code="99.01.02"))
    pages = {
        "incoming": (staff2, reverse("proposals:incoming") + f"?tahun={YEAR}"),
        "attendance": (camat, reverse("forum:attendance", args=[forum.pk])),
        "commissions": (camat, reverse("forum:commissions", args=[forum.pk])),
        "ranking": (camat, reverse("scoring:results", args=[forum.pk])),
        "home": (camat, reverse("forum:detail", args=[forum.pk])),
        "projector": (camat, reverse("forum:projector_body", args=[forum.pk])),
        "dashboard": (camat, reverse("subdistrict_dashboard", args=[forum.subdistrict.code])),
    }
    del User
    wanted = sys.argv[1:] or list(pages)
    for name in wanted:
        user, url = pages[name]
        client = _client(user)
        assert client.get(url).status_code == 200
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(url)
        profiler.disable()
        print(f"\n===== {name} {url} (5 requests)")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
