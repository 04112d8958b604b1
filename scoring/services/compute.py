"""Hitung: weighted totals, ranking with tie-breaks, ceiling fill."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import BudgetCeiling, User
from scoring.models import Result, Score
from scoring.services._common import Action, forum_action
from scoring.services.scores import scorer_ids
from sessions.models import Forum

# --- Hitung -----------------------------------------------------------------------------


COMPUTED_FIELDS = [
    "total",
    "rank",
    "computed_rank",
    "commission_rank",
    "within_ceiling",
    "computed_at",
    "override_reason",
    "averages",
]


AVERAGE_PLACES = Decimal("0.01")  # the averages as the ranking shows them


def shown_average(value) -> str:
    """An average as stored with the result and shown: two places, halves rounded up."""
    return str(Decimal(str(value)).quantize(AVERAGE_PLACES, rounding=ROUND_HALF_UP))


def ranking_key(*, total: Decimal, village_rank: int | None, cost: int, reference: str):
    """Order: higher total, then the desa's own priority, then lower cost, then reference."""
    return (-total, village_rank if village_rank is not None else 10**6, cost, reference)


def ceiling_amount(*, forum: Forum) -> int | None:
    ceiling = BudgetCeiling.objects.filter(
        subdistrict_id=forum.subdistrict_id, year=forum.year
    ).first()
    return ceiling.amount if ceiling else None


def _fill_ceiling(rows: list[dict], ceiling: int | None) -> None:
    """Mark rows (in rank order) within the ceiling while their costs fit; the rest are out."""
    running = 0
    fits = True
    for row in rows:
        running += row["cost"]
        if ceiling is not None and running > ceiling:
            fits = False
        row["within_ceiling"] = fits


def _missing_cells(forum: Forum, ids: list[int], cells: dict, items: list[dict]) -> list[str]:
    criteria_count = forum.criteria.count()
    required = len(ids) if forum.scoring_mode == Forum.ScoringMode.MULTIPLE else 1
    missing = []
    for item in items:
        per_item = cells.get(item["id"], {})
        full = sum(1 for n in per_item.values() if n["n"] >= required)
        if full < criteria_count:
            missing.append(item["proposal__reference"])
    return missing


def _unfinished_scorers(forum: Forum, ids: list[int], cells: int) -> str:
    """Name the scorers whose sheet is not complete, with the cells they still lack."""
    done = dict(
        Score.objects.filter(criterion__forum=forum, scorer_id__in=ids)
        .values("scorer_id")
        .annotate(n=Count("id"))
        .values_list("scorer_id", "n")
    )
    names = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids)}
    lacking = [f"{names[i]} ({cells - done.get(i, 0)} sel)" for i in ids if done.get(i, 0) < cells]
    return f" Lembar belum selesai: {', '.join(lacking)}." if lacking else ""


ITEM_FIELDS = (
    "id",
    "commission_id",
    "proposal__reference",
    "proposal__village_rank",
    "proposal__cost",
    "proposal__agreed_cost",
    "proposal__suggested_agency_id",
)


def forum_compute(*, forum: Forum, actor: User) -> int:
    """Hitung: weighted totals, ranking overall and per commission, and the ceiling fill.

    Refused while any proposal lacks a score (naming them). One aggregate query for the
    scores, one pass in Python, one upsert for the results. Returns the number of results.
    """
    perm, action = "scoring.compute", Action.COMPUTE
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        weights, ids, items = _inputs(forum)
        cells = _cells(forum, ids)
        _refuse_incomplete(forum, ids, cells, items, len(weights))
        rows = sorted((_row(item, weights, cells) for item in items), key=lambda r: r["key"])
        _fill_ceiling(rows, ceiling_amount(forum=forum))
        _store_results(rows)
        step.say(f"Dihitung: {len(rows)} usulan.")
    return len(rows)


def _inputs(forum: Forum) -> tuple[dict, list[int], list[dict]]:
    """Return the criteria weights, the scorers and the items; refuse when one is missing."""
    weights = dict(forum.criteria.values_list("pk", "weight"))
    if not weights:
        raise DomainError("Forum belum mempunyai kriteria.")
    ids = scorer_ids(forum=forum)
    if not ids:
        raise DomainError("Forum belum mempunyai penilai.")
    items = list(forum.items.values(*ITEM_FIELDS))
    if not items:
        raise DomainError("Forum belum mempunyai usulan.")
    return weights, ids, items


