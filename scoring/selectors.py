"""Reads of the scoring app, each a constant number of queries whatever the forum's size."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from musrenbang.models import Agency, DevelopmentPriority, Role, User
from scoring.models import Criterion, Result, Score, Scorer
from scoring.services import ceiling_amount, ranking_key, results_stale
from sessions.models import Commission, Forum, ForumEvent, ForumItem

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


def _items(forum: Forum, commission_id: int | None, search: str = "") -> QuerySet[ForumItem]:
    qs = forum.items.select_related(
        "proposal__village", "proposal__development_priority", "proposal__sector", "commission"
    )
    if commission_id:
        qs = qs.filter(commission_id=commission_id)
    if search:
        qs = qs.filter(
            Q(proposal__title__icontains=search)
            | Q(proposal__reference__icontains=search)
            | Q(proposal__village__name__icontains=search)
        )
    return qs.order_by(
        "commission__order", "commission_id", "commission_rank", "proposal__reference"
    )


def sheet(
    *,
    forum: Forum,
    user: User,
    commission_id: int | None = None,
    search: str = "",
    page: int | str | None = 1,
    per_page: int = 50,
) -> dict:
    """Return one page of a scorer's sheet: proposals with their cells, and the criteria."""
    criteria = criteria_of(forum)
    page_obj = Paginator(_items(forum, commission_id, search), per_page).get_page(page)
    items = list(page_obj.object_list)
    values = {
        (item_id, criterion_id): value
        for item_id, criterion_id, value in Score.objects.filter(
            item__in=items, criterion__forum=forum, scorer=user
        ).values_list("item_id", "criterion_id", "value")
    }
    rows = [
        {
            "item": item,
            "cells": [{"criterion": c, "value": values.get((item.pk, c.pk))} for c in criteria],
        }
        for item in items
    ]
    return {"criteria": criteria, "rows": rows, "page": page_obj}


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


SCORING_ACTIONS = (
    ForumEvent.Action.CRITERIA,
    ForumEvent.Action.SCORER,
    ForumEvent.Action.COMPUTE,
    ForumEvent.Action.DECIDE,
    ForumEvent.Action.UNDO,
    ForumEvent.Action.AGENCY,
    ForumEvent.Action.OVERRIDE,
    ForumEvent.Action.PRIORITY,
    ForumEvent.Action.SEND,
)


def events_of(forum: Forum, limit: int = 20) -> list[ForumEvent]:
    """Return the forum's latest scoring steps from its one log."""
    events = forum.events.filter(action__in=SCORING_ACTIONS)
    return list(events.select_related("actor", "item__proposal")[:limit])


def _tie_break(row: dict, neighbour: dict | None) -> str:
    """Explain which key separated a row from a neighbour with the same total."""
    if neighbour is None or neighbour["total"] != row["total"]:
        return ""
    for label, a, b in zip(TIE_BREAK_LABELS, row["key"][1:], neighbour["key"][1:], strict=True):
        if a != b:
            return f"Nilai sama; diurutkan menurut {label}."
    return ""


def ranking(
    *,
    forum: Forum,
    commission_id: int | None = None,
    page: int | str | None = 1,
    per_page: int | None = None,
) -> dict:
    """Return the Hasil Skoring: ranked rows with per-criterion scores and the ceiling.

    The running totals, tie-break notes and ceiling figures come from one narrow query over
    every result; full rows (proposal, desa, commission, OPD, priority) and the per-criterion
    averages (of the last Hitung) are read only for the rows shown (``per_page`` None: all of
    them). Queries: criteria, the ceiling, the narrow list, the page's results.
    """
    criteria = criteria_of(forum)
    ceiling = ceiling_amount(forum=forum)
    narrow = _narrow_results(forum)
    facts, priority_total, decided = _running_facts(narrow, ceiling)
    _mark_tie_breaks(facts)
    shown = [r for r in facts if not commission_id or r["commission_id"] == commission_id]
    page_obj = Paginator(shown, per_page or max(len(shown), 1)).get_page(page)
    rows = list(page_obj.object_list)
    if rows:
        _fill_rows(rows, criteria)
    return {
        "criteria": criteria,
        "rows": rows,
        "page": page_obj,
        "ceiling": ceiling,
        "priority_total": priority_total,
        "priority_remaining": None if ceiling is None else ceiling - priority_total,
        "decided": decided,
        "count": len(narrow),
        "computed_at": max((r[3] for r in narrow if r[3]), default=None),
    }


def scores_changed_since_hitung(forum: Forum) -> bool:
    """The ranking's banner: Hitung ran, and a score was saved after it (two small queries)."""
    computed = Result.objects.filter(item__forum=forum).aggregate(m=Max("computed_at"))["m"]
    return computed is not None and results_stale(forum=forum, computed_at=computed)


def _narrow_results(forum: Forum) -> list[tuple]:
    """Every result of the forum in rank order, only the columns the running figures need."""
    return list(
        Result.objects.filter(item__forum=forum)
        .order_by("rank", "pk")
        .values_list(
            "pk",
            "total",
            "decision",
            "computed_at",
            "item__commission_id",
            "item__proposal__cost",
            "item__proposal__agreed_cost",
            "item__proposal__village_rank",
            "item__proposal__reference",
        )
    )


