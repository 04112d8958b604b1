"""Reads for the documents and the overview: one query per table, joins built in."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from musrenbang.models import (
    Agency,
    BudgetCeiling,
    CodeMapping,
    Nomenclature,
    Regency,
    Role,
    Sector,
    Subdistrict,
    User,
    Village,
)
from musrenbang.selectors import instrument_for_year
from proposals.models import Proposal, Status
from proposals.selectors import INTAKE_VISIBLE
from reports.models import ArchivedDocument, Distribution, ForumUpload, SipdReconciliation
from reports.sipd.worklist import progress_by_subdistrict
from scoring.models import Result
from sessions.models import Commission, Delegate, Forum, ForumItem, Participant, TeamMember

PRIORITY = Result.Decision.PRIORITY
RESERVE = Result.Decision.RESERVE


@dataclass
class Row:
    """One forum proposal as printed: the item, its proposal and its result (may be None)."""

    item: ForumItem
    result: Result | None
    # The proposal's sub kegiatan in the nomenclature of the forum's year (set by the bundle).
    sub_activity: Nomenclature | None = None

    @property
    def proposal(self) -> Proposal:
        return self.item.proposal

    @property
    def activity(self) -> Nomenclature | None:
        """The kegiatan of the sub kegiatan (T-D.4's "Program dan Kegiatan Prioritas")."""
        return self.sub_activity.parent if self.sub_activity else None

    @property
    def program(self) -> Nomenclature | None:
        activity = self.activity
        return activity.parent if activity else None

    @property
    def regional_target(self):
        proposal = self.proposal
        if proposal.regional_target_id:
            return proposal.regional_target
        return proposal.kamus.target if proposal.kamus_id else None

    @property
    def agency(self) -> Agency | None:
        if self.result and self.result.responsible_agency_id:
            return self.result.responsible_agency
        return self.proposal.suggested_agency

    @property
    def decision(self) -> str:
        return self.result.decision if self.result else ""

    @property
    def is_priority(self) -> bool:
        return self.decision == PRIORITY

    @property
    def is_reserve(self) -> bool:
        return self.decision == RESERVE


@dataclass
class Group:
    """Rows of one bidang and OPD with their subtotal."""

    sector: str
    agency: str
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.proposal.effective_cost for row in self.rows)


@dataclass
class ForumBundle:
    """Everything the forum's documents print, read once."""

    forum: Forum
    rows: list[Row]
    participants: list[Participant]
    delegates: list[Delegate]
    commissions: list[Commission]
    team: list[TeamMember]
    ceiling: int | None
    extra: dict = field(default_factory=dict)

    @property
    def subdistrict(self) -> Subdistrict:
        return self.forum.subdistrict

    @property
    def regency(self) -> Regency:
        return self.forum.subdistrict.regency

    @property
    def present(self) -> list[Participant]:
        return [p for p in self.participants if p.present_at]

    @property
    def present_count(self) -> int:
        return len(self.present)

    @property
    def participant_count(self) -> int:
        """The count printed in the Berita Acara: the camat's figure, else attendance."""
        if self.forum.participant_count is not None:
            return self.forum.participant_count
        return self.present_count

    @property
    def priority(self) -> list[Row]:
        rows = [r for r in self.rows if r.decision == PRIORITY]
        return sorted(rows, key=lambda r: (r.result.rank or 10**9, r.item.pk))

    @property
    def reserve(self) -> list[Row]:
        rows = [r for r in self.rows if r.decision == RESERVE]
        return sorted(rows, key=lambda r: (r.result.rank or 10**9, r.item.pk))

    @property
    def ranked(self) -> list[Row]:
        return sorted(
            self.rows, key=lambda r: (r.result.rank if r.result and r.result.rank else 10**9,)
        )

    @property
    def priority_total(self) -> int:
        return sum(r.proposal.effective_cost for r in self.priority)

    @property
    def reserve_total(self) -> int:
        return sum(r.proposal.effective_cost for r in self.reserve)

    def priority_groups(self) -> list[Group]:
        """Return the priority rows grouped by bidang, then OPD, in rank order within."""

        def key(row: Row):
            sector = row.proposal.sector
            agency = row.agency
            return (
                (sector.order, sector.name),
                agency.name if agency else "~",
            )

        rows = sorted(self.priority, key=lambda r: (key(r), r.result.rank or 10**9))
        groups = []
        for (sector_key, agency_name), members in groupby(rows, key=key):
            label = agency_name if agency_name != "~" else "Belum ditetapkan"
            groups.append(Group(sector=sector_key[1], agency=label, rows=list(members)))
        return groups

    def elected(self, body: str) -> list[Delegate]:
        return [d for d in self.delegates if d.elected and d.body == body]

    def signers(self, category: str) -> list[Participant]:
        """Return participants of a category who attended (or all, before the day)."""
        people = [p for p in self.participants if p.category == category]
        present = [p for p in people if p.present_at]
        return present or people

    def attendance_counts(self, *, present_only: bool) -> list[dict]:
        """Return rows ``{label, L, P, total}`` per category, then the total row."""
        people = self.present if present_only else self.participants
        counts: dict[str, Counter] = defaultdict(Counter)
        for person in people:
            counts[person.category][person.gender] += 1
        rows = []
        for value, label in Participant.Category.choices:
            c = counts.get(value)
            if c:
                rows.append({"label": label, "L": c["L"], "P": c["P"], "total": c.total()})
        male = sum(r["L"] for r in rows)
        female = sum(r["P"] for r in rows)
        rows.append({"label": "Jumlah", "L": male, "P": female, "total": male + female})
        return rows

    def agencies_with_priority(self) -> list[Agency]:
        seen = {}
        for row in self.priority:
            if row.agency:
                seen[row.agency.pk] = row.agency
        return sorted(seen.values(), key=lambda a: a.name)