def _cells(forum: Forum, ids: list[int]) -> dict[int, dict[int, dict]]:
    """Return {item: {criterion: {avg, n}}} over the counted sheets (one aggregate query)."""
    cells: dict[int, dict[int, dict]] = defaultdict(dict)
    aggregates = (
        Score.objects.filter(item__forum=forum, criterion__forum=forum, scorer_id__in=ids)
        .values("item_id", "criterion_id")
        .annotate(avg=Avg("value"), n=Count("id"))
        .order_by()
    )
    for row in aggregates:
        cells[row["item_id"]][row["criterion_id"]] = row
    return cells


def _refuse_incomplete(forum: Forum, ids, cells, items, criteria: int) -> None:
    """Refuse Hitung while a proposal lacks a score, naming them (and the unfinished sheets)."""
    missing = _missing_cells(forum, ids, cells, items)
    if not missing:
        return
    shown = ", ".join(missing[:10]) + (" dan lainnya" if len(missing) > 10 else "")
    message = f"{len(missing)} usulan belum dinilai lengkap: {shown}."
    if forum.scoring_mode == Forum.ScoringMode.MULTIPLE:
        message += _unfinished_scorers(forum, ids, len(items) * criteria)
    raise DomainError(message)


def _row(item: dict, weights: dict, cells: dict) -> dict:
    """Return the weighted total, the averages it was weighted from, cost and ranking key."""
    averages = {c: Decimal(str(cell["avg"])) for c, cell in cells[item["id"]].items()}
    total = sum(
        (Decimal(weights[c]) * average for c, average in averages.items()), Decimal("0")
    ).quantize(Decimal("0.0001"))
    cost = item["proposal__agreed_cost"]
    cost = item["proposal__cost"] if cost is None else cost
    return {
        "item_id": item["id"],
        "commission_id": item["commission_id"],
        "total": total,
        "averages": {str(c): shown_average(a) for c, a in averages.items()},
        "cost": cost,
        "key": ranking_key(
            total=total,
            village_rank=item["proposal__village_rank"],
            cost=cost,
            reference=item["proposal__reference"],
        ),
        "agency_id": item["proposal__suggested_agency_id"],
    }


def fill_missing_averages(*, forum: Forum) -> int:
    """Give the forum's results that have no averages (restored from an archive made before
    ``Result.averages``) those of the stored scores; return how many were filled.

    The sheets that count: the registered scorers (multiple mode), or every sheet of the
    forum (single mode: only a camat scores, and the camat of that day may have left since,
    which ``scorer_ids`` would not see). A sent forum's scores are locked, so these are the
    averages its totals were weighted from.
    """
    results = list(Result.objects.filter(item__forum=forum, averages={}).only("pk", "item_id"))
    if not results:
        return 0
    scores = Score.objects.filter(item__forum=forum, criterion__forum=forum)
    if forum.scoring_mode == Forum.ScoringMode.MULTIPLE:
        scores = scores.filter(scorer_id__in=forum.scorers.values("user_id"))
    averages: dict = defaultdict(dict)
    for row in scores.values("item_id", "criterion_id").annotate(avg=Avg("value")).order_by():
        averages[row["item_id"]][str(row["criterion_id"])] = shown_average(row["avg"])
    for result in results:
        result.averages = averages.get(result.item_id, {})
    Result.objects.bulk_update(results, ["averages"], batch_size=1000)
    return len(results)


def _store_results(rows: list[dict]) -> None:
    """Write the ranked rows: one INSERT ... ON CONFLICT (item) DO UPDATE.

    Decisions, reasons and OPDs of existing results stay; the OPD is only set on new rows.
    """
    per_commission: dict = defaultdict(int)
    now = timezone.now()
    results = []
    for rank, row in enumerate(rows, 1):
        per_commission[row["commission_id"]] += 1
        results.append(
            Result(
                item_id=row["item_id"],
                responsible_agency_id=row["agency_id"],  # only for new rows: kept on update
                total=row["total"],
                rank=rank,
                computed_rank=rank,
                commission_rank=per_commission[row["commission_id"]],
                within_ceiling=row["within_ceiling"],
                computed_at=now,
                override_reason="",
                averages=row["averages"],
            )
        )
    Result.objects.bulk_create(
        results,
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=COMPUTED_FIELDS,
        batch_size=1000,
    )


def results_stale(*, forum: Forum, computed_at=None) -> bool:
    """Return True when a score changed after the last Hitung (or Hitung never ran).

    ``computed_at``: the last Hitung when the caller already knows it (saves a query).
    """
    computed = (
        computed_at
        or (Result.objects.filter(item__forum=forum).aggregate(m=Max("computed_at"))["m"])
    )
    if computed is None:
        return True
    return Score.objects.filter(criterion__forum=forum, updated_at__gt=computed).exists()
