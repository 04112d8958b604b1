"""Helpers shared by the scoring pages: the forum or result with a permission, page flags."""

from django.http import HttpRequest

from musrenbang.access import get_for_user
from scoring import selectors, services
from scoring.models import Result
from sessions.models import Forum

VIEW, MANAGE, SCORE = "scoring.view_forum", "scoring.manage_forum", "scoring.score_forum"


def get_forum(request: HttpRequest, pk: int, perm: str = VIEW) -> Forum:
    """Return the forum (404 if missing or not visible) after checking ``perm`` (403)."""
    return get_for_user(request.user, perm, selectors.forums(), pk=pk)


def get_result(request: HttpRequest, pk: int) -> Result:
    """Return a result of a forum the user manages (404 / 403 otherwise)."""
    qs = Result.objects.select_related("item__forum__subdistrict__regency", "item__proposal")
    return get_for_user(request.user, MANAGE, qs, pk=pk)


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("halaman", None)
    return query.urlencode()


def page_context(request: HttpRequest, forum: Forum) -> dict:
    """The flags every scoring page shows its controls by."""
    user = request.user
    can_manage = user.has_perm(MANAGE, forum)
    return {
        "forum": forum,
        "can_manage": can_manage,
        "can_edit": can_manage and not forum.is_locked,
        "can_score": user.has_perm(SCORE, forum)
        and forum.is_running
        and services.can_score(forum=forum, user=user),
    }