def forum_for_documents(forum_id: int) -> Forum:
    return Forum.objects.select_related("subdistrict__regency").get(pk=forum_id)


def forum_bundle(forum: Forum) -> ForumBundle:
    """Read the forum's documents data: six queries, whatever the size."""
    items = list(
        ForumItem.objects.filter(forum=forum)
        .select_related(
            "proposal__village",
            "proposal__sector",
            "proposal__development_priority",
            "proposal__suggested_agency",
            "proposal__regional_target",
            "proposal__kamus__target",
            "proposal__sub_activity__parent__parent",
            "commission",
            "result__responsible_agency",
        )
        .order_by("id")
    )
    resolve = year_sub_activities(forum.year, [item.proposal.sub_activity for item in items])
    rows = [
        Row(
            item=item,
            result=getattr(item, "result", None),
            sub_activity=resolve(item.proposal.sub_activity),
        )
        for item in items
    ]
    participants = list(
        Participant.objects.filter(forum=forum).select_related("village").order_by("name", "id")
    )
    delegates = list(
        Delegate.objects.filter(forum=forum)
        .select_related("participant__village")
        .order_by("body", "order", "id")
    )
    commissions = list(Commission.objects.filter(forum=forum).select_related("sector"))
    team = list(TeamMember.objects.filter(forum=forum))
    ceiling = (
        BudgetCeiling.objects.filter(subdistrict_id=forum.subdistrict_id, year=forum.year)
        .values_list("amount", flat=True)
        .first()
    )
    return ForumBundle(
        forum=forum,
        rows=rows,
        participants=participants,
        delegates=delegates,
        commissions=commissions,
        team=team,
        ceiling=ceiling,
    )


def year_sub_activities(year: int, subs: list):
    """Return a function giving each sub kegiatan as listed by the instrument in force for
    ``year`` (renumbered codes followed through its mapping), or None when not valid then.
    Two queries for the whole list, parents (kegiatan, program) included."""
    instrument = instrument_for_year(year)
    if instrument is None:
        return lambda sub: None
    foreign = {s.code for s in subs if s is not None and s.instrument_id != instrument.pk}
    mapping = (
        dict(
            CodeMapping.objects.filter(instrument=instrument, old_code__in=foreign).values_list(
                "old_code", "new_code"
            )
        )
        if foreign
        else {}
    )
    wanted = {mapping.get(code, code) for code in foreign}
    found = (
        {
            n.code: n
            for n in Nomenclature.objects.filter(
                instrument=instrument, code__in=wanted, level=Nomenclature.Level.SUB
            ).select_related("parent__parent")
        }
        if wanted
        else {}
    )

    def resolve(sub):
        if sub is None:
            return None
        if sub.instrument_id == instrument.pk:
            return sub
        return found.get(mapping.get(sub.code, sub.code))

    return resolve


