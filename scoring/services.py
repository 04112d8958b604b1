"""Writes of the scoring app: criteria, scores, Hitung, decisions and "Kirim ke OPD".

Every function takes keyword-only arguments, runs in one transaction, refuses a sent forum
(``sessions.locks``) and writes a ``ScoringEvent`` for each step that matters.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, BudgetCeiling, DevelopmentPriority, Role, User
from proposals.models import Proposal
from scoring.models import (
    CriteriaTemplate,
    Criterion,
    Result,
    Score,
    Scorer,
    ScoringEvent,
    TemplateCriterion,
)
from sessions.locks import ensure_proposal_unlocked, ensure_unlocked
from sessions.models import Forum, ForumItem
from sessions.signals import forum_sent

DEFAULT_TEMPLATE_NAME = "Kriteria skoring bawaan (Langkat)"
DEFAULT_CRITERIA = [
    (
        "Keterdesakan",
        "Seberapa mendesak masalah yang ditangani usulan ini.",
        ["Tidak mendesak", "Kurang mendesak", "Cukup mendesak", "Mendesak", "Sangat mendesak"],
    ),
    (
        "Dampak terhadap pertumbuhan ekonomi masyarakat",
        "Pengaruh kegiatan terhadap pendapatan dan kegiatan ekonomi warga.",
        ["Tidak berdampak", "Dampak kecil", "Dampak sedang", "Dampak besar", "Dampak sangat besar"],
    ),
    (
        "Pengembangan potensi lokal kecamatan",
        "Sejauh mana usulan mengembangkan potensi lokal kecamatan.",
        ["Tidak terkait", "Sedikit terkait", "Cukup terkait", "Terkait", "Sangat terkait"],
    ),
    (
        "Penanggulangan kemiskinan",
        "Sumbangan usulan bagi pengurangan kemiskinan.",
        ["Tidak ada", "Kecil", "Sedang", "Besar", "Sangat besar"],
    ),
    (
        "Manfaat/dampak",
        "Banyaknya penerima manfaat dan luasnya dampak.",
        ["Sangat sedikit", "Sedikit", "Sedang", "Banyak", "Sangat banyak"],
    ),
    (
        "Partisipasi/keterlibatan masyarakat",
        "Kesediaan warga ikut serta (swadaya, gotong royong, pemeliharaan).",
        ["Tidak ada", "Rendah", "Sedang", "Tinggi", "Sangat tinggi"],
    ),
    (
        "Kemudahan pelaksanaan",
        "Kesiapan lahan, teknis dan perizinan.",
        ["Sangat sulit", "Sulit", "Sedang", "Mudah", "Sangat mudah"],
    ),
    (
        "Kelengkapan dokumen/bukti pendukung",
        "Foto, proposal, RAB dan bukti pendukung lain.",
        ["Tidak ada", "Sangat kurang", "Kurang lengkap", "Lengkap", "Sangat lengkap"],
    ),
]


def _log(*, forum: Forum, actor: User, action: str, detail: str = "", item=None) -> None:
    ScoringEvent.objects.create(forum=forum, item=item, action=action, detail=detail, actor=actor)


def _lock_forum(forum: Forum) -> Forum:
    """Re-read the forum FOR UPDATE and refuse when it was sent."""
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    ensure_unlocked(locked)
    return locked


def _ensure_state(forum: Forum, *states: str, message: str) -> None:
    if forum.state not in states:
        raise DomainError(message)


# --- Criteria ---------------------------------------------------------------------------


@transaction.atomic
def template_get_default(*, regency, year: int) -> CriteriaTemplate:
    """Return the kabupaten's template for a year, creating Langkat's eight on first use."""
    template = CriteriaTemplate.objects.filter(regency=regency, year=year).order_by("pk").first()
    if template is not None:
        return template
    template, created = CriteriaTemplate.objects.get_or_create(
        regency=regency, year=year, name=DEFAULT_TEMPLATE_NAME
    )
    if created:
        TemplateCriterion.objects.bulk_create(
            TemplateCriterion(
                template=template,
                name=name,
                description=description,
                weight=Decimal("1"),
                levels={str(i): meaning for i, meaning in enumerate(levels, 1)},
                order=order,
            )
            for order, (name, description, levels) in enumerate(DEFAULT_CRITERIA, 1)
        )
    return template


def criteria_frozen(*, forum: Forum) -> bool:
    """Return True once any score was entered: the forum's criteria may not change."""
    return Score.objects.filter(criterion__forum=forum).exists()


def _ensure_criteria_editable(forum: Forum) -> None:
    ensure_unlocked(forum)
    if criteria_frozen(forum=forum):
        raise DomainError("Kriteria sudah dibekukan karena penilaian sudah dimulai.")


