"""Measure the door: marking attendance in a forum of 400 participants and 1,000 proposals.

Builds the data inside a transaction that is rolled back at the end (nothing stays), then
posts the attendance click through Django's test client (the whole middleware stack, as
htmx sends it) and reports the server time and the number of queries per click.

    python manage.py bench_forum [--participants 400] [--proposals 1000] [--clicks 50]
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from musrenbang.models import PlanningYear, Regency, Role, Sector, Subdistrict, User, Village
from proposals.models import Proposal, Status
from sessions import services
from sessions.models import Forum, Participant


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Ukur waktu server untuk mencatat kehadiran (400 peserta, 1.000 usulan)."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=400)
        parser.add_argument("--proposals", type=int, default=1000)
        parser.add_argument("--clicks", type=int, default=50)

    def handle(self, *args, participants, proposals, clicks, **options):
        try:
            with transaction.atomic():
                self._run(participants, proposals, clicks)
                raise Rollback()
        except Rollback:
            self.stdout.write("Data uji dihapus (rollback).")

    def _run(self, n_participants: int, n_proposals: int, clicks: int) -> None:
        regency = Regency.objects.create(code="99.98", name="Kab Bench", kind="kabupaten")
        PlanningYear.objects.create(
            regency=regency, year=2099, submission_deadline=timezone.now(),
            forum_start=timezone.localdate(), forum_end=timezone.localdate(),
        )  # fmt: skip
        subdistrict = Subdistrict.objects.create(regency=regency, code="99.98.01", name="Bench")
        villages = [
            Village.objects.create(subdistrict=subdistrict, code=f"99.98.01.{2000 + i}",
                                   name=f"Desa {i}", kind="desa")
            for i in range(10)
        ]  # fmt: skip
        sector = Sector.objects.create(regency=regency, name="Sarpras")
        clerk = User.objects.create(username="bench.clerk", role=Role.STAFF,
                                    subdistrict=subdistrict, regency=regency)  # fmt: skip
        Proposal.objects.bulk_create(
            Proposal(year=2099, village=villages[i % 10], subdistrict=subdistrict,
                     title=f"Usulan {i}", location="RT 01", volume=1, unit="unit", cost=1000,
                     sector=sector, reference=f"B/{i}", tracking_code=f"B{i:07d}",
                     status=Status.VERIFIED)
            for i in range(n_proposals)
        )  # fmt: skip
        forum = services.forum_create(actor=clerk, subdistrict=subdistrict, year=2099)
        services.forum_load_data(actor=clerk, forum=forum)
        Participant.objects.bulk_create(
            Participant(forum=forum, name=f"Peserta {i}", gender="LP"[i % 2],
                        category="delegasi", village=villages[i % 10])
            for i in range(n_participants)
        )  # fmt: skip
        Forum.objects.filter(pk=forum.pk).update(state=Forum.State.RUNNING)
        client = Client(HTTP_HOST="localhost")
        client.force_login(clerk, backend="musrenbang.auth.PlacesBackend")
        ids = list(forum.participants.values_list("pk", flat=True)[: clicks + 1])
        client.post(reverse("forum:attendance_mark", args=[forum.pk, ids.pop()]))  # warm-up
        timings, queries = [], []
        for pk in ids:
            url = reverse("forum:attendance_mark", args=[forum.pk, pk])
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.post(url, HTTP_HX_REQUEST="true")
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            queries.append(len(captured))
        timings.sort()
        self.stdout.write(
            f"Kehadiran ({n_participants} peserta, {forum.items.count()} usulan, "
            f"{len(ids)} klik): median {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, "
            f"maks {timings[-1]:.1f} ms; {max(queries)} kueri per klik."
        )
