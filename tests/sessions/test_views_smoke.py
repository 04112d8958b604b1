"""Every forum page renders for the camat, in each state."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.sessions.factories import AgendaItemFactory, present, running

PAGES = [
    "detail", "edit", "agenda", "commissions", "participants", "participant_add",
    "attendance", "attendance_search", "attendance_counts", "verification", "addition",
    "delegates", "projector", "projector_body", "participants_template",
]  # fmt: skip


@pytest.fixture
def forum(subdistrict, year, sector):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    commission = f.CommissionFactory(forum=forum, sector=sector)
    f.ForumItemFactory.create_batch(2, forum=forum, commission=commission)
    f.ParticipantFactory.create_batch(3, forum=forum)
    AgendaItemFactory.create_batch(2, forum=forum)
    return forum


@pytest.mark.parametrize("state", ["persiapan", "berlangsung", "terkirim"])
@pytest.mark.parametrize("name", PAGES)
def test_camat_sees_every_forum_page(as_user, camat, forum, name, state):
    if state != "persiapan":
        running(forum)
        present(forum, 2)
        item = forum.agenda.first()
        from django.utils import timezone

        item.started_at = timezone.now()
        item.save()
    forum.state = state
    forum.save()
    response = as_user(camat).get(reverse(f"forum:{name}", args=[forum.pk]))
    assert response.status_code == 200
