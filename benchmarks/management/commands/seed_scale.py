"""Synthetic but plausible data at kabupaten scale, for benchmarks (``make bench``).

Rows are written with ``bulk_create`` in batches (not through the services): the point is
volume, fast. It creates its own kabupaten (code ``99.01``) so it never mixes with real data.
"""

import datetime as dt
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from musrenbang.demo import SECTORS
from musrenbang.models import (
    Agency,
    BudgetCeiling,
    PlanningYear,
    Regency,
    Role,
    Sector,
    Subdistrict,
    User,
    Village,
)
from proposals.models import Origin, Proposal, Status
from scoring.models import Criterion, Score, Scorer
from scoring.services.criteria import DEFAULT_CRITERIA
from sessions.models import Commission, Forum, ForumItem, Participant

REGENCY_CODE = "99.01"
YEAR = 2027
BATCH = 2000
TITLES = [
    "Pembangunan jalan lingkungan",
    "Rehabilitasi saluran drainase",
    "Pembangunan posyandu",
    "Pengadaan lampu penerangan jalan",
    "Pelatihan UMKM pengolahan pangan",
    "Rehabilitasi ruang kelas SD",
    "Pembangunan sumur bor air bersih",
    "Perbaikan jembatan penghubung",
    "Pelatihan kader posyandu",
    "Pembangunan tempat pembuangan sampah sementara",
]
UNITS = ["meter", "unit", "paket", "titik", "orang", "m2"]


