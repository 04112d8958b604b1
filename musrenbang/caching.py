"""Conditional GET and fragment caching by a version key.

A page that polls (the projector, ``/lacak/``) computes a cheap ETag from version marks read in
one query (``sessions.versions``) before it renders anything; an unchanged poll answers
``304 Not Modified`` without rendering. The ETag includes the user (a browser shared by two
people never gets the other's page) and the full path (query string included).

Fragments that are the same for everyone allowed to see them are cached under a key built from
the same version marks, in Django's cache (``CACHES``: per process by default; the database
cache table or Redis are a setting, not a code change). Per-user parts (the CSRF token) are put
in after the cache with a placeholder, so no user's token reaches another.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.safestring import SafeString, mark_safe

CSRF_PLACEHOLDER = "__csrf_token_of_this_request__"
FRAGMENT_SECONDS = 3600


def etag(request: HttpRequest, *marks) -> str:
    """Return a strong ETag for this user, path and version marks."""
    user_id = request.user.pk if request.user.is_authenticated else 0
    raw = "|".join(str(m) for m in (request.get_full_path(), user_id, *marks))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def conditional(request: HttpRequest, tag: str, render: Callable[[], HttpResponse]):
    """Answer 304 when the client holds ``tag``; otherwise render, both with the ETag.

    ``no-cache``: the browser keeps the page but asks every time, so a change shows on the next
    poll; ``private``: no shared proxy keeps a page that may be a logged-in user's.
    """
    response = get_conditional_response(request, etag=tag)
    if response is None:
        response = render()
    if response.status_code in (200, 304):
        response["ETag"] = tag
        response["Cache-Control"] = "private, no-cache"
    return response


def fragment_key(name: str, *marks) -> str:
    raw = "|".join(str(m) for m in marks)
    return f"fragment:{name}:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def cached_fragment(request: HttpRequest, name: str, marks: tuple, render: Callable[[], str]):
    """Return the fragment cached under ``marks`` (rendered by ``render`` when missing).

    ``render`` must write ``CSRF_PLACEHOLDER`` wherever a CSRF token goes (the template gets it
    as ``csrf_token``); this request's token is put in on the way out.
    """
    key = fragment_key(name, *marks)
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, FRAGMENT_SECONDS)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our own templates with autoescape


__all__ = ["SafeString", "cached_fragment", "conditional", "etag"]
