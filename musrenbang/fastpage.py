"""Answer a staff page that nothing has changed with one query (``FastPageMiddleware``).

The pages of the forum day are kept per user by ``render_cached``. Even a hit costs the full
request: the session and the user read through the ORM, the view's own rows, its permission
checks. Most of a forum day's requests are such hits. This middleware answers them with one SQL
statement when **all** of these hold, and otherwise lets the request through untouched:

- the browser session (its cookie) got this very page (path and query) from the full view less
  than ``FAST_PAGE_SECONDS`` ago: the view then checked the permission and the page went into
  the cache (an *entry*, kept per process, says which page);
- the session still exists, has not expired, still belongs to the same user with the same
  authentication hash, and has no message waiting;
- the fingerprint of the viewer (every column of the user row and of its places) and of the page
  (every column of the rows the page shows and its permission reads, as registered with
  ``@fast_page``) is the one taken *before* the full view read anything. A change in between
  only costs a miss, never serves an older page.

Placed last in ``MIDDLEWARE``: the security, CSRF, clickjacking and CSP middlewares run as for
every response; the CSRF token is this request's own. Never for POST, htmx requests or anonymous
visitors. ``FAST_PAGE_SECONDS=0`` turns it off.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from musrenbang.caching import (
    CSRF_PLACEHOLDER,
    PAGE_SECONDS,
    cache_get,
    fragment_key,
    view_marked,
)
from musrenbang.db import execute_prepared

Parts = list[tuple[str, list]]


def fast_page(fingerprint: Callable[..., Parts | None]) -> Callable:
    """Let ``FastPageMiddleware`` answer this view's cached page.

    ``fingerprint(request, **url_kwargs)`` returns scalar SQL expressions (with params) whose
    values change whenever the page or its permission check may come out differently (besides
    the viewer, which is added), or None when it cannot tell (then the view always runs).
    """

    def decorate(view: Callable) -> Callable:
        view.fast_page_fingerprint = fingerprint
        return view

    return decorate


FINGERPRINTS: dict[str, list[Callable]] = {}


def register_fingerprint(page: str, func: Callable[..., Parts]) -> None:
    """A higher app that draws part of ``page`` (a template tag) adds the SQL of what it shows."""
    funcs = FINGERPRINTS.setdefault(page, [])
    if func not in funcs:
        funcs.append(func)


def registered_parts(page: str, **kwargs) -> Parts:
    return [part for func in FINGERPRINTS.get(page, []) for part in func(**kwargs)]


def row_md5(table: str, where: str) -> str:
    """SQL of the md5 of every column of the rows of ``table`` matching ``where``."""
    return (
        f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t"  # noqa: S608
        f" WHERE {where}"
    )


def _viewer_part(user_id: int) -> tuple[str, list]:
    from musrenbang.models import Agency, Regency, Subdistrict, User, Village

    u, r, s = User._meta.db_table, Regency._meta.db_table, Subdistrict._meta.db_table
    v, a = Village._meta.db_table, Agency._meta.db_table
    sql = (
        f"SELECT md5(u::text || coalesce(r::text, '') || coalesce(s::text, '')"  # noqa: S608
        f" || coalesce(v::text, '') || coalesce(a::text, '')) FROM {u} u"
        f" LEFT JOIN {r} r ON r.id = u.regency_id LEFT JOIN {s} s ON s.id = u.subdistrict_id"
        f" LEFT JOIN {v} v ON v.id = u.village_id LEFT JOIN {a} a ON a.id = u.agency_id"
        " WHERE u.id = %s AND u.is_active"
    )
    return sql, [user_id]


def _query(session_key: str, parts: Parts) -> tuple | None:
    """Read the session row and every fingerprint part in one statement (None: no session)."""
    table = SessionStore.get_model_class()._meta.db_table
    columns = "".join(f", ({sql})" for sql, _params in parts)
    sql = (
        f"SELECT s.session_data{columns} FROM {table} s"  # noqa: S608
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )
    params = [p for _sql, part_params in parts for p in part_params]
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, [*params, session_key, timezone.now()])
        return cursor.fetchone()


def _entry_key(session_key: str, full_path: str) -> str:
    return fragment_key("fast-entry", session_key, full_path)


class FastPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.FAST_PAGE_SECONDS
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if (
            seconds <= 0
            or request.method != "GET"
            or not session_key
            or len(session_key) > 64
            or not session_key.isalnum()
            or "HTTP_HX_REQUEST" in request.META
            or request.COOKIES.get("messages")  # a message waits in its cookie
        ):
            return self.get_response(request)
        found = view_marked(request.path_info, "fast_page_fingerprint")
        if found is None:
            return self.get_response(request)
        view, kwargs = found
        parts = view.fast_page_fingerprint(request, **kwargs)
        if parts is None:
            return self.get_response(request)
        key = _entry_key(session_key, request.get_full_path())
        entry = cache.get(key)
        if entry is not None and time.time() - entry["issued"] <= seconds:
            response = _answer(request, session_key, entry, parts)
            if response is not None:
                return response
        return self._full(request, session_key, key, parts, seconds)

    def _full(self, request, session_key: str, key: str, parts: Parts, seconds: int):
        """Run the view; keep an entry when it served a cached page to this session's user,
        with the fingerprint taken before the view read anything."""
        session = _session(session_key)
        taken = None
        if session is not None and session.get(SESSION_KEY):
            row = _query(session_key, [_viewer_part(int(session[SESSION_KEY])), *parts])
            taken = None if row is None else row[1:]
        response = self.get_response(request)
        page_key = getattr(request, "_cached_page_key", None)
        user = getattr(request, "user", None)
        if (
            taken is not None
            and page_key
            and response.status_code == 200
            and user is not None
            and user.is_authenticated
            and str(user.pk) == str(session[SESSION_KEY])
        ):
            entry = {
                "user": str(user.pk),
                "hash": session.get(HASH_SESSION_KEY),
                "fingerprint": taken,
                "page": page_key,
                "issued": time.time(),
            }
            cache.set(key, entry, seconds)
        return response


def _session(session_key: str) -> dict | None:
    row = _query(session_key, [])
    return None if row is None else SessionStore(session_key).decode(row[0])


def _answer(request, session_key: str, entry: dict, parts: Parts) -> HttpResponse | None:
    row = _query(session_key, [_viewer_part(int(entry["user"])), *parts])
    if row is None or tuple(row[1:]) != tuple(entry["fingerprint"]) or row[1] is None:
        return None
    data = SessionStore(session_key).decode(row[0])
    if (
        str(data.get(SESSION_KEY)) != entry["user"]
        or data.get(HASH_SESSION_KEY) != entry["hash"]
        or data.get("_messages")
    ):
        return None
    html = cache_get(entry["page"], PAGE_SECONDS)
    if html is None:
        return None
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    patch_vary_headers(response, ("Cookie",))
    return response
