"""Decisions: priority/reserve, responsible OPD, overriding the computed order."""

from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, User
from scoring.models import Result
from scoring.services._common import Action, forum_action
from scoring.services.compute import _fill_ceiling, ceiling_amount
from sessions.models import Forum

DECIDE = "scoring.decide"

# --- Decisions --------------------------------------------------------------------------


def _locked_result(result: Result) -> Result:
    """Re-read the result FOR UPDATE (inside ``forum_action``); refuse before Hitung."""
    result = Result.objects.select_for_update().select_related("item__proposal").get(pk=result.pk)
    if result.rank is None:
        raise DomainError("Jalankan Hitung terlebih dahulu.")
    return result


def result_decide(
    *,
    result: Result,
    decision: str,
    actor: User,
    reason: str = "",
    agency: Agency | None = None,
) -> Result:
    """Mark a proposal priority (with its OPD) or non-priority (reserve, with a reason)."""
    forum = result.item.forum
    with forum_action(actor=actor, forum=forum, perm=DECIDE, action=Action.DECIDE) as step:
        result = _locked_result(result)
        reason = (reason or "").strip()
        if decision == Result.Decision.RESERVE:
            if not reason:
                raise DomainError("Usulan cadangan (non-prioritas) wajib diberi alasan tertulis.")
        elif decision == Result.Decision.PRIORITY:
            agency = agency or result.responsible_agency or result.item.proposal.suggested_agency
            if agency is not None:
                _check_agency(agency, step.forum)
            result.responsible_agency = agency
        else:
            raise DomainError("Keputusan tidak dikenal.")
        result.decision, result.reason = decision, reason
        result.decided_by, result.decided_at = actor, timezone.now()
        result.save(
            update_fields=["decision", "reason", "responsible_agency", "decided_by", "decided_at"]
        )
        said = result.get_decision_display() + (f": {reason}" if reason else "")
        step.say(said, item=result.item)
    return result


def result_undo(*, result: Result, actor: User) -> Result:
    """Undo a decision (until sending): the proposal is undecided again."""
    forum = result.item.forum
    with forum_action(actor=actor, forum=forum, perm=DECIDE, action=Action.UNDO) as step:
        result = _locked_result(result)
        previous = result.get_decision_display()
        result.decision = Result.Decision.UNDECIDED
        result.decided_by = None
        result.decided_at = None
        result.save(update_fields=["decision", "decided_by", "decided_at"])
        step.say(f"Keputusan {previous} dibatalkan.", item=result.item)
    return result


def _check_agency(agency: Agency, forum: Forum) -> None:
    if agency.regency_id != forum.subdistrict.regency_id or not agency.is_active:
        raise DomainError("OPD tidak termasuk kabupaten/kota ini.")


def result_set_agency(*, result: Result, agency: Agency | None, actor: User) -> Result:
    """Choose the responsible OPD of a proposal."""
    forum = result.item.forum
    with forum_action(actor=actor, forum=forum, perm=DECIDE, action=Action.AGENCY) as step:
        result = _locked_result(result)
        if agency is not None:
            _check_agency(agency, step.forum)
        result.responsible_agency = agency
        result.save(update_fields=["responsible_agency"])
        step.say(f"OPD penanggung jawab: {agency or '-'}.", item=result.item)
    return result


def result_move(*, result: Result, new_rank: int, reason: str, actor: User) -> Result:
    """Override the computed order: move a proposal to ``new_rank`` (reason required, logged).

    The other proposals shift by one; the ceiling fill follows the new order.
    """
    forum = result.item.forum
    with forum_action(actor=actor, forum=forum, perm=DECIDE, action=Action.OVERRIDE) as step:
        result = _locked_result(result)
        old_rank = result.rank
        moved = _reorder(step.forum, result, new_rank, reason)
        step.say(f"Peringkat {old_rank} -> {new_rank}: {moved.override_reason}", item=result.item)
    moved.refresh_from_db()
    return moved


def _reorder(forum: Forum, result: Result, new_rank: int, reason: str) -> Result:
    """Put ``result`` at ``new_rank``, renumber the others and refill the ceiling."""
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
    return moved


def results_apply_ceiling(*, forum: Forum, actor: User) -> int:
    """Decide every undecided proposal as the ceiling fill proposes.

    Within the ceiling -> priority with the suggested OPD; beyond it -> reserve with the reason
    "Tidak masuk pagu indikatif". Returns how many were decided; each can still be undone.
    """
    with forum_action(actor=actor, forum=forum, perm=DECIDE, action=Action.DECIDE) as step:
        decided = _apply_ceiling(step.forum, actor)
        if decided:
            step.say(f"Usulan pagu diterapkan pada {decided} usulan.")
    return decided


def _apply_ceiling(forum: Forum, actor: User) -> int:
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
    return len(results)