def _running_facts(narrow: list[tuple], ceiling: int | None) -> tuple[list[dict], int, int]:
    """Return (one dict per result with its running cost and ranking key, the priorities'
    total cost, how many results are decided)."""
    facts, running, priority_total, decided = [], 0, 0, 0
    for pk, total, decision, _at, commission, cost, agreed, village_rank, reference in narrow:
        cost = cost if agreed is None else agreed
        running += cost
        decided += bool(decision)
        if decision == Result.Decision.PRIORITY:
            priority_total += cost
        facts.append(
            {
                "pk": pk,
                "commission_id": commission,
                "total": total,
                "cost": cost,
                "running": running,
                "remaining": None if ceiling is None else ceiling - running,
                "key": ranking_key(
                    total=total, village_rank=village_rank, cost=cost, reference=reference
                ),
            }
        )
    return facts, priority_total, decided


def _mark_tie_breaks(facts: list[dict]) -> None:
    """Note on each row which key separated it from a neighbour with the same total."""
    for i, row in enumerate(facts):
        before = facts[i - 1] if i > 0 else None
        after = facts[i + 1] if i + 1 < len(facts) else None
        row["tie_break"] = _tie_break(row, before) or _tie_break(row, after)


def _fill_rows(rows: list[dict], criteria: list[Criterion]) -> None:
    """Add the full result, item, proposal and per-criterion averages to the rows shown.

    The averages are those of the last Hitung (``Result.averages``), the ones the total was
    weighted from: a score saved since changes neither until Hitung runs again.
    """
    by_pk = {
        r.pk: r
        for r in Result.objects.filter(pk__in=[row["pk"] for row in rows]).select_related(
            "item__proposal__village",
            "item__proposal__development_priority",
            "item__proposal__suggested_agency",
            "item__commission",
            "responsible_agency",
        )
    }
    for row in rows:
        result = by_pk[row["pk"]]
        averages = result.averages
        row.update(
            result=result,
            item=result.item,
            proposal=result.item.proposal,
            scores=[
                Decimal(averages[str(c.pk)]) if str(c.pk) in averages else None for c in criteria
            ],
        )


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


def sent_proposal(*, proposal_id: int) -> QuerySet[Result]:
    """The result of one proposal with everything its OPD page shows (constant queries)."""
    return (
        Result.objects.filter(item__proposal_id=proposal_id)
        .select_related(
            "item__forum__subdistrict__regency",
            "item__commission",
            "item__proposal__village",
            "item__proposal__sector",
            "item__proposal__development_priority",
            "responsible_agency",
        )
        .prefetch_related("item__proposal__attachments")
    )


AGENCY_SORTS = {
    "": ("-item__forum__year", "item__forum__subdistrict__name", "rank"),
    "biaya": ("-effective_cost", "item__proposal__reference"),
    "nomor": ("item__proposal__reference",),
    "kecamatan": ("item__forum__subdistrict__name", "rank"),
}


def filter_agency_priorities(
    qs: QuerySet[Result],
    *,
    subdistrict: str = "",
    year: int | None = None,
    search: str = "",
    sort: str = "",
) -> QuerySet[Result]:
    if sort == "biaya":
        qs = qs.annotate(
            effective_cost=Coalesce("item__proposal__agreed_cost", "item__proposal__cost")
        )
    qs = qs.order_by(*AGENCY_SORTS.get(sort, AGENCY_SORTS[""]))
    if subdistrict:
        qs = qs.filter(item__forum__subdistrict__code=subdistrict)
    if year:
        qs = qs.filter(item__forum__year=year)
    if search:
        qs = qs.filter(
            Q(item__proposal__title__icontains=search)
            | Q(item__proposal__reference__icontains=search)
        )
    return qs


def agency_filter_options(qs: QuerySet[Result]) -> tuple[list[tuple[str, str]], list[int]]:
    """The kecamatan (code, name) by name and the years, newest first, of ``qs`` (one query)."""
    options = (
        qs.order_by()
        .values_list(
            "item__forum__subdistrict__code", "item__forum__subdistrict__name", "item__forum__year"
        )
        .distinct()
    )
    subdistricts = sorted({(code, name) for code, name, _y in options}, key=lambda p: p[1])
    years = sorted({y for _c, _n, y in options}, reverse=True)
    return subdistricts, years


def latest_forum(subdistrict) -> Forum | None:
    """The kecamatan's newest forum (the scoring menu opens it), or None."""
    return forums().filter(subdistrict=subdistrict).order_by("-year").first()


def forums_with_totals(*, regency, year: int) -> QuerySet[Forum]:
    """Forums of a kabupaten's year with their priority count and cost (one query)."""
    priority = Q(items__result__decision=Result.Decision.PRIORITY)
    return (
        Forum.objects.filter(subdistrict__regency=regency, year=year)
        .select_related("subdistrict")
        .annotate(
            priority_count=Count("items", filter=priority),
            reserve_count=Count("items", filter=Q(items__result__decision=Result.Decision.RESERVE)),
            priority_cost=Sum(
                Coalesce("items__proposal__agreed_cost", "items__proposal__cost"),
                filter=priority,
            ),
        )
        .order_by("subdistrict__name")
    )
