"""Decisions: priority/reserve, responsible OPD, overriding the computed order."""

from django.db import transaction
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, User
from scoring.models import (
    Result,
    ScoringEvent,
)
from scoring.services._common import _ensure_state, _lock_forum, _log
from scoring.services.compute import _fill_ceiling, ceiling_amount
from sessions.models import Forum

# --- Decisions --------------------------------------------------------------------------


def _lock_result(result: Result) -> tuple[Result, Forum]:
    forum = _lock_forum(result.item.forum)
    _ensure_state(forum, Forum.State.RUNNING, message="Keputusan hanya saat forum berlangsung.")
    result = Result.objects.select_for_update().select_related("item__proposal").get(pk=result.pk)
    if result.rank is None:
        raise DomainError("Jalankan Hitung terlebih dahulu.")
    return result, forum


@transaction.atomic
def result_decide(
    *,
    result: Result,
    decision: str,
    actor: User,
    reason: str = "",
    agency: Agency | None = None,
) -> Result:
    """Mark a proposal priority (with its OPD) or non-priority (reserve, with a reason)."""
    result, forum = _lock_result(result)
    reason = (reason or "").strip()
    if decision == Result.Decision.RESERVE:
        if not reason:
            raise DomainError("Usulan cadangan (non-prioritas) wajib diberi alasan tertulis.")
        result.reason = reason
    elif decision == Result.Decision.PRIORITY:
        agency = agency or result.responsible_agency or result.item.proposal.suggested_agency
        if agency is not None:
            _check_agency(agency, forum)
        result.responsible_agency = agency
        result.reason = reason
    else:
        raise DomainError("Keputusan tidak dikenal.")
    result.decision = decision
    result.decided_by = actor
    result.decided_at = timezone.now()
    result.save(
        update_fields=["decision", "reason", "responsible_agency", "decided_by", "decided_at"]
    )
    _log(
        forum=forum,
        item=result.item,
        actor=actor,
        action=ScoringEvent.Action.DECIDE,
        detail=f"{result.get_decision_display()}" + (f": {reason}" if reason else ""),
    )
    return result


@transaction.atomic
def result_undo(*, result: Result, actor: User) -> Result:
    """Undo a decision (until sending): the proposal is undecided again."""
    result, forum = _lock_result(result)
    previous = result.get_decision_display()
    result.decision = Result.Decision.UNDECIDED
    result.decided_by = None
    result.decided_at = None
    result.save(update_fields=["decision", "decided_by", "decided_at"])
    _log(
        forum=forum,
        item=result.item,
        actor=actor,
        action=ScoringEvent.Action.UNDO,
        detail=f"Keputusan {previous} dibatalkan.",
    )
    return result


def _check_agency(agency: Agency, forum: Forum) -> None:
    if agency.regency_id != forum.subdistrict.regency_id or not agency.is_active:
        raise DomainError("OPD tidak termasuk kabupaten/kota ini.")


@transaction.atomic
def result_set_agency(*, result: Result, agency: Agency | None, actor: User) -> Result:
    """Choose the responsible OPD of a proposal."""
    result, forum = _lock_result(result)
    if agency is not None:
        _check_agency(agency, forum)
    result.responsible_agency = agency
    result.save(update_fields=["responsible_agency"])
    _log(
        forum=forum,
        item=result.item,
        actor=actor,
        action=ScoringEvent.Action.AGENCY,
        detail=f"OPD penanggung jawab: {agency or '-'}.",
    )
    return result


@transaction.atomic
def result_move(*, result: Result, new_rank: int, reason: str, actor: User) -> Result:
    """Override the computed order: move a proposal to ``new_rank`` (reason required, logged).

    The other proposals shift by one; the ceiling fill follows the new order.
    """
    result, forum = _lock_result(result)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Mengubah urutan hasil hitung wajib diberi alasan.")
    results = list(
        Result.objects.select_for_update()
        .filter(item__forum=forum)
        .select_related("item__proposal")
        .order_by("rank", "pk")
    )
    if not 1 <= new_rank <= len(results):
        raise DomainError(f"Peringkat harus antara 1 dan {len(results)}.")
    old_rank = result.rank
    ordered = [r for r in results if r.pk != result.pk]
    moved = next(r for r in results if r.pk == result.pk)
    moved.override_reason = reason
    ordered.insert(new_rank - 1, moved)
    rows = [{"cost": r.item.proposal.effective_cost} for r in ordered]
    _fill_ceiling(rows, ceiling_amount(forum=forum))
    for rank, (r, row) in enumerate(zip(ordered, rows, strict=True), 1):
        r.rank = rank
        r.within_ceiling = row["within_ceiling"]
    Result.objects.bulk_create(  # one upsert instead of a CASE per row
        ordered,
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=["rank", "within_ceiling", "override_reason"],
    )
    _log(
        forum=forum,
        item=result.item,
        actor=actor,
        action=ScoringEvent.Action.OVERRIDE,
        detail=f"Peringkat {old_rank} -> {new_rank}: {reason}",
    )
    moved.refresh_from_db()
    return moved


@transaction.atomic
def results_apply_ceiling(*, forum: Forum, actor: User) -> int:
    """Decide every undecided proposal as the ceiling fill proposes.

    Within the ceiling -> priority with the suggested OPD; beyond it -> reserve with the reason
    "Tidak masuk pagu indikatif". Returns how many were decided; each can still be undone.
    """
    forum = _lock_forum(forum)
    _ensure_state(forum, Forum.State.RUNNING, message="Keputusan hanya saat forum berlangsung.")
    results = list(
        Result.objects.select_for_update()
        .filter(item__forum=forum, decision=Result.Decision.UNDECIDED, rank__isnull=False)
        .select_related("item__proposal")
    )
    now = timezone.now()
    for result in results:
        if result.within_ceiling:
            result.decision = Result.Decision.PRIORITY
            if result.responsible_agency_id is None:
                result.responsible_agency_id = result.item.proposal.suggested_agency_id
        else:
            result.decision = Result.Decision.RESERVE
            result.reason = result.reason or (
                f"Tidak masuk pagu indikatif {forum.year} (peringkat {result.rank})."
            )
        result.decided_by, result.decided_at = actor, now
    Result.objects.bulk_create(  # one upsert instead of a CASE per row
        results,
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=["decision", "reason", "responsible_agency", "decided_by", "decided_at"],
    )
    if results:
        _log(
            forum=forum,
            actor=actor,
            action=ScoringEvent.Action.DECIDE,
            detail=f"Usulan pagu diterapkan pada {len(results)} usulan.",
        )
    return len(results)
