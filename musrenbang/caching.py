"""Conditional GET and fragment caching by a version key.

A page that polls (the projector, ``/lacak/``, the door's counts) computes its version marks in
one query (``sessions.versions``, ``proposals.selectors.tracking_marks``); an unchanged poll
answers ``304 Not Modified`` without rendering.

The ETag is signed (HMAC with ``SECRET_KEY``) over the full path, the marks, the time it was
issued and the session cookie (who the client is). So a poll can be answered
*before* the session, the user and the messages are loaded (``PollMiddleware``): a valid tag
proves that this browser session got this very page, at these marks, from the full view, and
nobody can make one for a page they were not given. A browser shared by two people never gets
the other's page (another session cookie, another tag).

Views whose body is the same for everyone (``public=True``: ``/lacak/``) answer from the
middleware for as long as the marks hold. Views behind a permission (the projector, the door's
counts) answer from the middleware only within ``POLL_REAUTH_SECONDS`` of the tag's issue; after
that the poll goes through the full view, which checks the user's permission again and answers
304 with a fresh tag (or 403 when the permission was withdrawn).

Whole pages of the forum day (``render_cached``) are cached per user: the key carries the
viewer (every stored value of the user row and its places, the menu it is shown), the full path
and the view's marks (the forum's version, the dashboard's figures, every value of the rows the
view read), so a page is only ever served to the user it was rendered for, and only while
nothing it shows has changed. The view still runs its permission check on every request; a hit
skips the rendering, which is most of a page's cost.

Fragments that are the same for everyone allowed to see them are cached under a key built from
the same version marks, in Django's cache (``CACHES``: per process by default;
``CACHE_SHARED=db`` adds the database as a second layer every process and server reads when its
own copy is missing: a setting, not a code change). Per-user parts (the CSRF token) are put
in after the cache with a placeholder, so no user's token reaches another.
"""

import hashlib
import time
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import parse_etags
from django.utils.safestring import SafeString, mark_safe

CSRF_PLACEHOLDER = "__csrf_token_of_this_request__"
FRAGMENT_SECONDS = 3600
# A whole page also shows what no mark covers to the second (e.g. "x menit yang lalu"): kept
# for two minutes at most.
PAGE_SECONDS = 120
CACHE_CONTROL = "private, no-cache"


def poll(marks: Callable[..., tuple | None], *, public: bool) -> Callable:
    """Register a polled view: ``marks(**url_kwargs)`` reads its version marks (one query).

    The view itself answers through ``conditional`` with the same marks; ``public`` says its
    body is the same for everyone who may ask (no permission behind it).
    """

    def decorate(view: Callable) -> Callable:
        view.poll_marks = marks
        view.poll_public = public
        return view

    return decorate


def _mac(request: HttpRequest, marks: tuple, issued: int) -> str:
    # The session cookie says who the client is (login and logout change it; the CSRF secret
    # rotates only at login, so it needs no place here and a poller without cookies still
    # matches a page that set the CSRF cookie).
    parts = (
        request.get_full_path(),
        request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
        issued,
        *marks,
    )
    raw = "\x1f".join(str(part) for part in parts)
    return salted_hmac("musrenbang.caching.poll", raw, algorithm="sha256").hexdigest()[:32]


def etag(request: HttpRequest, marks: tuple) -> str:
    """Return a new signed ETag for this request's path, cookies and ``marks``."""
    issued = int(time.time())
    return f'"{issued:x}.{_mac(request, marks, issued)}"'


def _held_tag(request: HttpRequest, marks: tuple, max_age: int | None) -> str | None:
    """Return the client's If-None-Match tag that is ours for ``marks`` (None if none is)."""
    for tag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))[:5]:
        issued_hex, _, mac = tag.strip('"').partition(".")
        try:
            issued = int(issued_hex, 16)
        except ValueError:
            continue
        if max_age is not None and not -60 <= time.time() - issued <= max_age:
            continue
        if constant_time_compare(mac, _mac(request, marks, issued)):
            return tag
    return None


