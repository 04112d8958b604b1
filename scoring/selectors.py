"""Reads of the scoring app, each a constant number of queries whatever the forum's size."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Q, QuerySet

from musrenbang.models import Agency, DevelopmentPriority, Role, User
from scoring.models import Criterion, Result, Score, Scorer, ScoringEvent
from scoring.services import ceiling_amount, ranking_key, scorer_ids
from sessions.models import Commission, Forum, ForumItem

TIE_BREAK_LABELS = [
    "prioritas desa",
    "biaya lebih rendah",
    "nomor usulan",
]


def forums() -> QuerySet[Forum]:
    return Forum.objects.select_related("subdistrict__regency", "sent_by")


def criteria_of(forum: Forum) -> list[Criterion]:
    return list(forum.criteria.order_by("order", "id"))


def commissions_of(forum: Forum) -> list[Commission]:
    return list(forum.commissions.order_by("order", "id"))


def _items(forum: Forum, commission_id: int | None) -> QuerySet[ForumItem]:
    qs = forum.items.select_related(
        "proposal__village", "proposal__development_priority", "proposal__sector", "commission"
    )
    if commission_id:
        qs = qs.filter(commission_id=commission_id)
    return qs.order_by(
        "commission__order", "commission_id", "commission_rank", "proposal__reference"
    )


def sheet(*, forum: Forum, user: User, commission_id: int | None = None) -> dict:
    """Return one scorer's sheet: rows of proposals with their cells, and the criteria."""
    criteria = criteria_of(forum)
    items = list(_items(forum, commission_id))
    values = {
        (item_id, criterion_id): value
        for item_id, criterion_id, value in Score.objects.filter(
            criterion__forum=forum, scorer=user
        ).values_list("item_id", "criterion_id", "value")
    }
    rows = [
        {
            "item": item,
            "cells": [{"criterion": c, "value": values.get((item.pk, c.pk))} for c in criteria],
        }
        for item in items
    ]
    done = sum(1 for row in rows for cell in row["cells"] if cell["value"] is not None)
    return {
        "criteria": criteria,
        "rows": rows,
        "done": done,
        "total": len(rows) * len(criteria),
    }


def development_priorities(forum: Forum) -> list[DevelopmentPriority]:
    return list(DevelopmentPriority.objects.filter(regency_id=forum.subdistrict.regency_id))


def agencies(forum: Forum) -> list[Agency]:
    return list(
        Agency.objects.filter(regency_id=forum.subdistrict.regency_id, is_active=True).order_by(
            "abbreviation"
        )
    )


def scorers_of(forum: Forum) -> list[Scorer]:
    return list(forum.scorers.select_related("user").order_by("user__first_name"))


def candidate_scorers(forum: Forum) -> list[User]:
    return list(
        User.objects.filter(
            subdistrict_id=forum.subdistrict_id,
            role__in=[Role.CAMAT, Role.STAFF],
            is_active=True,
        )
        .exclude(pk__in=forum.scorers.values("user_id"))
        .order_by("first_name")
    )


def events_of(forum: Forum, limit: int = 20) -> list[ScoringEvent]:
    return list(forum.scoring_events.select_related("actor", "item__proposal")[:limit])


def _tie_break(row: dict, neighbour: dict | None) -> str:
    """Explain which key separated a row from a neighbour with the same total."""
    if neighbour is None or neighbour["total"] != row["total"]:
        return ""
    for label, a, b in zip(TIE_BREAK_LABELS, row["key"][1:], neighbour["key"][1:], strict=True):
        if a != b:
            return f"Nilai sama; diurutkan menurut {label}."
    return ""


def ranking(*, forum: Forum, commission_id: int | None = None) -> dict:
    """Return the Hasil Skoring: ranked rows with per-criterion scores and the ceiling.

    Queries: criteria, results (with proposal, desa, commission, OPD, priority), one aggregate
    for the per-criterion averages, the scorers, the ceiling.
    """
    criteria = criteria_of(forum)
    results = list(
        Result.objects.filter(item__forum=forum)
        .select_related(
            "item__proposal__village",
            "item__proposal__development_priority",
            "item__proposal__suggested_agency",
            "item__commission",
            "responsible_agency",
        )
        .order_by("rank", "pk")
    )
    ids = scorer_ids(forum=forum)
    averages = defaultdict(dict)
    for row in (
        Score.objects.filter(criterion__forum=forum, scorer_id__in=ids)
        .values("item_id", "criterion_id")
        .annotate(avg=Avg("value"))
        .order_by()
    ):
        averages[row["item_id"]][row["criterion_id"]] = Decimal(str(row["avg"])).quantize(
            Decimal("0.01")
        )
    ceiling = ceiling_amount(forum=forum)
    rows, running, priority_total = [], 0, 0
    for result in results:
        proposal = result.item.proposal
        cost = proposal.effective_cost
        running += cost
        if result.decision == Result.Decision.PRIORITY:
            priority_total += cost
        rows.append(
            {
                "result": result,
                "item": result.item,
                "proposal": proposal,
                "cost": cost,
                "running": running,
                "remaining": None if ceiling is None else ceiling - running,
                "scores": [averages[result.item_id].get(c.pk) for c in criteria],
                "total": result.total,
                "key": ranking_key(
                    total=result.total,
                    village_rank=proposal.village_rank,
                    cost=cost,
                    reference=proposal.reference,
                ),
            }
        )
    for i, row in enumerate(rows):
        before = rows[i - 1] if i > 0 else None
        after = rows[i + 1] if i + 1 < len(rows) else None
        row["tie_break"] = _tie_break(row, before) or _tie_break(row, after)
    if commission_id:
        rows = [r for r in rows if r["item"].commission_id == commission_id]
    decided = sum(1 for r in results if r.decision)
    return {
        "criteria": criteria,
        "rows": rows,
        "ceiling": ceiling,
        "priority_total": priority_total,
        "priority_remaining": None if ceiling is None else ceiling - priority_total,
        "decided": decided,
        "count": len(results),
        "computed_at": max((r.computed_at for r in results if r.computed_at), default=None),
    }


def agency_priorities(*, user: User) -> QuerySet[Result]:
    """Priorities of SENT forums the user may read: OPD -> its agency; Bappeda -> its kabupaten."""
    qs = Result.objects.filter(
        decision=Result.Decision.PRIORITY, item__forum__state=Forum.State.SENT
    ).select_related(
        "item__forum__subdistrict",
        "item__proposal__village",
        "item__proposal__development_priority",
        "responsible_agency",
    )
    if user.is_superuser:
        pass
    elif user.role == Role.OPD:
        qs = qs.filter(responsible_agency_id=user.agency_id)
    elif user.role == Role.BAPPEDA:
        qs = qs.filter(item__forum__subdistrict__regency_id=user.regency_id)
    else:
        return qs.none()
    return qs.order_by("-item__forum__year", "item__forum__subdistrict__name", "rank")


def filter_agency_priorities(
    qs: QuerySet[Result], *, subdistrict: str = "", year: str = "", search: str = ""
) -> QuerySet[Result]:
    if subdistrict:
        qs = qs.filter(item__forum__subdistrict__code=subdistrict)
    if year and year.isdigit():
        qs = qs.filter(item__forum__year=int(year))
    if search:
        qs = qs.filter(
            Q(item__proposal__title__icontains=search)
            | Q(item__proposal__reference__icontains=search)
        )
    return qs
