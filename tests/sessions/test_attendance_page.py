"""The door's page: rows built without per-row URL reversing, flags from the view, and the
walk-in form served from cache only while its desa choices are the same."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.sessions.factories import running


@pytest.fixture
def forum(subdistrict, year, village):
    return f.ForumFactory(subdistrict=subdistrict, year=2027)


def _page(client, forum) -> str:
    return client.get(reverse("forum:attendance", args=[forum.pk])).content.decode()


def test_each_row_posts_to_its_own_mark_url(as_user, clerk, forum):
    running(forum)
    person = f.ParticipantFactory(forum=forum)
    mark = reverse("forum:attendance_mark", args=[forum.pk, person.pk])
    content = _page(as_user(clerk), forum)
    assert f'action="{mark}"' in content and f'hx-post="{mark}"' in content


def test_before_the_start_rows_offer_no_button_and_the_page_says_why(as_user, clerk, forum):
    f.ParticipantFactory(forum=forum)
    content = _page(as_user(clerk), forum)
    assert "belum hadir" in content and 'aria-label="Catat hadir' not in content
    assert "camat perlu memulai forum dahulu" in content
    assert "Daftarkan dan catat hadir" not in content


def test_running_forum_offers_the_buttons_and_the_walk_in_form(as_user, clerk, forum):
    running(forum)
    f.ParticipantFactory(forum=forum)
    content = _page(as_user(clerk), forum)
    assert 'aria-label="Catat hadir' in content and "Daftarkan dan catat hadir" in content
    assert "Kehadiran hanya dapat dicatat" not in content


def test_cached_walk_in_form_shows_a_desa_added_later(as_user, clerk, forum, subdistrict):
    running(forum)
    client = as_user(clerk)
    assert "Desa Baru Sekali" not in _page(client, forum)
    f.VillageFactory(subdistrict=subdistrict, name="Desa Baru Sekali")
    assert "Desa Baru Sekali" in _page(client, forum)


def test_htmx_row_after_marking_shows_the_time_not_the_button(as_user, clerk, forum):
    running(forum)
    person = f.ParticipantFactory(forum=forum, name="Ani")
    response = as_user(clerk).post(
        reverse("forum:attendance_mark", args=[forum.pk, person.pk]), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert f'id="peserta-{person.pk}"' in content and 'data-testid="hadir"' in content
    assert "<form" not in content
