"""The follow-up demo: Stabat's sent forum of last year has follow-ups at every stage."""

import pytest
from django.urls import reverse

from musrenbang.demo import _user, seed_core
from musrenbang.models import Agency, Role
from reports.followup import demo
from reports.models import FollowUp, FollowUpMove, MilestoneFile, Stage
from sessions.models import Forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    ctx = seed_core()
    pupr = Agency.objects.get(regency=ctx.langkat, abbreviation="PUPR")
    ctx.users["opd.pupr.langkat"] = _user("opd.pupr.langkat", "Rudi", Role.OPD, agency=pupr)
    return ctx


def test_demo_reaches_every_stage_once_and_idempotently(ctx, client):
    demo.seed(ctx)
    forum = Forum.objects.get(subdistrict=ctx.stabat, year=ctx.year - 1)
    assert forum.is_locked
    stages = set(FollowUp.objects.filter(forum=forum).values_list("stage", flat=True))
    assert set(Stage.values) <= stages
    photos = MilestoneFile.objects.filter(milestone__follow_up__forum=forum, kind="foto")
    assert photos.exists() and not photos.filter(latitude__isnull=True).exists()
    assert (
        FollowUp.objects.filter(forum=forum, stage=Stage.NOT_FUNDED).exclude(reason_text="").count()
        >= 2
    )
    moves = FollowUpMove.objects.count()
    demo.seed(ctx)
    assert FollowUpMove.objects.count() == moves
    assert Forum.objects.filter(subdistrict=ctx.stabat, year=ctx.year - 1).count() == 1
    page = client.get(reverse("reports:report_card", args=[ctx.stabat.code, ctx.year - 1]))
    assert page.status_code == 200 and "Selesai" in page.content.decode()


def test_the_pupr_petugas_can_update_pupr_follow_ups(ctx):
    demo.seed(ctx)
    petugas = ctx.users["opd.pupr.langkat"]
    open_pupr = FollowUp.objects.filter(agency=petugas.agency, stage=Stage.RECEIVED).first()
    assert petugas.has_perm("reports.update_followup", open_pupr)
    other = FollowUp.objects.exclude(agency=petugas.agency).exclude(agency=None).first()
    assert not petugas.has_perm("reports.update_followup", other)
