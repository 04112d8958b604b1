"""Whole pages cached per user under their marks (``musrenbang.caching.render_cached``).

The forum day's pages (forum home, door, ranking, kecamatan dashboard) are rendered once per
user and change of what they show; every request still checks permission and gets its own CSRF
token, and a page is never served to another user.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from musrenbang import caching
from musrenbang.models import BudgetCeiling
from tests import factories as f


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_forum_home_is_rendered_once_until_the_forum_changes(
    as_user, camat, forum, django_assert_max_num_queries
):
    client = as_user(camat)
    url = reverse("forum:detail", args=[forum.pk])
    first = client.get(url).content.decode()
    # session, user, forum, last year's marks: nothing of the page's own reads
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    forum.refresh_from_db()
    forum.venue = "Aula Kantor Camat Baru"
    forum.save()
    changed = client.get(url).content.decode()
    assert "Aula Kantor Camat Baru" in changed and "Aula Kantor Camat Baru" not in first


def test_a_page_is_never_served_to_another_user(as_user, camat, clerk, forum):
    url = reverse("forum:detail", args=[forum.pk])
    camat_page = as_user(camat).get(url).content.decode()
    clerk_page = Client()
    clerk_page.force_login(clerk, backend="musrenbang.auth.PlacesBackend")
    html = clerk_page.get(url).content.decode()
    assert str(camat) in camat_page
    assert str(clerk) in html and str(camat) not in html


def test_a_cached_page_still_checks_permission(as_user, camat, other_clerk, forum):
    url = reverse("forum:detail", args=[forum.pk])
    as_user(camat).get(url)
    other = Client()
    other.force_login(other_clerk, backend="musrenbang.auth.PlacesBackend")
    assert other.get(url).status_code == 403


def test_each_request_of_a_cached_page_gets_its_own_csrf_token(camat, forum):
    url = reverse("forum:attendance", args=[forum.pk])
    f.ParticipantFactory(forum=forum)
    tokens = []
    for _ in range(2):  # two browsers of the same user: two CSRF cookies
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(camat, backend="musrenbang.auth.PlacesBackend")
        html = browser.get(url).content.decode()
        assert caching.CSRF_PLACEHOLDER not in html
        token = _token(html)
        tokens.append(token)
        response = browser.post(
            reverse("forum:attendance_walk_in", args=[forum.pk]),
            {"csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302  # passed the CSRF check (the form itself is empty)
    assert tokens[0] != tokens[1]


def test_a_waiting_message_is_shown_once_and_not_cached(as_user, camat, forum):
    client = as_user(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)  # cached without message
    response = client.post(reverse("forum:attendance_walk_in", args=[forum.pk]), {})
    assert response.status_code == 302
    shown = client.get(url).content.decode()
    assert "Isian peserta baru belum lengkap" in shown
    assert "Isian peserta baru belum lengkap" not in client.get(url).content.decode()


def test_a_change_of_the_user_changes_the_page(as_user, camat, forum):
    client = as_user(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    camat.first_name = "Nama Baru Camat"
    camat.save()
    assert "Nama Baru Camat" in client.get(url).content.decode()


def test_dashboard_follows_its_figures_and_its_rows(as_user, camat, subdistrict, village, year):
    client = as_user(camat)
    url = reverse("subdistrict_dashboard", args=[subdistrict.code])
    client.get(url)
    BudgetCeiling.objects.create(subdistrict=subdistrict, year=year.year, amount=987_654_321)
    assert "987.654.321" in client.get(url).content.decode()
    village.name = "Desa Berganti Nama"
    village.save()
    assert "Berganti Nama" in client.get(url).content.decode()


def test_a_page_whose_rendering_took_a_real_token_is_not_cached(rf, camat, monkeypatch):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import get_token

    calls = []

    def render(template, context, request):
        calls.append(template)
        return f"<p>{get_token(request)}</p>"  # e.g. a tag that asks Django for the token

    monkeypatch.setattr(caching, "render_to_string", render)

    def request():
        req = RequestFactory().get("/contoh/")
        req.user = camat
        req.session = SessionStore()
        req._messages = FallbackStorage(req)
        return req

    first = caching.render_cached(request(), "contoh.html", {}, ("m",))
    second = caching.render_cached(request(), "contoh.html", {}, ("m",))
    assert calls == ["contoh.html", "contoh.html"]  # rendered twice: never cached
    assert first.content != second.content


def test_messages_are_counted_without_being_consumed(rf, camat):
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    req = rf.get("/")
    req.session = SessionStore()
    req._messages = FallbackStorage(req)
    messages.info(req, "Halo")
    assert len(get_messages(req)) == 1
    assert [str(m) for m in get_messages(req)] == ["Halo"]


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "musrenbang_cache",
        },
    }
    from django.core.cache import caches

    yield caches["shared"]
    caches["shared"].clear()


def test_a_second_process_takes_the_page_from_the_shared_layer(
    as_user, camat, forum, shared_cache, monkeypatch
):
    client = as_user(camat)
    url = reverse("forum:detail", args=[forum.pk])
    first = client.get(url).content.decode()
    cache.clear()  # another server process: its own cache is empty
    rendered = []
    real = caching.render_to_string
    monkeypatch.setattr(
        caching, "render_to_string", lambda *a, **k: rendered.append(a) or real(*a, **k)
    )
    again = client.get(url).content.decode()
    assert rendered == []  # served from the shared layer, not rendered again
    assert _token(first) != _token(again) or "csrfmiddlewaretoken" not in first
    forum.venue = "Gedung Serbaguna"
    forum.save()
    assert "Gedung Serbaguna" in client.get(url).content.decode()
    assert len(rendered) == 1
