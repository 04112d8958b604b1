"""Demo part of scoring: Stabat's forum is scored, computed, decided and sent to the OPDs.

Runs after the forum demo, which leaves Stabat's forum of ``ctx.year`` running with its
proposals loaded into commissions. Idempotent: a sent forum is left alone.
"""

import hashlib

from musrenbang.demo import DemoContext, _user
from musrenbang.models import Agency, Role
from scoring import services
from scoring.models import Result
from sessions.models import Forum

AGENCY_ORDER = ["PUPR", "Dinkes", "Disdik", "Perkim", "Dishub", "Diskop UKM", "DLH", "Dinsos"]
RESERVE_REASONS = [
    "Lokasi belum siap: status lahan masih dalam proses hibah dari warga.",
    "Dapat dibiayai Dana Desa tahun berjalan; diusulkan kembali bila belum tertampung.",
    "Melebihi pagu indikatif kecamatan; menjadi cadangan untuk tahun berikutnya.",
]


def _value(reference: str, criterion_name: str, low: int, high: int) -> int:
    """Return a deterministic pseudo-random score for a cell."""
    digest = hashlib.sha256(f"{reference}|{criterion_name}".encode()).hexdigest()
    return low + int(digest[:8], 16) % (high - low + 1)


def _agencies(ctx: DemoContext) -> list[Agency]:
    by_abbr = {a.abbreviation: a for a in Agency.objects.filter(regency=ctx.langkat)}
    return [by_abbr[a] for a in AGENCY_ORDER if a in by_abbr]


def seed(ctx: DemoContext) -> None:
    reader = _user("opd.pupr.langkat", "Rudi Hartono", Role.OPD, agency=_pupr(ctx))
    ctx.users.setdefault("opd.pupr.langkat", reader)
    forum = (
        Forum.objects.select_related("subdistrict__regency")
        .filter(subdistrict=ctx.stabat, year=ctx.year)
        .first()
    )
    if forum is None or not forum.items.exists():
        ctx.log.append("Skoring: forum Stabat belum ada atau belum berisi usulan; dilewati.")
        return
    if forum.is_locked:
        return
    if forum.state != Forum.State.RUNNING:
        ctx.log.append("Skoring: forum Stabat belum berlangsung; dilewati.")
        return
    camat = ctx.users["camat.stabat"]
    if not forum.criteria.exists():
        services.criteria_copy_from_template(forum=forum, actor=camat)
    if forum.scoring_mode == Forum.ScoringMode.MULTIPLE:
        services.scorer_add(forum=forum, user=camat, actor=camat)
    criteria = list(forum.criteria.all())
    for item in forum.items.select_related("proposal"):
        for criterion in criteria:
            value = _value(
                item.proposal.reference, criterion.name, criterion.scale_min, criterion.scale_max
            )
            services.score_save(item=item, criterion=criterion, scorer=camat, value=value)
    services.forum_compute(forum=forum, actor=camat)
    _decide(forum, camat, _agencies(ctx))
    services.forum_send(forum=forum, actor=camat)
    ctx.log.append("Skoring: forum Stabat dinilai, dihitung dan dikirim ke OPD.")


def _pupr(ctx: DemoContext) -> Agency:
    return Agency.objects.get(regency=ctx.langkat, abbreviation="PUPR")


def _agency_for(index: int, agencies: list[Agency]) -> Agency:
    """PUPR takes every third priority; the others rotate over the remaining OPDs."""
    if index % 3 == 0 or len(agencies) == 1:
        return agencies[0]
    return agencies[1 + index % (len(agencies) - 1)]


def _decide(forum: Forum, camat, agencies: list[Agency]) -> None:
    """Priorities across the OPDs (PUPR first); the last ranks and those beyond pagu reserve."""
    results = list(Result.objects.filter(item__forum=forum).order_by("rank"))
    reserve_from = min(len(results) - 2, sum(1 for r in results if r.within_ceiling))
    reserve_from = max(reserve_from, 1) if len(results) > 2 else len(results)
    for index, result in enumerate(results):
        if index >= reserve_from:
            reason = RESERVE_REASONS[(index - reserve_from) % len(RESERVE_REASONS)]
            services.result_decide(
                result=result, decision=Result.Decision.RESERVE, reason=reason, actor=camat
            )
        else:
            services.result_decide(
                result=result,
                decision=Result.Decision.PRIORITY,
                agency=_agency_for(index, agencies),
                actor=camat,
            )
