"""Measure the scoring speed targets on a throwaway forum, rolled back afterwards.

    python manage.py bench_scoring [--items 1000] [--criteria 8] [--scorers 5]

Targets (issue 5): Hitung under 1 s for 1,000 x 8 x 5; saving one cell under 50 ms of server
time; the Hasil Skoring page under 200 ms with a constant number of queries.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from musrenbang.models import Regency, Role, Sector, Subdistrict, User, Village
from proposals.models import Proposal
from scoring import services
from scoring.models import Criterion, Score, Scorer
from sessions.models import Forum, ForumItem


class Rollback(Exception):
    pass


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


class Command(BaseCommand):
    help = "Ukur kecepatan skoring pada forum uji (dibatalkan setelah selesai)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=1000)
        parser.add_argument("--criteria", type=int, default=8)
        parser.add_argument("--scorers", type=int, default=5)
        parser.add_argument("--profile", action="store_true", help="profil simpan sel")

    def handle(self, *args, items: int, criteria: int, scorers: int, **options):
        self.profile = options.get("profile", False)
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["*"]):
                self._run(items, criteria, scorers)
                raise Rollback()
        except Rollback:
            self.stdout.write("Data uji dibatalkan (rollback).")

    def _build(self, n_items: int, n_criteria: int, n_scorers: int):
        regency = Regency.objects.create(code="99.98", name="Kabupaten Bench", kind="kabupaten")
        sub = Subdistrict.objects.create(regency=regency, code="99.98.01", name="Bench")
        village = Village.objects.create(
            subdistrict=sub, code="99.98.01.2001", name="Desa Bench", kind="desa"
        )
        sector = Sector.objects.create(regency=regency, name="Bench")
        users = [
            User.objects.create(
                username=f"bench-scorer-{i}",
                role=Role.CAMAT if i == 0 else Role.STAFF,
                regency=regency,
                subdistrict=sub,
            )
            for i in range(n_scorers)
        ]
        forum = Forum.objects.create(
            subdistrict=sub, year=2099, state="berlangsung", scoring_mode="banyak"
        )
        proposals = Proposal.objects.bulk_create(
            Proposal(
                year=2099,
                subdistrict=sub,
                village=village,
                title=f"Usulan uji {i}",
                location="-",
                volume=1,
                unit="paket",
                cost=1_000_000 * (i % 50 + 1),
                sector=sector,
                reference=f"UJI-KECEPATAN/{i:05d}",
                tracking_code=f"UJIK{i:08d}",
                status="terverifikasi",
            )
            for i in range(n_items)
        )
        items = ForumItem.objects.bulk_create(ForumItem(forum=forum, proposal=p) for p in proposals)
        crits = Criterion.objects.bulk_create(
            Criterion(forum=forum, name=f"K{i}", weight=i + 1, order=i) for i in range(n_criteria)
        )
        Scorer.objects.bulk_create(Scorer(forum=forum, user=u) for u in users)
        Score.objects.bulk_create(
            (
                Score(item=it, criterion=c, scorer=u, value=(it.pk + c.pk + u.pk) % 5 + 1)
                for it in items
                for c in crits
                for u in users
            ),
            batch_size=5000,
        )
        return forum, items, crits, users

    def _run(self, n_items: int, n_criteria: int, n_scorers: int) -> None:
        forum, items, crits, users = self._build(n_items, n_criteria, n_scorers)
        camat = users[0]
        out = self.stdout.write
        out(f"Forum uji: {n_items} usulan x {n_criteria} kriteria x {n_scorers} penilai")
        hitung = _median_ms(lambda: services.forum_compute(forum=forum, actor=camat), 3)
        out(f"Hitung (median 3x): {hitung} ms")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(camat, backend="musrenbang.auth.PlacesBackend")
        url = reverse("scoring:score_cell", args=[forum.pk])
        counter = iter(range(10**6))
        first = client.post(
            url,
            {"item": items[0].pk, "criterion": crits[0].pk, "value": "3"},
            HTTP_HX_REQUEST="true",
            secure=True,
        )
        if first.status_code != 200:
            self.stderr.write(f"Simpan sel: status {first.status_code}")

        def save_cell():
            item = items[next(counter) % len(items)]
            client.post(
                url,
                {"item": item.pk, "criterion": crits[0].pk, "value": "3"},
                HTTP_HX_REQUEST="true",
                secure=True,
            )

        out(f"Simpan satu sel, permintaan penuh (median 15x): {_median_ms(save_cell, 15)} ms")
        if self.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(lambda: [save_cell() for _ in range(20)])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        for name in ("results", "sheet"):
            page = reverse(f"scoring:{name}", args=[forum.pk])
            client.get(page, secure=True)
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                status = client.get(page, secure=True).status_code
            if status != 200:
                self.stderr.write(f"Halaman {name}: status {status}")
            ms = _median_ms(lambda page=page: client.get(page, secure=True), 5)
            out(f"Halaman {name} (median 5x): {ms} ms, {len(queries)} kueri")
            if self.profile:
                for sql in queries:
                    out(f"    {sql[:110]}")
