"""Helpers shared by the forum views: fetching a forum with a permission, running a service."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from musrenbang.access import get_for_user, require_perm
from musrenbang.exceptions import DomainError
from sessions import selectors
from sessions.models import Forum


def get_forum(request: HttpRequest, pk: int, perm: str = "forum.view_forum") -> Forum:
    """Return the forum (404 if missing) after checking ``perm`` (403 if refused)."""
    forum = get_for_user(request.user, "forum.view_forum", selectors.forums_for_all(), pk=pk)
    if perm != "forum.view_forum":
        require_perm(request.user, perm, forum)
    return forum


def run(request: HttpRequest, service: Callable, success: str | None = None, **kwargs):
    """Call a service as the current user; show its error or ``success`` as a message.

    Return the service's result, or None when it refused.
    """
    try:
        result = service(actor=request.user, **kwargs)
    except DomainError as error:
        messages.error(request, str(error))
        for line in getattr(error, "errors", [])[:20]:
            messages.error(request, line)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def context(forum: Forum, request: HttpRequest, tab: str, **extra) -> dict:
    user = request.user
    return {
        "forum": forum,
        "tab": tab,
        "can_record": user.has_perm("forum.record_forum", forum),
        "can_lead": user.has_perm("forum.lead_forum", forum),
        **extra,
    }
