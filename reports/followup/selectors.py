"""Reads of follow-ups shared by the pages, the worklist, the reminders and the public pages.

Every list is built with its joins so that a page costs a constant number of queries.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from musrenbang.models import Agency, Subdistrict
from reports.followup.models import FollowUp, Milestone, MilestoneFile, Stage
from reports.followup.services import stale_filter

STALE_DAYS = 60


@dataclass
class Filters:
    stage: str = ""
    subdistrict: str = ""
    year: int | None = None
    q: str = ""
    stale: bool = False


def _base() -> QuerySet[FollowUp]:
    now = timezone.now()
    return FollowUp.objects.select_related(
        "proposal__village", "proposal__sector", "subdistrict", "agency", "forum"
    ).annotate(
        is_stale=Case(When(stale_filter(STALE_DAYS, now), then=Value(True)), default=Value(False))
    )


def followups_list(*, scope: Q, flt: Filters) -> QuerySet[FollowUp]:
    """Follow-ups in ``scope`` filtered by ``flt``: stale first, then least recently updated."""
    qs = _base().filter(scope)
    if flt.stage:
        qs = qs.filter(stage=flt.stage)
    if flt.subdistrict:
        qs = qs.filter(subdistrict__code=flt.subdistrict)
    if flt.year:
        qs = qs.filter(forum__year=flt.year)
    if flt.q:
        qs = qs.filter(
            Q(proposal__title__icontains=flt.q)
            | Q(proposal__reference__icontains=flt.q)
            | Q(proposal__location__icontains=flt.q)
        )
    if flt.stale:
        qs = qs.filter(stale_filter(STALE_DAYS))
    return qs.order_by("-is_stale", "updated_at", "id")


def stage_counts(scope: Q) -> list[dict]:
    """Per stage: how many follow-ups of ``scope`` (every stage listed, zero included)."""
    counts = dict(
        FollowUp.objects.filter(scope).values_list("stage").annotate(n=Count("id")).order_by()
    )
    return [{"stage": s, "label": s.label, "count": counts.get(s.value, 0)} for s in Stage]


def agency_scope(agency: Agency) -> Q:
    return Q(agency=agency)


def subdistrict_scope(subdistrict: Subdistrict) -> Q:
    return Q(subdistrict=subdistrict)


def followup_page(pk: int) -> FollowUp | None:
    """One follow-up with its moves, milestones and files (four queries)."""
    return (
        FollowUp.objects.select_related(
            "proposal__village", "proposal__sector", "subdistrict__regency", "agency", "forum"
        )
        .prefetch_related(
            "moves__actor",
            "moves__from_agency",
            "moves__to_agency",
            Prefetch("milestones", Milestone.objects.prefetch_related("files")),
        )
        .filter(pk=pk)
        .first()
    )


def public_followup(proposal) -> FollowUp | None:
    """The follow-up of a proposal for the public tracking page: public milestones only."""
    return (
        FollowUp.objects.select_related("agency")
        .prefetch_related(
            "moves__to_agency",
            Prefetch(
                "milestones",
                Milestone.objects.filter(public=True).prefetch_related(
                    Prefetch("files", MilestoneFile.objects.order_by("id"))
                ),
            ),
        )
        .filter(proposal=proposal)
        .first()
    )


def stale_by_agency(*, days: int, now: dt.datetime | None = None) -> dict[Agency, list]:
    """Open agency-owned follow-ups without an update for ``days`` days, per agency."""
    rows = (
        FollowUp.objects.filter(stale_filter(days, now), agency__isnull=False)
        .select_related("agency__regency", "proposal", "subdistrict")
        .order_by("agency__name", "updated_at")
    )
    grouped: dict[Agency, list] = {}
    for row in rows:
        grouped.setdefault(row.agency, []).append(row)
    return grouped


def _progress_rows(qs, name_key: str, now) -> list[dict]:
    rows = list(
        qs.annotate(
            total=Count("id"),
            funded=Count("id", filter=Q(stage__in=[Stage.DPA, Stage.RUNNING, Stage.DONE])),
            done=Count("id", filter=Q(stage=Stage.DONE)),
            not_funded=Count("id", filter=Q(stage=Stage.NOT_FUNDED)),
            stale=Count("id", filter=stale_filter(STALE_DAYS, now)),
        ).order_by(name_key)
    )
    for row in rows:
        row["name"] = row.pop(name_key) or "Kecamatan (cadangan/tidak dibahas)"
        row["funded_share"] = round(row["funded"] * 100 / row["total"], 1) if row["total"] else None
        row["done_share"] = round(row["done"] * 100 / row["total"], 1) if row["total"] else None
    return rows


def followup_progress(regency, year: int) -> dict:
    """Bappeda's follow-up progress for a year: per agency and per kecamatan (two queries)."""
    now = timezone.now()
    qs = FollowUp.objects.filter(subdistrict__regency=regency, forum__year=year)
    return {
        "per_agency": _progress_rows(qs.values(agency_name=F("agency__name")), "agency_name", now),
        "per_subdistrict": _progress_rows(
            qs.values(subdistrict_name=F("subdistrict__name")), "subdistrict_name", now
        ),
    }