def village_proposals(subdistrict: Subdistrict, year: int, village: Village | None = None):
    """Return the proposals submitted to the kecamatan (no drafts), grouped per desa."""
    qs = (
        Proposal.objects.filter(subdistrict=subdistrict, year=year)
        .exclude(status=Status.DRAFT)
        .select_related("village", "sector", "development_priority")
        .order_by("village__code", "village_rank", "id")
    )
    if village is not None:
        qs = qs.filter(village=village)
    groups = []
    for village_obj, members in groupby(qs, key=lambda p: p.village):
        groups.append((village_obj, list(members)))
    return groups


def forum_documents_page(forum: Forum) -> dict:
    """Return the archive, uploads and distribution rows shown on the documents page."""
    return {
        "archived": ArchivedDocument.objects.filter(forum=forum)
        .select_related("created_by")
        .first(),
        "uploads": list(ForumUpload.objects.filter(forum=forum).select_related("uploaded_by")),
        "distributions": list(
            Distribution.objects.filter(forum=forum).select_related("agency", "sent_by")
        ),
        "sipd_history": list(
            SipdReconciliation.objects.filter(forum=forum).select_related("created_by")[:10]
        ),
    }


def forums_for(user: User) -> QuerySet[Forum]:
    """Return the forums whose documents a user may open."""
    qs = Forum.objects.select_related("subdistrict__regency")
    if user.is_superuser:
        return qs
    if user.role == Role.BAPPEDA:
        return qs.filter(subdistrict__regency_id=user.regency_id)
    if user.role in (Role.CAMAT, Role.STAFF):
        return qs.filter(subdistrict_id=user.subdistrict_id)
    return qs.none()


# --- Bappeda's overview: a fixed number of grouped queries, whatever the number of kecamatan ---


def _by_subdistrict(qs, key: str = "subdistrict_id") -> dict[int, dict]:
    return {row[key]: row for row in qs}


OVERVIEW_SORTS = {
    "kode": lambda row: row["subdistrict"].code,
    "nama": lambda row: row["subdistrict"].name,
    "prioritas": lambda row: -row["priority_total"],
    "usulan": lambda row: -row["received"],
}


def overview_rows(rows: list[dict], *, search: str = "", sort: str = "kode") -> list[dict]:
    """The overview's kecamatan rows whose name contains ``search``, in the order ``sort``."""
    search = search.lower()
    if search:
        rows = [row for row in rows if search in row["subdistrict"].name.lower()]
    return sorted(rows, key=OVERVIEW_SORTS.get(sort, OVERVIEW_SORTS["kode"]))


def regency_overview(regency: Regency, year: int) -> dict:
    """Return one row per kecamatan with counts and totals, and the totals per OPD and bidang."""
    from reports.followup.selectors import followup_progress

    subdistricts = list(Subdistrict.objects.filter(regency=regency).order_by("code"))
    counts = _overview_counts(regency, year)
    rows = [_overview_row(sub, counts) for sub in subdistricts]
    return {
        "rows": rows,
        **_priority_totals(regency, year),
        "totals": _overview_totals(rows),
        "followups": followup_progress(regency, year),
    }


def _result_cost() -> Coalesce:
    """The cost a result counts with: the agreed cost when the forum set one."""
    return Coalesce(F("item__proposal__agreed_cost"), F("item__proposal__cost"))


