"""Reads of proposals with their related rows fetched up front (constant queries per page)."""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from musrenbang.db import execute_prepared
from musrenbang.models import Subdistrict, User, Village
from proposals.locks import closure_of, is_year_open
from proposals.models import Origin, Proposal, Status, Transition

SORTS = {
    "nomor": "reference",
    "-nomor": "-reference",
    "desa": "village__name",
    "-desa": "-village__name",
    "judul": "title",
    "-judul": "-title",
    "biaya": "cost",
    "-biaya": "-cost",
    "status": "status",
    "-status": "-status",
    "prioritas": "village_rank",
    "-prioritas": "-village_rank",
}


def proposals_for(user: User) -> QuerySet[Proposal]:
    """Return the proposals a user may see."""
    qs = Proposal.objects.all()
    if user.is_superuser:
        return qs
    if user.is_bappeda:
        return qs.filter(subdistrict__regency_id=user.regency_id)
    if user.is_kecamatan:
        return qs.filter(subdistrict_id=user.subdistrict_id)
    if user.is_operator:
        return qs.filter(village_id=user.village_id)
    return qs.none()


def with_related(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return qs.select_related("village", "subdistrict", "sector", "suggested_agency")


def village_proposals(*, village: Village, year: int) -> QuerySet[Proposal]:
    return with_related(Proposal.objects.filter(village=village, year=year)).order_by(
        "village_rank", "id"
    )


@dataclass
class IncomingFilter:
    village: int | None = None
    sector: int | None = None
    agency: int | None = None
    status: str = ""
    q: str = ""
    sort: str = "nomor"
    source: str = ""  # "sipd": imported from SIPD; "musrenbang": entered here


# What the kecamatan counts as its proposals: all but the desa's drafts.
INTAKE_VISIBLE = ~Q(status=Status.DRAFT, origin=Origin.VILLAGE)


def intake_visible(*, subdistrict: Subdistrict, year: int) -> QuerySet[Proposal]:
    """The kecamatan's proposals of the year as the intake list counts them: every one except
    the desa's drafts (they stay with the desa until submitted). The one definition used by
    the intake list, its status counts, the kecamatan dashboard and Bappeda's overview."""
    return Proposal.objects.filter(INTAKE_VISIBLE, subdistrict=subdistrict, year=year)


def incoming_proposals(
    *, subdistrict: Subdistrict, year: int, flt: IncomingFilter
) -> QuerySet[Proposal]:
    """The kecamatan's proposals for the year, filtered and sorted (``intake_visible``)."""
    qs = intake_visible(subdistrict=subdistrict, year=year)
    if flt.village:
        qs = qs.filter(village_id=flt.village)
    if flt.sector:
        qs = qs.filter(sector_id=flt.sector)
    if flt.agency:
        qs = qs.filter(suggested_agency_id=flt.agency)
    if flt.status in Status.values:
        qs = qs.filter(status=flt.status)
    if flt.source == "sipd":
        qs = qs.exclude(sipd_key="")
    elif flt.source == "musrenbang":
        qs = qs.filter(sipd_key="")
    if flt.q:
        qs = qs.filter(
            Q(title__icontains=flt.q)
            | Q(location__icontains=flt.q)
            | Q(reference__icontains=flt.q)
            | Q(problem__icontains=flt.q)
        )
    return with_related(qs).order_by(SORTS.get(flt.sort, "reference"), "id")


def status_counts(qs: QuerySet[Proposal]) -> dict[str, int]:
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {value: counts.get(value, 0) for value in Status.values}


def status_rows(*, subdistrict: Subdistrict, year: int) -> list[tuple[str, str, int]]:
    """(status, label, count) of every status, in order, of what the intake list shows."""
    counts = status_counts(intake_visible(subdistrict=subdistrict, year=year))
    return [(value, label, counts[value]) for value, label in Status.choices]


def proposal_detail(pk: int) -> QuerySet[Proposal]:
    return (
        with_related(Proposal.objects.filter(pk=pk))
        .select_related(
            "received_by",
            "created_by",
            "development_priority",
            "carried_over_from",
            "kamus",
            "sub_activity",
        )
        .prefetch_related(
            "attachments",
            Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
        )
    )


def public_history(proposal: Proposal) -> list[dict]:
    """Status history for the public tracking page: no names, only public reasons."""
    return [
        {
            "at": t.at,
            "from_label": Status(t.from_status).label if t.from_status else "",
            "to_label": Status(t.to_status).label,
            "to": t.to_status,
            "reason": t.reason if t.public else "",
        }
        for t in proposal.transitions.all()
    ]


def tracking_marks(code: str) -> tuple | None:
    """What the public tracking page shows changes only with these (one query), or None.

    The proposal's ``updated_at``, its status history (last id and count: bulk status moves
    write a ``Transition`` even when they skip ``save()``) and its forum's ``version`` (the
    decision becomes public when the forum is sent; not the attendance or scores counters: the
    page shows neither), and its follow-up (stage moves and milestones).

    Citizens poll this page: one small SQL statement of scalar subqueries, each on an index,
    costs PostgreSQL a fraction of the planning a six-way join with aggregates took, and no ORM
    compilation in Python.
    """
    with connection.cursor() as cursor:
        execute_prepared(cursor, _tracking_marks_sql(), [code])
        return cursor.fetchone()


@cache
def _tracking_marks_sql() -> str:
    # The forum and the follow-up are reached through the relations, never imported (layers).
    item_model = Proposal._meta.get_field("forum_item").related_model
    follow_model = Proposal._meta.get_field("follow_up").related_model
    forum_model = item_model._meta.get_field("forum").related_model
    p, t = Proposal._meta.db_table, Transition._meta.db_table
    item, forum = item_model._meta.db_table, forum_model._meta.db_table
    follow = follow_model._meta.db_table
    stone = follow_model._meta.get_field("milestones").related_model._meta.db_table
    return f"""
        SELECT p.id, p.updated_at,
          (SELECT max(t.id) FROM {t} t WHERE t.proposal_id = p.id),
          (SELECT count(*) FROM {t} t WHERE t.proposal_id = p.id),
          (SELECT max(f.version) FROM {item} i JOIN {forum} f ON f.id = i.forum_id
            WHERE i.proposal_id = p.id),
          (SELECT max(u.updated_at) FROM {follow} u WHERE u.proposal_id = p.id),
          (SELECT max(m.id) FROM {stone} m JOIN {follow} u ON u.id = m.follow_up_id
            WHERE u.proposal_id = p.id),
          (SELECT count(*) FROM {stone} m JOIN {follow} u ON u.id = m.follow_up_id
            WHERE u.proposal_id = p.id)
        FROM {p} p WHERE p.tracking_code = %s
        ORDER BY p.id LIMIT 1
    """  # noqa: S608 - table names from the models, the code is a parameter


# The forum's outcome of proposals is read by a layer that sees both proposals and the forum:
# it registers a provider here (``reports.tracking``, from its AppConfig.ready), so proposals
# never import the forum. A provider maps proposal ids to outcomes of sent forums.
OutcomeProvider = Callable[[list[int]], dict[int, dict]]
OUTCOME_KINDS = ("priority", "reserve", "not_discussed")
_OUTCOME_PROVIDERS: list[OutcomeProvider] = []


def register_outcome_provider(provider: OutcomeProvider) -> None:
    """Add a provider of forum outcomes (once; a second registration is ignored)."""
    if provider not in _OUTCOME_PROVIDERS:
        _OUTCOME_PROVIDERS.append(provider)


def _not_discussed(proposal: Proposal) -> dict:
    return {
        "kind": "not_discussed",
        "priority": False,
        "label": "Tidak dibahas",
        "rank": None,
        "agency": "",
        "agency_short": "",
        "reason": proposal.status_reason,
        "sent_at": None,
    }


def forum_outcomes(proposals: list[Proposal]) -> dict[int, dict]:
    """The forum's outcome per proposal id, once the forum of its year was sent.

    ``kind`` is ``"priority"`` (with rank and responsible OPD), ``"reserve"`` (with the
    camat's reason), both from the registered providers (one query each), or
    ``"not_discussed"`` (closed by sending; see ``proposals_close_year``). Before sending,
    decisions may still change, so nothing is returned for them.
    """
    outcomes: dict[int, dict] = {}
    ids = [p.pk for p in proposals if p.status != Status.NOT_DISCUSSED]
    for provider in _OUTCOME_PROVIDERS if ids else []:
        outcomes.update(provider(ids))
    for p in proposals:
        if p.status == Status.NOT_DISCUSSED:
            outcomes[p.pk] = _not_discussed(p)
    for outcome in outcomes.values():  # flags for templates (no template compares a kind)
        outcome.update({f"is_{kind}": outcome["kind"] == kind for kind in OUTCOME_KINDS})
    return outcomes


def public_outcome(proposal: Proposal) -> dict | None:
    """The forum's outcome of one proposal (see ``forum_outcomes``), or None."""
    return forum_outcomes([proposal]).get(proposal.pk)


def tracked_proposal(code: str) -> Proposal | None:
    """The proposal of a public tracking code (any case) with its places and history."""
    return (
        Proposal.objects.select_related("village", "subdistrict__regency")
        .filter(tracking_code=code.upper())
        .prefetch_related("transitions")
        .first()
    )


def year_closure(*, subdistrict_id: int, year: int) -> dict | None:
    """Why the kecamatan's year is closed (its forum was sent), or None while it is open.

    The one place pages ask before offering a control that changes a proposal of the year.
    Read from proposals' own ``YearClosure`` (written when the forum is sent).
    """
    closure = closure_of(subdistrict_id=subdistrict_id, year=year)
    if closure is None:
        return None
    return {
        "year": year,
        "sent_at": closure.closed_at,
        "closed_at": closure.closed_at,
        "reason": closure.reason,
    }


def year_is_open(*, subdistrict_id: int, year: int) -> bool:
    return is_year_open(subdistrict_id=subdistrict_id, year=year)


def rekap(*, subdistrict: Subdistrict, year: int, statuses: list[str]) -> dict:
    """Counts and costs per desa and per bidang (the pre-musrenbang recap)."""
    qs = Proposal.objects.filter(subdistrict=subdistrict, year=year, status__in=statuses)
    per_village = list(
        qs.values("village__code", "village__name", "origin")
        .annotate(n=Count("id"), cost=Sum("cost"))
        .order_by("village__code")
    )
    per_sector = list(
        qs.values("sector__name", "sector__order")
        .annotate(n=Count("id"), cost=Sum("cost"))
        .order_by("sector__order", "sector__name")
    )
    total = qs.aggregate(n=Count("id"), cost=Sum("cost"))
    return {"per_village": per_village, "per_sector": per_sector, "total": total}


# --- Duplicates ----------------------------------------------------------------------------

STOPWORDS = {"dan", "di", "ke", "yang", "untuk", "dari", "rt", "rw", "jl", "jalan", "no"}
DUPLICATE_THRESHOLD = 0.6


@lru_cache(maxsize=50_000)
def tokens(text: str) -> frozenset[str]:
    """Normalize to lower-case ASCII words without stop words (``"Jl. Mawar RT 01"``)."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return frozenset({w.lstrip("0") or "0" for w in re.findall(r"[a-z0-9]+", text)} - STOPWORDS)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < DUPLICATE_THRESHOLD * max(len(a), len(b)):
        return 0.0  # Jaccard cannot reach the threshold: skip the set operations
    return len(a & b) / len(a | b)


def _is_similar(a: tuple[set, set], b: tuple[set, set]) -> bool:
    return (
        similarity(a[0], b[0]) >= DUPLICATE_THRESHOLD
        and similarity(a[1], b[1]) >= DUPLICATE_THRESHOLD
    )


def duplicates_of(proposals: list[Proposal]) -> dict[int, list[int]]:
    """Return ``{proposal id: [similar proposal ids]}`` for the given proposals.

    Similar = same desa and year, token overlap (Jaccard on normalized words, see ``tokens``)
    of the title >= 0.6 and of the location >= 0.6; rejected proposals are left out. One query
    for the desa on the page, so a page of 25 costs 25 x (proposals of its desa) comparisons,
    not the whole kecamatan squared.
    """
    targets = [p for p in proposals if p.village_id]
    if not targets:
        return {}
    rows = (
        Proposal.objects.filter(
            year=targets[0].year, village_id__in={p.village_id for p in targets}
        )
        .exclude(status=Status.REJECTED)
        .values_list("pk", "village_id", "title", "location")
    )
    by_village: dict[int, list[tuple[int, tuple[set, set]]]] = defaultdict(list)
    for pk, village_id, title, location in rows:
        by_village[village_id].append((pk, (tokens(title or ""), tokens(location or ""))))
    found: dict[int, list[int]] = {}
    for target in targets:
        mine = (tokens(target.title), tokens(target.location))
        similar = [
            pk
            for pk, other in by_village[target.village_id]
            if pk != target.pk and _is_similar(mine, other)
        ]
        if similar:
            found[target.pk] = similar
    return found
