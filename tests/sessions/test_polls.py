"""Unchanged polls answered by ``PollMiddleware`` before the session loads, and who may never
get a 304 or a body (``musrenbang.caching``)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from sessions import services
from tests import factories as f
from tests.sessions.factories import running


@pytest.fixture
def forum(subdistrict, year, sector, village):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    running(forum)
    return forum


def _body_url(forum) -> str:
    return reverse("forum:projector_body", args=[forum.pk])


def _first_tag(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


def test_unchanged_projector_poll_reads_neither_session_nor_user(
    as_user, camat, forum, django_assert_max_num_queries
):
    client = as_user(camat)
    tag = _first_tag(client, _body_url(forum))
    with django_assert_max_num_queries(1) as captured:
        response = client.get(_body_url(forum), headers={"if-none-match": tag})
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == tag
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "django_session" not in sql and "musrenbang_user" not in sql


def test_a_write_makes_the_next_poll_200_with_a_new_etag(as_user, camat, forum):
    client = as_user(camat)
    tag = _first_tag(client, _body_url(forum))
    person = f.ParticipantFactory(forum=forum)
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    changed = client.get(_body_url(forum), headers={"if-none-match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert 'data-testid="projector-present">1<' in changed.content.decode()
    again = client.get(_body_url(forum), headers={"if-none-match": changed["ETag"]})
    assert again.status_code == 304


def test_a_stolen_etag_gives_another_user_no_304(as_user, camat, other_clerk, forum):
    tag = _first_tag(as_user(camat), _body_url(forum))
    stranger = Client()
    stranger.force_login(other_clerk, backend="musrenbang.auth.PlacesBackend")
    response = stranger.get(_body_url(forum), headers={"if-none-match": tag})
    assert response.status_code == 403


def test_a_stolen_etag_gives_an_anonymous_client_no_304(as_user, camat, forum):
    tag = _first_tag(as_user(camat), _body_url(forum))
    response = Client().get(_body_url(forum), headers={"if-none-match": tag})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_after_logout_the_old_etag_is_refused(as_user, camat, forum):
    client = as_user(camat)
    tag = _first_tag(client, _body_url(forum))
    client.logout()
    response = client.get(_body_url(forum), headers={"if-none-match": tag})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_forged_or_foreign_tag_is_never_304(as_user, camat, forum):
    client = as_user(camat)
    tag = _first_tag(client, _body_url(forum))
    issued, mac = tag.strip('"').split(".")
    forged = f'"{issued}.{"0" * len(mac)}"'
    other_path = reverse("forum:projector_body", args=[forum.pk]) + "?komisi=1"
    assert client.get(_body_url(forum), headers={"if-none-match": forged}).status_code == 200
    assert client.get(other_path, headers={"if-none-match": tag}).status_code == 200
    assert client.get(_body_url(forum), headers={"if-none-match": "*"}).status_code == 200


def test_withdrawn_permission_is_seen_once_the_reauth_window_passed(
    as_user, camat, other_subdistrict, forum, settings
):
    client = as_user(camat)
    tag = _first_tag(client, _body_url(forum))
    camat.subdistrict = other_subdistrict  # moved to another kecamatan
    camat.save()
    settings.POLL_REAUTH_SECONDS = 0  # the window has passed: the full view answers
    response = client.get(_body_url(forum), headers={"if-none-match": tag})
    assert response.status_code == 403


def test_after_the_window_the_view_checks_again_and_renews_the_tag(
    as_user, camat, forum, settings, django_assert_max_num_queries
):
    client = as_user(camat)
    tag = _first_tag(client, _body_url(forum))
    settings.POLL_REAUTH_SECONDS = 0
    with django_assert_max_num_queries(3) as captured:  # session, user, forum
        response = client.get(_body_url(forum), headers={"if-none-match": tag})
    assert response.status_code == 304
    assert "django_session" in " ".join(q["sql"] for q in captured.captured_queries)
    assert response["ETag"].startswith('"')


def test_door_counts_poll_is_answered_before_the_session(
    as_user, clerk, forum, django_assert_max_num_queries
):
    client = as_user(clerk)
    url = reverse("forum:attendance_counts", args=[forum.pk])
    tag = _first_tag(client, url)
    with django_assert_max_num_queries(1):
        assert client.get(url, headers={"if-none-match": tag}).status_code == 304


def test_a_session_that_no_longer_exists_gets_no_body(as_user, camat, forum, settings):
    client = as_user(camat)
    tag = _first_tag(client, _body_url(forum))
    Session.objects.all().delete()  # e.g. expired, or ended by an administrator
    settings.POLL_REAUTH_SECONDS = 0
    response = client.get(_body_url(forum), headers={"if-none-match": tag})
    assert response.status_code == 302


def test_tracking_poll_is_answered_before_the_session_for_a_logged_in_reader(
    as_user, operator, forum, django_assert_max_num_queries
):
    item = f.ForumItemFactory(forum=forum)
    client = as_user(operator)
    url = reverse("proposals:track", args=[item.proposal.tracking_code])
    tag = _first_tag(client, url)
    with django_assert_max_num_queries(1):
        assert client.get(url, headers={"if-none-match": tag}).status_code == 304
    # the page shows who is logged in: another browser (anonymous) does not share the tag
    assert Client().get(url, headers={"if-none-match": tag}).status_code == 200
