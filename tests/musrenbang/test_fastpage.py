"""An unchanged staff page answered with one query (``musrenbang.fastpage``), and every way
it must step aside: logout, another user, a changed row, a waiting message, age, htmx, POST."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from musrenbang import fastpage


def _browser(user) -> Client:
    client = Client()
    client.force_login(user, backend="musrenbang.auth.PlacesBackend")
    return client


def _pages(forum) -> list[str]:
    return [
        reverse("forum:attendance", args=[forum.pk]),
        reverse("forum:detail", args=[forum.pk]),
        reverse("scoring:results", args=[forum.pk]),
        reverse("subdistrict_dashboard", args=[forum.subdistrict.code]),
    ]


def test_each_main_page_is_answered_with_one_query_the_second_time(
    camat, forum, django_assert_num_queries
):
    client = _browser(camat)
    for url in _pages(forum):
        first = client.get(url)
        assert first.status_code == 200
        # the dashboard first finds which planning year it shows (one more small query)
        with django_assert_num_queries(2 if "kecamatan" in url else 1):
            again = client.get(url)
        assert again.status_code == 200
        html = again.content.decode()
        assert str(camat) in html and "__csrf_token_of_this_request__" not in html
        # the headers of every page still come from the middlewares before it
        assert again["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in again


def test_the_page_follows_a_change_of_the_forum(camat, forum):
    client = _browser(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    client.get(url)
    forum.refresh_from_db()
    forum.venue = "Balai Pertemuan Baru"
    forum.save()
    assert "Balai Pertemuan Baru" in client.get(url).content.decode()


def test_logout_ends_the_fast_answers(camat, forum):
    client = _browser(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    stolen = Client()
    stolen.cookies["sessionid"] = cookie  # the old cookie, kept by someone
    response = stolen.get(url)
    assert response.status_code == 302 and "/masuk" in response["Location"]


def test_a_deactivated_user_is_not_served(camat, forum):
    client = _browser(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    type(camat).objects.filter(pk=camat.pk).update(is_active=False)
    assert client.get(url).status_code == 302


def test_a_user_moved_to_another_kecamatan_is_refused_at_once(camat, forum, other_subdistrict):
    client = _browser(camat)
    url = reverse("forum:attendance", args=[forum.pk])
    client.get(url)
    type(camat).objects.filter(pk=camat.pk).update(
        subdistrict=other_subdistrict, regency=other_subdistrict.regency
    )
    assert client.get(url).status_code == 403


def test_a_password_change_ends_other_sessions(camat, forum):
    client = _browser(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    camat.set_password("kata-sandi-baru-yang-panjang")
    camat.save()
    assert client.get(url).status_code == 302


def test_two_users_never_get_each_others_page(camat, clerk, forum):
    url = reverse("forum:detail", args=[forum.pk])
    mine, theirs = _browser(camat), _browser(clerk)
    for _ in range(2):
        assert str(clerk) not in mine.get(url).content.decode()
        assert str(camat) not in theirs.get(url).content.decode()


def test_a_waiting_message_goes_through_the_view(camat, forum, django_assert_max_num_queries):
    client = _browser(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    client.post(reverse("forum:attendance_walk_in", args=[forum.pk]), {})
    assert "Isian peserta baru belum lengkap" in client.get(url).content.decode()
    with django_assert_max_num_queries(1):  # shown once; then fast again
        client.get(url)


def test_the_fast_token_passes_the_csrf_check(camat, forum):
    client = Client(enforce_csrf_checks=True)
    client.force_login(camat, backend="musrenbang.auth.PlacesBackend")
    url = reverse("forum:attendance", args=[forum.pk])
    client.get(url)
    html = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        reverse("forum:attendance_walk_in", args=[forum.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_an_old_entry_sends_the_request_through_the_view(
    camat, forum, settings, monkeypatch, django_assert_max_num_queries
):
    client = _browser(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    real = fastpage.time.time
    monkeypatch.setattr(fastpage.time, "time", lambda: real() + settings.FAST_PAGE_SECONDS + 1)
    with django_assert_max_num_queries(20) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) > 1  # the view ran and checked the permission again


@pytest.mark.parametrize(
    "how",
    [
        {"headers": {"HX-Request": "true"}},
        {"data": {"tahun": "20x7"}},
    ],
)
def test_htmx_and_odd_parameters_go_through_the_view(
    camat, forum, how, django_assert_max_num_queries
):
    client = _browser(camat)
    url = reverse("subdistrict_dashboard", args=[forum.subdistrict.code])
    client.get(url, **how)
    with django_assert_max_num_queries(30) as captured:
        client.get(url, **how)
    assert len(captured) > 1


def test_switched_off_every_request_runs_its_view(
    camat, forum, settings, django_assert_max_num_queries
):
    settings.FAST_PAGE_SECONDS = 0
    client = _browser(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    assert len(captured) > 1


@pytest.mark.parametrize("cookie", ["a\x00b" * 40, "x" * 500, "ab;cd"])
def test_a_garbage_session_cookie_is_not_an_error(forum, cookie):
    client = Client()
    client.cookies["sessionid"] = cookie
    response = client.get(reverse("forum:detail", args=[forum.pk]))
    assert response.status_code == 302  # to the login page