def _not_modified(tag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = tag
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Cookie"
    return response


def conditional(request: HttpRequest, marks: tuple, render: Callable[[], HttpResponse]):
    """Answer 304 when the client holds a tag of ``marks``; otherwise render; both tagged.

    Called by the view after its permission check, so a tag of any age is honoured here (and
    renewed). ``no-cache``: the browser keeps the page but asks every time, so a change shows on
    the next poll; ``private``: no shared proxy keeps a page that may be a logged-in user's.
    """
    if request.method in ("GET", "HEAD") and _held_tag(request, marks, max_age=None):
        return _not_modified(etag(request, marks))
    response = render()
    if response.status_code == 200:
        response["ETag"] = etag(request, marks)
        response["Cache-Control"] = CACHE_CONTROL
    return response


@lru_cache(maxsize=4096)
def view_marked(path: str, attribute: str) -> tuple[Callable, dict] | None:
    """Return the view of ``path`` and its URL arguments when the view carries ``attribute``
    (set by ``@poll`` or ``@fast_page``), else None.

    Cached: the URL patterns do not change while the process runs, and a poller asks for the
    same path again and again.
    """
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if getattr(match.func, attribute, None) is None:
        return None
    return match.func, match.kwargs


class PollMiddleware:
    """Answer an unchanged poll with 304 before the session, the user and the messages load.

    Placed before ``SessionMiddleware``: only a GET with ``If-None-Match`` for a view registered
    with ``@poll`` is looked at; it costs the URL match and the view's one query of marks. A tag
    that does not hold (changed marks, another session, too old for a non-public view) goes on
    to the full view, which checks permissions as always.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and "HTTP_IF_NONE_MATCH" in request.META:
            response = self._answer(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _answer(request: HttpRequest) -> HttpResponse | None:
        polled = view_marked(request.path_info, "poll_marks")
        if polled is None:
            return None
        view, kwargs = polled
        max_age = None if view.poll_public else settings.POLL_REAUTH_SECONDS
        if max_age is not None and max_age <= 0:
            return None
        marks = view.poll_marks(**kwargs)
        tag = _held_tag(request, marks, max_age=max_age) if marks is not None else None
        return _not_modified(tag) if tag is not None else None


def fragment_key(name: str, *marks) -> str:
    raw = "|".join(str(m) for m in marks)
    return f"fragment:{name}:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def cached_fragment(request: HttpRequest, name: str, marks: tuple, render: Callable[[], str]):
    """Return the fragment cached under ``marks`` (rendered by ``render`` when missing).

    ``render`` must write ``CSRF_PLACEHOLDER`` wherever a CSRF token goes (the template gets it
    as ``csrf_token``); this request's token is put in on the way out.
    """
    key = fragment_key(name, *marks)
    html = cache_get(key, FRAGMENT_SECONDS)
    if html is None:
        html = str(render())
        cache_set(key, html, FRAGMENT_SECONDS)
    if CSRF_PLACEHOLDER in html and not getattr(request, "_rendering_cached_page", False):
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our own templates with autoescape


def _shared_cache():
    """The deployment-wide layer (``CACHE_SHARED=db``), or None."""
    return caches["shared"] if "shared" in settings.CACHES else None


def cache_get(key: str, seconds: int) -> str | None:
    """This process's copy, else the shared layer's (then kept here too). A key names its
    content for good (it is built from the marks), so a copy is never stale."""
    html = cache.get(key)
    if html is None and (shared := _shared_cache()) is not None:
        html = shared.get(key)
        if html is not None:
            cache.set(key, html, seconds)
    return html


def cache_set(key: str, html: str, seconds: int) -> None:
    cache.set(key, html, seconds)
    if (shared := _shared_cache()) is not None:
        shared.set(key, html, seconds)


def instance_marks(*objects) -> tuple:
    """Every stored value of these model instances (lists of them too; None stays None).

    A page that shows rows the view has already read is stale as soon as any of their values
    changed: hashing the values themselves needs no query and misses no field.
    """
    marks: list = []
    for obj in objects:
        if obj is None:
            marks.append(None)
        elif isinstance(obj, list | tuple):
            marks.append(instance_marks(*obj))
        else:
            fields = obj._meta.concrete_fields
            marks.append((obj._meta.label, *(getattr(obj, f.attname) for f in fields)))
    return tuple(marks)


def viewer_marks(request: HttpRequest) -> tuple:
    """Who looks, as far as a page can show it: the user row and its places (loaded with the
    user, no query), and the menu the rule book gives them on this path."""
    from musrenbang.context_processors import navigation  # the menu registry loads late

    user = request.user
    nav = navigation(request)
    items = tuple((item["label"], item["url"], item["active"]) for item in nav["nav_items"])
    places = (user.regency, user.subdistrict, user.village, user.agency)
    return (*instance_marks(user, *places), nav.get("role_label"), items)


def render_cached(
    request: HttpRequest, template: str, context: dict | Callable[[], dict], marks: tuple | None
) -> HttpResponse:
    """Render ``template`` like ``render``, or answer this user's page cached under ``marks``.

    ``marks`` must cover everything the page shows beyond the viewer and the path (None: do not
    cache). Not cached: other methods than GET, anonymous users, and a request with messages
    waiting (they are shown once). The CSRF token is put in per request, as in fragments.
    ``context`` may be a function: it then runs only when the page is rendered.
    """
    read = context if callable(context) else (lambda: context)
    if (
        marks is None
        or request.method != "GET"
        or not request.user.is_authenticated
        or len(get_messages(request))
    ):
        return render(request, template, read())
    key = fragment_key(
        f"page:{template}",
        *viewer_marks(request),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        *marks,
    )
    html = cache_get(key, PAGE_SECONDS)
    if html is None:
        html, token_inside = _render_for_cache(request, template, read())
        if token_inside:  # some tag asked for a real token: this page is not cacheable
            return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
        cache_set(key, html, PAGE_SECONDS)
    request._cached_page_key = key  # what FastPageMiddleware may answer next time
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _render_for_cache(request: HttpRequest, template: str, context: dict) -> tuple[str, bool]:
    """Render with the CSRF placeholder; say whether anything took a real token meanwhile
    (``get_token`` marks the cookie for update), which must never be cached."""
    before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    request._rendering_cached_page = True
    try:
        html = render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)
    finally:
        request._rendering_cached_page = False
        token_inside = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = bool(before) or token_inside
    return html, token_inside


__all__ = [
    "PollMiddleware",
    "SafeString",
    "cached_fragment",
    "conditional",
    "etag",
    "instance_marks",
    "poll",
    "render_cached",
]
