"""The forum demo: Larangan in preparation, Stabat running with everything of the day."""

import pytest

from musrenbang.demo import seed_core
from proposals.models import Status
from sessions import demo, selectors
from sessions.models import Delegate, Forum
from tests import factories as f


@pytest.fixture
def ctx(db):
    ctx = seed_core()
    sector = ctx.stabat.regency.sectors.first()
    for village in ctx.stabat.villages.all()[:6]:
        for _ in range(3):
            f.ProposalFactory(village=village, sector=sector, status=Status.VERIFIED)
    return ctx


def test_demo_gives_larangan_in_preparation_and_stabat_running(ctx):
    demo.seed(ctx)
    larangan = Forum.objects.get(subdistrict=ctx.larangan, year=ctx.year)
    assert larangan.state == Forum.State.PREPARATION
    assert larangan.date and larangan.venue and larangan.team.count() == 4
    assert larangan.agenda.count() == 12 and larangan.commissions.count() == 4
    counts = selectors.attendance_counts(larangan)
    assert 28 <= counts.registered <= 32
    women = larangan.participants.filter(gender="P").count()
    assert 0.35 <= women / counts.registered <= 0.5
    delegates = larangan.participants.filter(category="delegasi")
    assert {p.village_id for p in delegates} == set(
        ctx.larangan.villages.values_list("id", flat=True)
    )

    stabat = Forum.objects.get(subdistrict=ctx.stabat, year=ctx.year)
    assert stabat.state == Forum.State.RUNNING and stabat.data_loaded_at
    counts = selectors.attendance_counts(stabat)
    assert 32 <= counts.present <= 40 and counts.women_share >= 30
    assert stabat.agenda.filter(ended_at__isnull=False).count() == 4
    assert stabat.items.filter(proposal__origin="kecamatan").count() == 1
    assert stabat.items.count() == 19
    elected = stabat.delegates.filter(elected=True)
    assert elected.filter(body=Delegate.Body.MUSRENBANG).count() == 3
    assert elected.filter(body=Delegate.Body.FORUM_OPD, method="voting").count() == 3
    assert elected.filter(participant__gender="P").exists()


def test_demo_runs_twice_without_changes(ctx):
    demo.seed(ctx)
    before = [Forum.objects.count(), *(m.objects.count() for m in (Delegate,))]
    events = Forum.objects.get(subdistrict=ctx.stabat).events.count()
    demo.seed(ctx)
    assert [Forum.objects.count(), Delegate.objects.count()] == before
    assert Forum.objects.get(subdistrict=ctx.stabat).events.count() == events


def test_demo_without_verified_proposals_skips_load_data_with_a_log_line(db):
    ctx = seed_core()
    demo.seed(ctx)
    stabat = Forum.objects.get(subdistrict=ctx.stabat)
    assert stabat.data_loaded_at is None
    assert any("belum ada usulan terverifikasi" in line for line in ctx.log)