@transaction.atomic
def criteria_copy_from_template(
    *, forum: Forum, actor: User, template: CriteriaTemplate | None = None
) -> list[Criterion]:
    """Replace the forum's criteria with a copy of a template (the default when none given)."""
    forum = _lock_forum(forum)
    _ensure_criteria_editable(forum)
    regency = forum.subdistrict.regency
    if template is None:
        template = template_get_default(regency=regency, year=forum.year)
    elif template.regency_id != regency.pk:
        raise DomainError("Templat kriteria bukan milik kabupaten/kota ini.")
    forum.criteria.all().delete()
    criteria = Criterion.objects.bulk_create(
        Criterion(
            forum=forum,
            name=tc.name,
            description=tc.description,
            weight=tc.weight,
            scale_min=tc.scale_min,
            scale_max=tc.scale_max,
            levels=tc.levels,
            order=tc.order,
        )
        for tc in template.criteria.all()
    )
    _log(
        forum=forum,
        actor=actor,
        action=ScoringEvent.Action.CRITERIA,
        detail=f"Kriteria disalin dari templat {template}.",
    )
    return criteria


@transaction.atomic
def criterion_update(
    *, criterion: Criterion, actor: User, weight: Decimal, name: str | None = None
) -> Criterion:
    """Change a forum criterion's weight (and name) until the first score."""
    _lock_forum(criterion.forum)
    _ensure_criteria_editable(criterion.forum)
    if weight is None or weight <= 0:
        raise DomainError("Bobot harus lebih dari nol.")
    old = criterion.weight
    criterion.weight = weight
    fields = ["weight"]
    if name:
        criterion.name = name
        fields.append("name")
    criterion.full_clean()
    criterion.save(update_fields=fields)
    _log(
        forum=criterion.forum,
        actor=actor,
        action=ScoringEvent.Action.CRITERIA,
        detail=f"Bobot {criterion.name}: {old} -> {weight}.",
    )
    return criterion


