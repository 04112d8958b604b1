"""The kecamatan dashboard's panels, cached as one fragment under ``panel_marks``
(``musrenbang.dashboard``): a write that changes a panel changes the key, viewers with other
flags never share a fragment, and a cache hit runs none of the panels' queries."""

import re

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from proposals.models import Proposal, Status, Transition
from proposals.services import proposal_receive
from sessions import services
from tests import factories as f
from tests.sessions.factories import running

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(subdistrict, year):
    return reverse("subdistrict_dashboard", args=[subdistrict.code]) + "?tahun=2027"


def _received_count(html: str) -> int:
    found = re.search(r"Diterima kecamatan</div>\s*<div[^>]*>(\d+)<", html)
    assert found, 'no "Diterima kecamatan" row on the panel'
    return int(found.group(1))


def _submitted(village, n=1):
    return [f.ProposalFactory(village=village, status=Status.SUBMITTED) for _ in range(n)]


def test_a_hit_runs_none_of_the_panels_queries(
    as_user, clerk, url, village, settings, django_assert_max_num_queries, django_assert_num_queries
):
    settings.FAST_PAGE_SECONDS = 0  # the view's own cache (the fast path: test_fastpage.py)
    _submitted(village, 3)
    f.ForumFactory(subdistrict=village.subdistrict, year=2027)
    client = as_user(clerk)
    client.get(url)
    # session, user, kecamatan, year, years, ceiling, villages, the marks: nothing of the panels
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    _submitted(village, 20)  # more rows, the same queries
    client.get(url)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_a_status_change_shows_on_the_next_render(as_user, clerk, url, village):
    (proposal,) = _submitted(village)
    client = as_user(clerk)
    assert _received_count(client.get(url).content.decode()) == 0
    proposal_receive(actor=clerk, proposal=proposal)
    assert _received_count(client.get(url).content.decode()) == 1


def test_a_bulk_status_move_without_save_shows_through_its_transition(as_user, clerk, url, village):
    (proposal,) = _submitted(village)
    client = as_user(clerk)
    assert _received_count(client.get(url).content.decode()) == 0
    # a QuerySet.update keeps updated_at; the Transition it writes moves the key
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Status.RECEIVED, updated_at=F("updated_at")
    )
    Transition.objects.create(
        proposal=proposal, actor=clerk, from_status=Status.SUBMITTED, to_status=Status.RECEIVED
    )
    assert _received_count(client.get(url).content.decode()) == 1


def test_a_new_proposal_and_a_forum_write_show_on_the_next_render(as_user, camat, url, village):
    client = as_user(camat)
    assert "(0 usulan)" in client.get(url).content.decode()
    _submitted(village)
    assert "(1 usulan)" in client.get(url).content.decode()
    forum = f.ForumFactory(subdistrict=village.subdistrict, year=2027)
    html = client.get(url).content.decode()
    assert 'data-testid="panel-forum"' in html and "Buka forum" in html
    person = f.ParticipantFactory(forum=forum)
    running(forum)
    assert "0 / 1" in client.get(url).content.decode()
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    assert "1 / 1" in client.get(url).content.decode()


def test_the_kecamatan_and_bappeda_never_get_each_others_panels(
    client, as_user, clerk, bappeda, url, village
):
    _submitted(village)
    f.ForumFactory(subdistrict=village.subdistrict, year=2027)
    staff_html = as_user(clerk).get(url).content.decode()
    assert "Buka usulan masuk" in staff_html and "Lembar skoring" in staff_html
    other = Client()
    other.force_login(bappeda, backend="musrenbang.auth.PlacesBackend")
    bappeda_html = other.get(url).content.decode()  # after the staff's render was cached
    assert "Buka usulan masuk" not in bappeda_html  # the intake links are the kecamatan's
    assert "Lembar skoring" in bappeda_html  # Bappeda may see the scoring
    # and the other way round: Bappeda's render first, then the staff's
    f.ProposalFactory(village=village, status=Status.SUBMITTED)
    assert "Buka usulan masuk" not in other.get(url).content.decode()
    assert "Buka usulan masuk" in as_user(clerk).get(url).content.decode()


def test_the_create_button_carries_each_users_own_csrf_token(camat, url, subdistrict):
    tokens = []
    for n in range(2):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(camat, backend="musrenbang.auth.PlacesBackend")
        html = browser.get(url).content.decode()
        assert "__csrf_token_of_this_request__" not in html
        form = re.search(
            r'action="' + reverse("forum:create") + r'">'
            r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            html,
        )
        assert form, "the create button is missing"
        tokens.append(form.group(1))
        if n == 1:  # the cached fragment's form posts with this browser's own token
            response = browser.post(
                reverse("forum:create"),
                {"csrfmiddlewaretoken": form.group(1), "tahun": "2027"},
            )
            assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_only_who_may_create_the_forum_sees_the_button(as_user, camat, bappeda, url):
    assert "Buat forum 2027" in as_user(camat).get(url).content.decode()
    other = Client()
    other.force_login(bappeda, backend="musrenbang.auth.PlacesBackend")
    html = other.get(url).content.decode()
    assert "Buat forum 2027" not in html and "belum dibuat oleh kecamatan" in html
