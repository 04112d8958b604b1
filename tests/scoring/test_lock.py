"""The lock of a sent forum holds by every path: services, admin, ORM."""

import pytest
from django.db import transaction
from django.urls import reverse

from musrenbang.exceptions import Locked
from scoring.models import Criterion, Result, Score
from sessions.models import Forum
from tests import factories as f
from tests.scoring.factories import sent_forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(subdistrict, agency):
    forum = sent_forum(subdistrict, agency=agency, items=2)
    return forum


def test_direct_orm_saves_and_deletes_of_a_sent_forum_are_refused(forum, camat):
    item = forum.items.select_related("proposal").first()
    result = Result.objects.get(item=item)
    criterion = forum.criteria.first()
    attempts = [
        lambda: item.save(),
        lambda: item.proposal.save(),
        lambda: result.save(),
        lambda: criterion.save(),
        lambda: Score(item=item, criterion=criterion, scorer=camat, value=3).save(),
        lambda: f.CommissionFactory(forum=forum),
        lambda: f.ParticipantFactory(forum=forum),
        lambda: f.ForumItemFactory(forum=forum),
        lambda: Criterion.objects.create(forum=forum, name="Baru"),
        lambda: result.delete(),
        lambda: forum.save(),
        lambda: forum.delete(),
    ]
    for attempt in attempts:
        with pytest.raises(Locked), transaction.atomic():
            attempt()
    assert Forum.objects.get(pk=forum.pk).state == Forum.State.SENT


def test_forum_cannot_be_unsent_through_the_orm(forum):
    forum.state = Forum.State.RUNNING
    with pytest.raises(Locked):
        forum.save(update_fields=["state"])
    assert Forum.objects.get(pk=forum.pk).state == Forum.State.SENT


def test_participant_count_may_still_be_corrected_after_sending(forum):
    forum.participant_count = 87
    forum.save(update_fields=["participant_count"])
    assert Forum.objects.get(pk=forum.pk).participant_count == 87


def test_rows_of_unsent_forums_save_normally(subdistrict):
    item = f.ForumItemFactory(forum=f.ForumFactory(subdistrict=subdistrict))
    item.correction_note = "Volume dikoreksi"
    item.save()
    item.proposal.save()


def test_admin_shows_a_sent_forums_result_read_only_and_refuses_a_post(as_user, bappeda, forum):
    result = Result.objects.filter(item__forum=forum).first()
    url = reverse("admin:scoring_result_change", args=[result.pk])
    client = as_user(bappeda)
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(url, {"rank": 99, "total": "1", "decision": "cadangan", "reason": "x"})
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.rank == 1 and result.decision == "prioritas"


def test_admin_cannot_delete_a_sent_forums_criterion(as_user, bappeda, forum):
    criterion = forum.criteria.first()
    url = reverse("admin:scoring_criterion_delete", args=[criterion.pk])
    response = as_user(bappeda).post(url, {"post": "yes"})
    assert response.status_code == 403
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_admin_may_change_criteria_of_a_running_forum(as_user, bappeda, subdistrict):
    criterion = f.CriterionFactory(
        forum=f.ForumFactory(subdistrict=subdistrict, state="berlangsung")
    )
    url = reverse("admin:scoring_criterion_change", args=[criterion.pk])
    assert b'name="_save"' in as_user(bappeda).get(url).content
