"""Builders for scoring tests (on top of ``tests.factories``)."""

from scoring.models import Result, Score
from sessions.models import Forum
from tests import factories as f
from tests.forums import send


def running_forum(subdistrict, **kwargs) -> Forum:
    return f.ForumFactory(subdistrict=subdistrict, state=Forum.State.RUNNING, **kwargs)


def forum_with_items(subdistrict, *, items: int = 3, criteria=(1, 1), **kwargs):
    """Return (forum, items, criteria): a running forum with proposals and weighted criteria."""
    forum = running_forum(subdistrict, **kwargs)
    crits = [f.CriterionFactory(forum=forum, weight=w, order=i) for i, w in enumerate(criteria)]
    rows = [f.ForumItemFactory(forum=forum) for _ in range(items)]
    return forum, rows, crits


def score_all(items, criteria, scorer, value=3) -> None:
    """Give every cell of ``scorer``'s sheet ``value`` (or ``value(item, criterion)``)."""
    Score.objects.bulk_create(
        Score(
            item=item,
            criterion=c,
            scorer=scorer,
            value=value(item, c) if callable(value) else value,
        )
        for item in items
        for c in criteria
    )


def sent_forum(subdistrict, *, agency, items: int = 2) -> Forum:
    """A forum whose items are decided priorities of ``agency``, sent through the services."""
    forum, rows, _crits = forum_with_items(subdistrict, items=items)
    for rank, item in enumerate(rows, 1):
        Result.objects.create(
            item=item,
            rank=rank,
            computed_rank=rank,
            decision=Result.Decision.PRIORITY,
            responsible_agency=agency,
        )
    return send(forum)