class Command(BaseCommand):
    help = "Membuat data sintetis skala kabupaten untuk pengukuran kinerja (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--kecamatan", type=int, default=40)
        parser.add_argument("--desa-per-kecamatan", type=int, default=25)
        parser.add_argument("--usulan-per-desa", type=int, default=40)
        parser.add_argument("--peserta", type=int, default=400)
        parser.add_argument("--penilai", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2027)

    def handle(self, *args, **opts):
        if Regency.objects.filter(code=REGENCY_CODE).exists():
            self.stdout.write("Data skala sudah ada; tidak ada yang dibuat.")
            return
        started = time.perf_counter()
        rng = random.Random(opts["seed"])
        with transaction.atomic():
            counts = self._seed(rng, opts)
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(f"Data skala dibuat dalam {elapsed:.1f} s: {summary}.")

    def _seed(self, rng: random.Random, opts: dict) -> dict[str, int]:
        regency = Regency.objects.create(
            code=REGENCY_CODE, name="Kabupaten Skala", kind=Regency.Kind.KABUPATEN
        )
        tz = timezone.get_current_timezone()
        PlanningYear.objects.create(
            regency=regency,
            year=YEAR,
            submission_deadline=dt.datetime(YEAR - 1, 12, 31, tzinfo=tz),
            forum_start=dt.date(YEAR - 1, 1, 1),
            forum_end=dt.date(YEAR - 1, 12, 31),
        )
        sectors = Sector.objects.bulk_create(
            Sector(regency=regency, name=name, order=i) for i, name in enumerate(SECTORS, 1)
        )
        agencies = Agency.objects.bulk_create(
            Agency(regency=regency, name=f"Dinas Skala {i}", abbreviation=f"DS{i}")
            for i in range(1, 11)
        )
        subdistricts = Subdistrict.objects.bulk_create(
            Subdistrict(regency=regency, code=f"{REGENCY_CODE}.{i:02d}", name=f"Skala {i}")
            for i in range(1, opts["kecamatan"] + 1)
        )
        BudgetCeiling.objects.bulk_create(
            BudgetCeiling(subdistrict=s, year=YEAR, amount=5_000_000_000) for s in subdistricts
        )
        villages = Village.objects.bulk_create(
            (
                Village(
                    subdistrict=s,
                    code=f"{s.code}.{2000 + j}",
                    name=f"Desa {s.name}-{j}",
                    kind=Village.Kind.DESA,
                )
                for s in subdistricts
                for j in range(1, opts["desa_per_kecamatan"] + 1)
            ),
            batch_size=BATCH,
        )
        forum_subdistrict = subdistricts[0]
        proposals = []
        number: dict[int, int] = {}
        for village in villages:
            for rank in range(1, opts["usulan_per_desa"] + 1):
                seq = number[village.subdistrict_id] = number.get(village.subdistrict_id, 0) + 1
                sub = village.subdistrict
                in_forum = sub.pk == forum_subdistrict.pk
                proposals.append(
                    Proposal(
                        year=YEAR,
                        origin=Origin.VILLAGE,
                        subdistrict=sub,
                        village=village,
                        title=f"{rng.choice(TITLES)} {village.name} {rank}",
                        problem="Kondisi sarana belum memadai dan sering dikeluhkan warga.",
                        location=f"RT {rng.randint(1, 9):02d} / RW {rng.randint(1, 5):02d}",
                        volume=Decimal(rng.randint(1, 500)),
                        unit=rng.choice(UNITS),
                        cost=rng.randint(10, 500) * 1_000_000,
                        sector=rng.choice(sectors),
                        suggested_agency=rng.choice(agencies),
                        village_rank=rank,
                        reference=f"{YEAR}/{sub.code}/{seq:04d}",
                        tracking_code=f"S{len(proposals):07d}",
                        status=Status.VERIFIED if in_forum else rng.choice(list(Status.values)),
                    )
                )
        Proposal.objects.bulk_create(proposals, batch_size=BATCH)

        forum = Forum.objects.create(
            subdistrict=forum_subdistrict,
            year=YEAR,
            state=Forum.State.RUNNING,
            date=dt.date(YEAR - 1, 3, 2),
            venue="Aula Kecamatan Skala 1",
            scoring_mode=Forum.ScoringMode.MULTIPLE,
            data_loaded_at=timezone.now(),
            started_at=timezone.now(),
        )
        commissions = {
            s.pk: Commission.objects.create(forum=forum, name=f"Komisi {s.name}", sector=s, order=i)
            for i, s in enumerate(sectors, 1)
        }
        forum_proposals = [p for p in proposals if p.subdistrict_id == forum_subdistrict.pk]
        items = ForumItem.objects.bulk_create(
            (
                ForumItem(forum=forum, proposal=p, commission=commissions[p.sector_id])
                for p in forum_proposals
            ),
            batch_size=BATCH,
        )
        now = timezone.now()
        forum_villages = [v for v in villages if v.subdistrict_id == forum_subdistrict.pk]
        categories = list(Participant.Category.values)
        Participant.objects.bulk_create(
            (
                Participant(
                    forum=forum,
                    name=f"Peserta Skala {i:04d}",
                    gender="P" if i % 5 < 2 else "L",
                    category=categories[i % len(categories)],
                    village=forum_villages[i % len(forum_villages)] if i % 3 == 0 else None,
                    institution="Lembaga Skala",
                    phone=f"0812{i:08d}",
                    present_at=now if i % 2 == 0 else None,
                )
                for i in range(opts["peserta"])
            ),
            batch_size=BATCH,
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(forum=forum, name=name, weight=Decimal(1 + i % 3), order=i)
            for i, (name, _description, _levels) in enumerate(DEFAULT_CRITERIA)
        )
        scorers = []
        for i in range(opts["penilai"]):
            user = User(
                username=f"penilai.skala{i}",
                first_name=f"Penilai {i}",
                role=Role.STAFF,
                subdistrict=forum_subdistrict,
                regency=regency,
            )
            user.set_unusable_password()
            scorers.append(user)
        User.objects.bulk_create(scorers)
        Scorer.objects.bulk_create(Scorer(forum=forum, user=u) for u in scorers)
        Score.objects.bulk_create(
            (
                Score(item=item, criterion=c, scorer=u, value=rng.randint(1, 5))
                for item in items
                for c in criteria
                for u in scorers
            ),
            batch_size=BATCH * 5,
        )
        return {
            "kecamatan": len(subdistricts),
            "desa": len(villages),
            "usulan": len(proposals),
            "usulan forum": len(items),
            "peserta": opts["peserta"],
            "nilai": len(items) * len(criteria) * len(scorers),
        }