def _overview_counts(regency: Regency, year: int) -> dict[str, dict]:
    """Return the overview's figures of the year, each keyed by kecamatan id (one query each)."""
    in_year = {"forum__subdistrict__regency": regency, "forum__year": year}
    return {
        "forums": {
            f.subdistrict_id: f
            for f in Forum.objects.filter(subdistrict__regency=regency, year=year)
        },
        "proposals": _by_subdistrict(
            Proposal.objects.filter(subdistrict__regency=regency, year=year)
            .values("subdistrict_id")
            .annotate(
                received=Count("id", filter=INTAKE_VISIBLE),
                verified=Count("id", filter=Q(status=Status.VERIFIED)),
            )
        ),
        "results": _by_subdistrict(
            Result.objects.filter(item__forum__subdistrict__regency=regency, item__forum__year=year)
            .values(subdistrict_id=F("item__forum__subdistrict_id"))
            .annotate(
                priority=Count("id", filter=Q(decision=PRIORITY)),
                reserve=Count("id", filter=Q(decision=RESERVE)),
                priority_total=Sum(_result_cost(), filter=Q(decision=PRIORITY), default=0),
            )
        ),
        "participants": _by_subdistrict(
            Participant.objects.filter(**in_year, present_at__isnull=False)
            .values(subdistrict_id=F("forum__subdistrict_id"))
            .annotate(total=Count("id"), women=Count("id", filter=Q(gender="P")))
        ),
        "delegates": _by_subdistrict(
            Delegate.objects.filter(**in_year, elected=True)
            .values(subdistrict_id=F("forum__subdistrict_id"))
            .annotate(total=Count("id"), women=Count("id", filter=Q(participant__gender="P")))
        ),
        "ceilings": dict(
            BudgetCeiling.objects.filter(subdistrict__regency=regency, year=year).values_list(
                "subdistrict_id", "amount"
            )
        ),
        "archives": {
            a.subdistrict_id: a
            for a in ArchivedDocument.objects.filter(subdistrict__regency=regency, year=year)
        },
        "sipd": progress_by_subdistrict(regency, year),
    }


def _overview_row(sub: Subdistrict, counts: dict[str, dict]) -> dict:
    """Return one kecamatan's row of the overview from the figures of ``_overview_counts``."""
    p = counts["proposals"].get(sub.pk, {})
    r = counts["results"].get(sub.pk, {})
    att = counts["participants"].get(sub.pk, {})
    dele = counts["delegates"].get(sub.pk, {})
    sipd_done, sipd_total = counts["sipd"].get(sub.pk, (0, 0))
    return {
        "subdistrict": sub,
        "forum": counts["forums"].get(sub.pk),
        "received": p.get("received", 0),
        "verified": p.get("verified", 0),
        "priority": r.get("priority", 0),
        "reserve": r.get("reserve", 0),
        "priority_total": r.get("priority_total", 0) or 0,
        "ceiling": counts["ceilings"].get(sub.pk),
        "participants": att.get("total", 0),
        "women_participants": _share(att.get("women", 0), att.get("total", 0)),
        "delegates": dele.get("total", 0),
        "women_delegates": _share(dele.get("women", 0), dele.get("total", 0)),
        "archive": counts["archives"].get(sub.pk),
        "sipd_done": sipd_done,
        "sipd_total": sipd_total,
    }


def _priority_totals(regency: Regency, year: int) -> dict[str, list[dict]]:
    """Return the priorities' count and cost per OPD, per bidang and per program."""
    priority_results = Result.objects.filter(
        item__forum__subdistrict__regency=regency, item__forum__year=year, decision=PRIORITY
    )
    sums = {"count": Count("id"), "total": Sum(_result_cost())}
    agency = Coalesce(F("responsible_agency__name"), F("item__proposal__suggested_agency__name"))
    # By program of the national nomenclature (the program of each proposal's sub kegiatan).
    program = "item__proposal__sub_activity__parent__parent__"
    return {
        "per_agency": list(
            priority_results.values(agency_name=agency).annotate(**sums).order_by("agency_name")
        ),
        "per_sector": list(
            priority_results.values(
                sector_name=F("item__proposal__sector__name"),
                sector_order=F("item__proposal__sector__order"),
            )
            .annotate(**sums)
            .order_by("sector_order", "sector_name")
        ),
        "per_program": list(
            priority_results.values(
                program_code=F(program + "code"), program_name=F(program + "name")
            )
            .annotate(**sums)
            .order_by("program_code")
        ),
    }


def _overview_totals(rows: list[dict]) -> dict:
    """Return the overview's bottom line: sums of the kecamatan rows."""
    totals = {
        key: sum(row[key] or 0 for row in rows)
        for key in ("received", "verified", "priority", "reserve", "priority_total")
    }
    totals["ceiling"] = sum(row["ceiling"] or 0 for row in rows)
    totals["sent"] = sum(1 for row in rows if row["forum"] and row["forum"].is_locked)
    totals["archived"] = sum(1 for row in rows if row["archive"])
    return totals


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def sectors_of(regency: Regency) -> QuerySet[Sector]:
    return Sector.objects.filter(regency=regency)