@transaction.atomic
def criterion_add(
    *,
    forum: Forum,
    actor: User,
    name: str,
    weight: Decimal = Decimal("1"),
    description: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
) -> Criterion:
    """Add a criterion the forum agreed, until the first score."""
    forum = _lock_forum(forum)
    _ensure_criteria_editable(forum)
    if scale_max <= scale_min:
        raise DomainError("Nilai tertinggi harus lebih besar dari nilai terendah.")
    order = (forum.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
    criterion = Criterion(
        forum=forum,
        name=name.strip(),
        description=description,
        weight=weight,
        scale_min=scale_min,
        scale_max=scale_max,
        levels={str(v): "" for v in range(scale_min, scale_max + 1)},
        order=order,
    )
    criterion.full_clean()
    criterion.save()
    _log(
        forum=forum,
        actor=actor,
        action=ScoringEvent.Action.CRITERIA,
        detail=f"Kriteria ditambah: {criterion.name}.",
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, actor: User) -> None:
    """Remove a forum criterion, until the first score."""
    forum = _lock_forum(criterion.forum)
    _ensure_criteria_editable(forum)
    name = criterion.name
    criterion.delete()
    _log(
        forum=forum,
        actor=actor,
        action=ScoringEvent.Action.CRITERIA,
        detail=f"Kriteria dihapus: {name}.",
    )


# --- Development priority of a proposal -------------------------------------------------


@transaction.atomic
def proposal_set_development_priority(
    *, proposal: Proposal, priority: DevelopmentPriority | None, actor: User
) -> Proposal:
    """Link a proposal to one of the kabupaten's development priorities (or unlink it)."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    ensure_proposal_unlocked(proposal)
    if priority is not None and priority.regency_id != proposal.subdistrict.regency_id:
        raise DomainError("Prioritas pembangunan bukan milik kabupaten/kota usulan ini.")
    proposal.development_priority = priority
    proposal.save(update_fields=["development_priority", "updated_at"])
    item = getattr(proposal, "forum_item", None)
    if item is not None:
        _log(
            forum=item.forum,
            item=item,
            actor=actor,
            action=ScoringEvent.Action.PRIORITY,
            detail=f"Prioritas pembangunan daerah: {priority or '-'}.",
        )
    return proposal


# --- Scorers and scores -----------------------------------------------------------------


def scorer_ids(*, forum: Forum) -> list[int]:
    """Return the users whose sheets count: the camat (single mode) or registered scorers."""
    if forum.scoring_mode == Forum.ScoringMode.MULTIPLE:
        return list(forum.scorers.order_by("user_id").values_list("user_id", flat=True))
    return list(
        User.objects.filter(
            role=Role.CAMAT, subdistrict_id=forum.subdistrict_id, is_active=True
        ).values_list("pk", flat=True)
    )


def can_score(*, forum: Forum, user: User) -> bool:
    """Return True when ``user`` has a scoring sheet in this forum."""
    if forum.scoring_mode == Forum.ScoringMode.MULTIPLE:
        return forum.scorers.filter(user=user).exists()
    return user.role == Role.CAMAT and user.subdistrict_id == forum.subdistrict_id


@transaction.atomic
def scorer_add(*, forum: Forum, user: User, actor: User) -> Scorer:
    """Register a kecamatan user as a scorer (multiple mode)."""
    forum = _lock_forum(forum)
    if user.subdistrict_id != forum.subdistrict_id or user.role not in (Role.CAMAT, Role.STAFF):
        raise DomainError("Penilai harus pengguna kecamatan ini.")
    scorer, created = Scorer.objects.get_or_create(forum=forum, user=user)
    if created:
        _log(
            forum=forum,
            actor=actor,
            action=ScoringEvent.Action.SCORER,
            detail=f"Penilai ditambah: {user.get_full_name() or user.username}.",
        )
    return scorer


@transaction.atomic
def scorer_remove(*, scorer: Scorer, actor: User) -> None:
    """Remove a scorer who has not scored yet."""
    forum = _lock_forum(scorer.forum)
    if Score.objects.filter(criterion__forum=forum, scorer_id=scorer.user_id).exists():
        raise DomainError("Penilai ini sudah memberi nilai; tidak dapat dihapus.")
    name = scorer.user.get_full_name() or scorer.user.username
    scorer.delete()
    _log(
        forum=forum,
        actor=actor,
        action=ScoringEvent.Action.SCORER,
        detail=f"Penilai dihapus: {name}.",
    )


def score_save(*, item: ForumItem, criterion: Criterion, scorer: User, value: int | None) -> Score:
    """Save one cell of a scorer's sheet (insert or update on the unique key).

    ``update_or_create`` locks the existing row, or inserts and falls back to the row another
    request inserted at the same moment, so two scorers saving at once lose nothing.
    """
    with transaction.atomic():
        forum = item.forum
        ensure_unlocked(forum)
        if forum.state != Forum.State.RUNNING:
            raise DomainError("Penilaian hanya dapat dilakukan saat forum berlangsung.")
        if criterion.forum_id != forum.pk:
            raise DomainError("Kriteria bukan milik forum ini.")
        if not can_score(forum=forum, user=scorer):
            raise DomainError("Anda tidak terdaftar sebagai penilai forum ini.")
        if value is None or not criterion.scale_min <= value <= criterion.scale_max:
            raise DomainError(
                f"Nilai harus bilangan bulat {criterion.scale_min}–{criterion.scale_max}."
            )
        score, _created = Score.objects.update_or_create(
            item=item, criterion=criterion, scorer=scorer, defaults={"value": value}
        )
        return score


def progress(*, forum: Forum, user: User | None = None) -> dict:
    """Return scored and total cells (of one scorer's sheet, or of every sheet)."""
    items = forum.items.count()
    criteria = forum.criteria.count()
    scores = Score.objects.filter(criterion__forum=forum)
    if user is not None:
        sheets = 1
        scores = scores.filter(scorer=user)
    else:
        ids = scorer_ids(forum=forum)
        sheets = max(len(ids), 1) if forum.scoring_mode == Forum.ScoringMode.MULTIPLE else 1
        scores = scores.filter(scorer_id__in=ids)
    total = items * criteria * sheets
    done = scores.count()
    return {"done": done, "total": total, "complete": total > 0 and done >= total}


# --- Hitung -----------------------------------------------------------------------------


COMPUTED_FIELDS = [
    "total",
    "rank",
    "computed_rank",
    "commission_rank",
    "within_ceiling",
    "computed_at",
    "override_reason",
]


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


@transaction.atomic
def forum_compute(*, forum: Forum, actor: User) -> int:
    """Hitung: weighted totals, ranking overall and per commission, and the ceiling fill.

    Refused while any proposal lacks a score (naming them). One aggregate query for the
    scores, one pass in Python, one upsert for the results. Returns the number of results.
    """
    forum = _lock_forum(forum)
    _ensure_state(forum, Forum.State.RUNNING, message="Hitung hanya saat forum berlangsung.")
    weights = dict(forum.criteria.values_list("pk", "weight"))
    if not weights:
        raise DomainError("Forum belum mempunyai kriteria.")
    ids = scorer_ids(forum=forum)
    if not ids:
        raise DomainError("Forum belum mempunyai penilai.")
    items = list(
        forum.items.values(
            "id",
            "commission_id",
            "proposal__reference",
            "proposal__village_rank",
            "proposal__cost",
            "proposal__agreed_cost",
            "proposal__suggested_agency_id",
        )
    )
    if not items:
        raise DomainError("Forum belum mempunyai usulan.")
    cells: dict[int, dict[int, dict]] = defaultdict(dict)
    aggregates = (
        Score.objects.filter(item__forum=forum, criterion__forum=forum, scorer_id__in=ids)
        .values("item_id", "criterion_id")
        .annotate(avg=Avg("value"), n=Count("id"))
        .order_by()
    )
    for row in aggregates:
        cells[row["item_id"]][row["criterion_id"]] = row
    missing = _missing_cells(forum, ids, cells, items)
    if missing:
        shown = ", ".join(missing[:10]) + (" dan lainnya" if len(missing) > 10 else "")
        raise DomainError(f"{len(missing)} usulan belum dinilai lengkap: {shown}.")
    rows = []
    for item in items:
        total = sum(
            (
                Decimal(weights[c]) * Decimal(str(cell["avg"]))
                for c, cell in cells[item["id"]].items()
            ),
            Decimal("0"),
        ).quantize(Decimal("0.0001"))
        cost = item["proposal__agreed_cost"]
        cost = item["proposal__cost"] if cost is None else cost
        rows.append(
            {
                "item_id": item["id"],
                "commission_id": item["commission_id"],
                "total": total,
                "cost": cost,
                "key": ranking_key(
                    total=total,
                    village_rank=item["proposal__village_rank"],
                    cost=cost,
                    reference=item["proposal__reference"],
                ),
                "agency_id": item["proposal__suggested_agency_id"],
            }
        )
    rows.sort(key=lambda r: r["key"])
    _fill_ceiling(rows, ceiling_amount(forum=forum))
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
            )
        )
    # One INSERT ... ON CONFLICT (item) DO UPDATE: decisions, reasons and OPDs stay.
    Result.objects.bulk_create(
        results,
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=COMPUTED_FIELDS,
        batch_size=1000,
    )
    _log(
        forum=forum,
        actor=actor,
        action=ScoringEvent.Action.COMPUTE,
        detail=f"Dihitung: {len(rows)} usulan.",
    )
    return len(rows)


