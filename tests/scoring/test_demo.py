"""The demo: Stabat's running forum is scored, decided and sent; a second run changes nothing."""

import pytest

from musrenbang.demo import seed_core
from musrenbang.models import Agency, Sector
from proposals.models import Proposal
from scoring import demo
from scoring.models import Result, Score
from sessions.models import Commission, Forum, ForumItem

pytestmark = pytest.mark.django_db


def _stabat_forum(ctx) -> Forum:
    """What the forum demo leaves: a running forum with loaded items in commissions."""
    stabat = ctx.stabat
    forum = Forum.objects.create(subdistrict=stabat, year=ctx.year, state=Forum.State.RUNNING)
    sectors = list(Sector.objects.filter(regency=stabat.regency))
    commissions = [
        Commission.objects.create(forum=forum, name=s.name, sector=s, order=i)
        for i, s in enumerate(sectors)
    ]
    villages = list(stabat.villages.order_by("code")[:4])
    for n in range(10):
        proposal = Proposal.objects.create(
            year=ctx.year,
            subdistrict=stabat,
            village=villages[n % 4],
            title=f"Kegiatan {n}",
            location="Dusun I",
            volume=1,
            unit="paket",
            cost=200_000_000 + n * 50_000_000,
            sector=sectors[n % len(sectors)],
            village_rank=n // 4 + 1,
            reference=f"12.05.07/{ctx.year}/{n + 1:04d}",
            tracking_code=f"DEMO{n:06d}",
            status="terverifikasi",
        )
        ForumItem.objects.create(forum=forum, proposal=proposal, commission=commissions[n % 4])
    return forum


def test_demo_without_the_stabat_forum_only_logs():
    ctx = seed_core()
    demo.seed(ctx)
    assert any("Skoring" in line for line in ctx.log)
    assert not Score.objects.exists()


def test_demo_scores_decides_and_sends_stabat_idempotently():
    ctx = seed_core()
    forum = _stabat_forum(ctx)
    demo.seed(ctx)
    forum.refresh_from_db()
    assert forum.state == Forum.State.SENT
    assert Score.objects.filter(item__forum=forum).count() == 10 * 8
    priorities = Result.objects.filter(item__forum=forum, decision="prioritas")
    reserves = Result.objects.filter(item__forum=forum, decision="cadangan")
    agencies = set(priorities.values_list("responsible_agency__abbreviation", flat=True))
    assert "PUPR" in agencies and len(agencies) >= 3
    assert reserves.count() >= 2 and not reserves.filter(reason="").exists()
    assert Agency.objects.get(pk=priorities.first().responsible_agency_id).regency == ctx.langkat
    before = list(Result.objects.order_by("pk").values_list("pk", "decision", "rank"))
    demo.seed(ctx)
    assert list(Result.objects.order_by("pk").values_list("pk", "decision", "rank")) == before
    assert ctx.users["opd.pupr.langkat"].agency.abbreviation == "PUPR"
