"""The projector view: full screen, read only, refreshing itself every few seconds."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from musrenbang import params
from musrenbang.caching import conditional, etag
from sessions import selectors
from sessions.forms import ProjectorParams
from sessions.views._common import get_forum


def _projector_context(request: HttpRequest, forum) -> dict:
    items = selectors.agenda(forum)
    current = selectors.current_agenda_item(items)
    commission_list = selectors.commissions_with_items(forum)
    chosen = params.read(request, ProjectorParams, quiet=True)["komisi"]
    commission = next((c for c in commission_list if c.pk == chosen), None)
    return {
        "forum": forum,
        "current_item": current,
        "next_item": selectors.next_agenda_item(items),
        "remaining": selectors.remaining_seconds(current),
        "remaining_text": selectors.format_seconds(selectors.remaining_seconds(current)),
        "counts": selectors.attendance_counts(forum),
        "commissions": commission_list,
        "commission": commission,
        "chosen": str(chosen or ""),
        "delegates": selectors.delegates_by_body(forum),
    }


def projector(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk)
    return render(request, "forum/projector.html", _projector_context(request, forum))


def projector_body(request: HttpRequest, pk: int) -> HttpResponse:
    """The part the projector polls: 304 while the forum's version is unchanged.

    The countdown is kept by the browser (``projector.js``) from the last body it swapped in,
    so an unchanged body needs no new render.
    """
    forum = get_forum(request, pk)
    return conditional(
        request,
        etag(request, "layar", forum.pk, forum.version),
        lambda: render(request, "forum/_projector_body.html", _projector_context(request, forum)),
    )