def results_stale(*, forum: Forum) -> bool:
    """Return True when a score changed after the last Hitung (or Hitung never ran)."""
    computed = Result.objects.filter(item__forum=forum).aggregate(m=Max("computed_at"))["m"]
    if computed is None:
        return True
    return Score.objects.filter(criterion__forum=forum, updated_at__gt=computed).exists()


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


# --- Kirim ke OPD -----------------------------------------------------------------------


def send_problems(*, forum: Forum) -> list[str]:
    """Return why the forum cannot be sent yet (empty when it can)."""
    problems = []
    items = forum.items.count()
    results = Result.objects.filter(item__forum=forum)
    counts = results.aggregate(
        computed=Count("id", filter=Q(rank__isnull=False)),
        undecided=Count("id", filter=Q(decision=Result.Decision.UNDECIDED)),
        no_agency=Count(
            "id",
            filter=Q(decision=Result.Decision.PRIORITY, responsible_agency__isnull=True),
        ),
        no_reason=Count("id", filter=Q(decision=Result.Decision.RESERVE, reason="")),
    )
    if items == 0:
        problems.append("Forum belum mempunyai usulan.")
    elif counts["computed"] < items:
        problems.append("Hitung belum dijalankan untuk semua usulan.")
    elif results_stale(forum=forum):
        problems.append("Ada nilai yang berubah setelah Hitung; jalankan Hitung lagi.")
    undecided = counts["undecided"] + max(items - counts["computed"], 0)
    if undecided:
        problems.append(f"{undecided} usulan belum diputuskan (prioritas atau cadangan).")
    if counts["no_agency"]:
        problems.append(f"{counts['no_agency']} usulan prioritas belum mempunyai OPD.")
    if counts["no_reason"]:
        problems.append(f"{counts['no_reason']} usulan cadangan belum diberi alasan.")
    return problems


@transaction.atomic
def forum_send(*, forum: Forum, actor: User) -> bool:
    """Kirim ke OPD: lock the forum for good and tell the other apps (``forum_sent``).

    Returns True when this call sent the forum and False when it was already sent (a double
    click or a second tab has the effect of one click).
    """
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if forum.is_locked:
        return False
    _ensure_state(forum, Forum.State.RUNNING, message="Forum belum berlangsung.")
    problems = send_problems(forum=forum)
    if problems:
        raise DomainError("Belum dapat dikirim: " + " ".join(problems))
    forum.state = Forum.State.SENT
    forum.sent_at = timezone.now()
    forum.sent_by = actor
    forum.save(update_fields=["state", "sent_at", "sent_by"])
    _log(
        forum=forum,
        actor=actor,
        action=ScoringEvent.Action.SEND,
        detail="Hasil skoring dikirim ke OPD.",
    )
    transaction.on_commit(
        lambda: forum_sent.send(sender=Forum, forum=forum, actor=actor), robust=False
    )
    return True
