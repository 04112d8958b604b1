"""The projector view: full screen, read only, refreshing itself every few seconds."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from musrenbang import params
from musrenbang.caching import conditional, poll
from sessions import selectors
from sessions.forms import ProjectorParams
from sessions.versions import SHOWN_WITHOUT_SCORES, poll_marks, poll_marks_reader
from sessions.views._common import get_forum


def _projector_context(request: HttpRequest, forum) -> dict:
    """The agenda and the door's counts, read for every render; the commissions' lists lazily:
    the body caches them under the forum's ``version`` (``list_version``), which the door and
    the scores leave alone, so a body made new by an attendance mark does not read them."""
    items = selectors.agenda(forum)
    current = selectors.current_agenda_item(items)
    commission_list = SimpleLazyObject(lambda: selectors.commissions_with_top_items(forum))
    chosen = params.read(request, ProjectorParams, quiet=True)["komisi"]
    return {
        "forum": forum,
        "current_item": current,
        "next_item": selectors.next_agenda_item(items),
        "remaining": selectors.remaining_seconds(current),
        "remaining_text": selectors.format_seconds(selectors.remaining_seconds(current)),
        "counts": selectors.attendance_counts(forum),
        "commissions": commission_list,
        "commission": SimpleLazyObject(
            lambda: next((c for c in commission_list if c.pk == chosen), None)
        ),
        "chosen": str(chosen or ""),
        "list_version": (forum.pk, forum.version, chosen),
    }


def projector(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk)
    return render(request, "forum/projector.html", _projector_context(request, forum))


@poll(poll_marks_reader("layar", SHOWN_WITHOUT_SCORES), public=False)
def projector_body(request: HttpRequest, pk: int) -> HttpResponse:
    """The part the projector polls: 304 while the forum's version is unchanged.

    The projector needs a logged-in reader of the forum: an unchanged poll is answered by
    ``PollMiddleware`` (one query, no session) only within ``POLL_REAUTH_SECONDS`` of the last
    answer of this view, which checked the permission. The countdown is kept by the browser
    (``projector.js``) from the last body it swapped in, so an unchanged body needs no render.
    """
    forum = get_forum(request, pk)
    return conditional(
        request,
        poll_marks("layar", forum, SHOWN_WITHOUT_SCORES),
        lambda: render(request, "forum/_projector_body.html", _projector_context(request, forum)),
    )
