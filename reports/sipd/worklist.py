"""Reads of the "Input SIPD" worklist: one row per proposal with its rekomendasi kecamatan."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from musrenbang.models import Agency, Regency
from proposals.excel.sipd import key_sort
from proposals.models import Proposal, Status
from scoring.models import Result
from sessions.models import Forum

PRIORITY, RESERVE = Result.Decision.PRIORITY, Result.Decision.RESERVE


def volume_text(value: Decimal) -> str:
    """``2`` for 2.00, ``2,5`` for 2.50: SIPD's koefisien takes a plain number."""
    value = Decimal(value).normalize()
    text = format(value, "f")
    return text.replace(".", ",")


@dataclass
class WorkRow:
    """A proposal of the forum's kecamatan and year as it must stand in SIPD."""

    proposal: Proposal

    @property
    def result(self) -> Result | None:
        item = getattr(self.proposal, "forum_item", None)
        return getattr(item, "result", None) if item is not None else None

    @property
    def key(self) -> str:
        return self.proposal.sipd_key

    @property
    def in_sipd(self) -> bool:
        return bool(self.proposal.sipd_key)

    @property
    def kind(self) -> str:
        """``prioritas``, ``cadangan``, ``ditolak`` or ``tidak_dibahas`` (as parsed back)."""
        result = self.result
        if result is not None and result.decision in (PRIORITY, RESERVE):
            return result.decision
        if self.proposal.status == Status.REJECTED:
            return "ditolak"
        return "tidak_dibahas"

    @property
    def rank(self) -> int | None:
        return self.result.rank if self.kind == PRIORITY else None

    @property
    def reason(self) -> str:
        if self.kind == RESERVE:
            return self.result.reason
        if self.kind == "ditolak":
            return self.proposal.status_reason
        return ""

    @property
    def decision(self) -> str:
        kind = self.kind
        if kind == PRIORITY:
            return f"Disetujui, prioritas {self.rank}" if self.rank else "Disetujui"
        if kind == RESERVE:
            return f"Cadangan: {self.reason}".strip()
        if kind == "ditolak":
            return f"Tidak disetujui: {self.reason}".strip()
        return "Tidak dibahas"

    @property
    def has_figures(self) -> bool:
        return self.kind in (PRIORITY, RESERVE)

    @property
    def volume(self) -> Decimal | None:
        return self.proposal.effective_volume if self.has_figures else None

    @property
    def unit(self) -> str:
        return self.proposal.unit if self.has_figures else ""

    @property
    def koefisien(self) -> str:
        return f"{volume_text(self.volume)} {self.unit}" if self.has_figures else ""

    @property
    def anggaran(self) -> str:
        return str(self.proposal.effective_cost) if self.has_figures else ""

    @property
    def cost(self) -> int | None:
        return self.proposal.effective_cost if self.has_figures else None

    @property
    def recommendation(self) -> str:
        """The rekomendasi kecamatan as SIPD's importers write it."""
        if not self.has_figures:
            return self.decision
        return f"{self.decision}. Koefisien : {self.koefisien}, Anggaran : {self.anggaran}"

    @property
    def agency(self) -> Agency | None:
        result = self.result
        if result is not None and result.responsible_agency_id:
            return result.responsible_agency
        return self.proposal.suggested_agency

    @property
    def entry(self):
        return getattr(self.proposal, "sipd_input", None)


def worklist_queryset(*, subdistrict_id: int, year: int):
    """Proposals SIPD must hold: those imported from it, and those the forum took in."""
    return (
        Proposal.objects.filter(subdistrict_id=subdistrict_id, year=year)
        .filter(~Q(sipd_key="") | Q(forum_item__isnull=False))
        .exclude(status=Status.DRAFT)
    )


def worklist(forum: Forum, *, agency_id: int | None = None, done: bool | None = None) -> dict:
    """The worklist of a forum: rows with a SIPD key in SIPD's order, then the rows to be
    created in SIPD; ``n`` done of ``N`` over the whole list (filters do not change it)."""
    base = worklist_queryset(subdistrict_id=forum.subdistrict_id, year=forum.year)
    qs = base.select_related(
        "village",
        "sector",
        "suggested_agency",
        "forum_item__result__responsible_agency",
        "sipd_input__done_by",
    )
    rows = [WorkRow(p) for p in qs]
    total = len(rows)
    done_count = sum(1 for r in rows if r.entry is not None)
    if agency_id is not None:
        rows = [r for r in rows if r.agency is not None and r.agency.pk == agency_id]
    if done is not None:
        rows = [r for r in rows if (r.entry is not None) == done]
    keyed = sorted((r for r in rows if r.in_sipd), key=lambda r: key_sort(r.key))
    new = sorted((r for r in rows if not r.in_sipd), key=lambda r: r.proposal.reference)
    return {"keyed": keyed, "new": new, "done": done_count, "total": total}


def progress_by_subdistrict(regency: Regency, year: int) -> dict[int, tuple[int, int]]:
    """``{subdistrict_id: (n done, N)}`` for Bappeda's overview, in one grouped query."""
    rows = (
        Proposal.objects.filter(subdistrict__regency=regency, year=year)
        .filter(~Q(sipd_key="") | Q(forum_item__isnull=False))
        .exclude(status=Status.DRAFT)
        .values_list("subdistrict_id")
        .annotate(n=Count("id"), done=Count("sipd_input"))
        .order_by()
    )
    return {sid: (done, n) for sid, n, done in rows}
