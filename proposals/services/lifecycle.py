"""Writes of proposals: create, edit, rank, and every change of status.

Every status change goes through ``_transition``, which enforces the one table ``TRANSITIONS``
(who may move a proposal from which status to which), locks the row, refuses proposals of a
sent forum and writes a ``Transition`` row. Views, bulk actions, the import and the demo all
call these functions.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Length
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.formatting import rupiah
from musrenbang.models import PlanningYear, Subdistrict, User, Village
from musrenbang.selectors import kamus_match
from proposals.codes import new_tracking_code, next_reference
from proposals.models import (
    Origin,
    Proposal,
    RejectionCategory,
    Status,
    Transition,
)
from sessions.locks import ensure_proposal_unlocked

DESA = "desa"
KECAMATAN = "kecamatan"
# Sending the forum closes the year (``proposals_close_year``): not a person's side.
CLOSING = "penutupan"

# (from, to) -> the sides that may make the move. The one table of allowed moves.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.DRAFT, Status.SUBMITTED): frozenset({DESA, KECAMATAN}),
    (Status.RETURNED, Status.SUBMITTED): frozenset({DESA, KECAMATAN}),
    (Status.SUBMITTED, Status.RECEIVED): frozenset({KECAMATAN}),
    (Status.SUBMITTED, Status.RETURNED): frozenset({KECAMATAN}),
    (Status.SUBMITTED, Status.REJECTED): frozenset({KECAMATAN}),
    (Status.RECEIVED, Status.VERIFIED): frozenset({KECAMATAN}),
    (Status.RECEIVED, Status.RETURNED): frozenset({KECAMATAN}),
    (Status.RECEIVED, Status.REJECTED): frozenset({KECAMATAN}),
    (Status.SUBMITTED, Status.NOT_DISCUSSED): frozenset({CLOSING}),
    (Status.RECEIVED, Status.NOT_DISCUSSED): frozenset({CLOSING}),
    (Status.VERIFIED, Status.NOT_DISCUSSED): frozenset({CLOSING}),
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Statuses a kecamatan may still correct the figures of (before the verdict).
KECAMATAN_EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.RECEIVED})
REASON_REQUIRED = frozenset({Status.RETURNED, Status.REJECTED})

EDITABLE_FIELDS = [
    "title",
    "problem",
    "location",
    "latitude",
    "longitude",
    "volume",
    "unit",
    "cost",
    "sector",
    "suggested_agency",
    "development_priority",
]

# Set from the kamus usulan (or left empty for a direct proposal); kept apart from
# EDITABLE_FIELDS so that carrying a proposal into another year never keeps last year's entry.
KAMUS_FIELDS = ["kamus", "sub_activity", "regional_target", "cost_note"]


def allowed_targets(status: str, side: str | None) -> set[str]:
    """Return the statuses a side may move a proposal to from ``status``."""
    return {to for (frm, to), sides in TRANSITIONS.items() if frm == status and side in sides}


def side_of(actor: User, proposal: Proposal) -> str | None:
    """Return ``"desa"`` or ``"kecamatan"`` when the actor acts for that side of the proposal."""
    if actor.is_operator and proposal.village_id and actor.village_id == proposal.village_id:
        return DESA
    if actor.is_kecamatan and actor.subdistrict_id == proposal.subdistrict_id:
        return KECAMATAN
    return None


def _require_side(actor: User, proposal: Proposal) -> str:
    side = side_of(actor, proposal)
    if side is None:
        raise DomainError("Anda tidak berwenang mengubah usulan ini.")
    return side


def planning_year_of(*, subdistrict: Subdistrict, year: int) -> PlanningYear:
    found = PlanningYear.objects.filter(regency_id=subdistrict.regency_id, year=year).first()
    if found is None:
        raise DomainError(f"Tahun perencanaan {year} belum dibuat oleh Bappeda.")
    return found


def deadline_passed(*, subdistrict: Subdistrict, year: int, now: dt.datetime | None = None) -> bool:
    planning = planning_year_of(subdistrict=subdistrict, year=year)
    return (now or timezone.now()) > planning.submission_deadline


def _ensure_before_deadline(side: str, subdistrict: Subdistrict, year: int) -> None:
    if side == DESA and deadline_passed(subdistrict=subdistrict, year=year):
        raise DomainError(
            "Batas waktu pengajuan usulan desa/kelurahan sudah lewat; "
            "hanya kecamatan yang dapat menambah usulan."
        )


def _audit(
    proposal: Proposal, *, frm: str, to: str, actor: User | None, reason="", public=True
) -> Transition:
    return Transition.objects.create(
        proposal=proposal, from_status=frm, to_status=to, actor=actor, reason=reason, public=public
    )


def _next_rank(village: Village, year: int) -> int:
    top = Proposal.objects.filter(village=village, year=year).aggregate(m=Max("village_rank"))["m"]
    return (top or 0) + 1


def _ensure_rank_free(village: Village, year: int, rank: int, exclude_pk=None) -> None:
    taken = Proposal.objects.filter(village=village, year=year, village_rank=rank)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(f"Prioritas {rank} sudah dipakai usulan lain {village} tahun ini.")


def _check_fields(data: dict) -> None:
    if Decimal(str(data.get("volume") or 0)) <= 0:
        raise DomainError("Volume harus lebih dari 0.")
    if int(data.get("cost") or 0) < 0:
        raise DomainError("Perkiraan biaya tidak boleh negatif.")
    for name in ("title", "location", "unit"):
        if not str(data.get(name) or "").strip():
            raise DomainError("Usulan kegiatan, lokasi dan satuan wajib diisi.")


def _check_master(subdistrict: Subdistrict, data: dict) -> None:
    for name in ("sector", "suggested_agency", "development_priority"):
        obj = data.get(name)
        if obj is not None and obj.regency_id != subdistrict.regency_id:
            raise DomainError("Bidang, OPD dan prioritas harus milik kabupaten/kota yang sama.")


def _apply_kamus(subdistrict: Subdistrict, year: int, data: dict, current=None) -> dict:
    """Check the kamus fields and fill what the chosen entry implies; return the changes.

    The entry fills unit, bidang, OPD and sub kegiatan left empty and proposes
    cost = volume x unit price; a different cost needs a note (shown to the forum).
    """
    merged = {
        **{n: getattr(current, n) for n in (*EDITABLE_FIELDS, *KAMUS_FIELDS) if current},
        **data,
    }
    kamus = merged.get("kamus")
    changes = {}
    target = merged.get("regional_target")
    if target is not None and target.priority.regency_id != subdistrict.regency_id:
        raise DomainError("Sasaran daerah harus milik kabupaten/kota yang sama.")
    switched = current is not None and current.kamus_id != (kamus.pk if kamus else None)
    if kamus is None:
        if switched and "sub_activity" not in data:
            changes["sub_activity"] = None  # a direct proposal keeps no kamus sub kegiatan
        return changes
    if switched and "sub_activity" not in data:
        changes["sub_activity"] = kamus.sub_activity
    if kamus.regency_id != subdistrict.regency_id or kamus.year != year:
        raise DomainError(f"Kamus usulan harus dari kabupaten/kota ini untuk tahun {year}.")
    if not kamus.is_active and (current is None or current.kamus_id != kamus.pk):
        raise DomainError(f"Kamus usulan {kamus.name} tidak aktif.")
    for field, value in (
        ("unit", kamus.unit),
        ("sector", kamus.sector),
        ("suggested_agency", kamus.agency),
        ("sub_activity", kamus.sub_activity),
        ("regional_target", kamus.target),
        ("development_priority", kamus.priority),
    ):
        if merged.get(field) in (None, "") and value is not None:
            changes[field] = value
    volume = merged.get("volume")
    if volume is not None:
        expected = int(Decimal(str(volume)) * kamus.unit_price)
        if merged.get("cost") in (None, ""):
            changes["cost"] = expected
        elif int(merged["cost"]) != expected and not str(merged.get("cost_note") or "").strip():
            raise DomainError(
                "Biaya berbeda dari volume × harga satuan kamus "
                f"({rupiah(expected)}); tulis catatan penyesuaian biaya."
            )
    return changes


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    year: int,
    data: dict,
    village: Village | None = None,
    subdistrict: Subdistrict | None = None,
    rank: int | None = None,
) -> Proposal:
    """Create a draft. Operators add to their own desa before the deadline; the kecamatan
    adds for any of its desa (or as its own addition without a desa) at any time."""
    subdistrict = village.subdistrict if village else subdistrict
    if subdistrict is None:
        raise DomainError("Pilih desa/kelurahan atau kecamatan usulan.")
    probe = Proposal(subdistrict=subdistrict, village=village, year=year)
    side = _require_side(actor, probe)
    if side == DESA and village is None:
        raise DomainError("Operator desa hanya dapat menambah usulan desanya sendiri.")
    _ensure_before_deadline(side, subdistrict, year)
    ensure_proposal_unlocked(probe)
    data = {**data, **_apply_kamus(subdistrict, year, data)}
    _check_fields(data)
    _check_master(subdistrict, data)
    if village is not None:
        if rank is None:
            rank = _next_rank(village, year)
        _ensure_rank_free(village, year, rank)
    proposal = Proposal(
        year=year,
        subdistrict=subdistrict,
        village=village,
        origin=Origin.VILLAGE if village else Origin.SUBDISTRICT,
        village_rank=rank if village else None,
        reference=next_reference(subdistrict=subdistrict, year=year),
        tracking_code=new_tracking_code(),
        created_by=actor,
        status=Status.DRAFT,
        **{name: data.get(name) for name in (*EDITABLE_FIELDS, *KAMUS_FIELDS) if name in data},
    )
    proposal.full_clean(exclude=["reference", "tracking_code"])
    proposal.save()
    _audit(proposal, frm="", to=Status.DRAFT, actor=actor)
    return proposal


def _locked(proposal_id: int) -> Proposal:
    # of=("self",): lock the proposal row only, not the joined kecamatan row.
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("subdistrict")
        .get(pk=proposal_id)
    )


@transaction.atomic
def proposal_update(*, actor: User, proposal: Proposal, data: dict) -> Proposal:
    """Change the figures of a proposal the actor's side may still edit."""
    proposal = _locked(proposal.pk)
    side = _require_side(actor, proposal)
    ensure_proposal_unlocked(proposal)
    editable = EDITABLE if side == DESA else KECAMATAN_EDITABLE
    if proposal.status not in editable:
        raise DomainError(
            f"Usulan berstatus {proposal.get_status_display()} tidak dapat diubah lagi."
        )
    if side == DESA and proposal.status == Status.DRAFT:
        _ensure_before_deadline(side, proposal.subdistrict, proposal.year)
    data = {**data, **_apply_kamus(proposal.subdistrict, proposal.year, data, proposal)}
    _check_fields({**{n: getattr(proposal, n) for n in EDITABLE_FIELDS}, **data})
    _check_master(proposal.subdistrict, data)
    fields = [name for name in (*EDITABLE_FIELDS, *KAMUS_FIELDS) if name in data]
    if side == KECAMATAN:
        fields += [name for name in ("agreed_volume", "agreed_cost") if name in data]
    for name in fields:
        setattr(proposal, name, data[name])
    proposal.full_clean()
    proposal.save(update_fields=[*fields, "updated_at"])
    return proposal


@transaction.atomic
def proposal_reorder(*, actor: User, village: Village, year: int, ordered_ids: list[int]) -> None:
    """Give the desa's proposals of the year the ranks 1..n in the order of ``ordered_ids``.

    Only proposals the desa may still edit (draft, returned) may change rank; the ranks of
    submitted proposals must stay where they are.
    """
    proposals = {
        p.pk: p for p in Proposal.objects.select_for_update().filter(village=village, year=year)
    }
    if set(ordered_ids) != set(proposals) or len(ordered_ids) != len(proposals):
        raise DomainError("Urutan harus memuat semua usulan desa/kelurahan tahun ini.")
    probe = Proposal(subdistrict=village.subdistrict, village=village, year=year)
    side = _require_side(actor, probe)
    ensure_proposal_unlocked(probe)
    changed = []
    for rank, pk in enumerate(ordered_ids, 1):
        proposal = proposals[pk]
        if proposal.village_rank == rank:
            continue
        if side == DESA and proposal.status not in EDITABLE:
            raise DomainError(
                f"Urutan usulan {proposal.reference} yang sudah diajukan tidak dapat diubah."
            )
        proposal.village_rank = rank
        changed.append(proposal)
    # Free the ranks first: the unique (desa, year, rank) constraint is checked per row.
    Proposal.objects.filter(pk__in=[p.pk for p in changed]).update(village_rank=None)
    Proposal.objects.bulk_update(changed, ["village_rank"])


def proposal_move(*, actor: User, proposal: Proposal, offset: int) -> None:
    """Move a desa proposal up (-1) or down (+1) in the desa's priority order."""
    ids = list(
        Proposal.objects.filter(village_id=proposal.village_id, year=proposal.year)
        .order_by("village_rank", "id")
        .values_list("pk", flat=True)
    )
    index = ids.index(proposal.pk)
    target = index + offset
    if not 0 <= target < len(ids):
        return
    ids[index], ids[target] = ids[target], ids[index]
    proposal_reorder(actor=actor, village=proposal.village, year=proposal.year, ordered_ids=ids)


def _transition(
    *,
    actor: User,
    proposal: Proposal,
    to: str,
    reason: str = "",
    public: bool = True,
    changes: dict | None = None,
) -> Proposal:
    """Move one proposal to ``to``: the single place that enforces ``TRANSITIONS``."""
    with transaction.atomic():
        proposal = _locked(proposal.pk)
        side = _require_side(actor, proposal)
        ensure_proposal_unlocked(proposal)
        frm = proposal.status
        sides = TRANSITIONS.get((frm, to))
        if not sides:
            raise DomainError(
                f"Usulan {proposal.reference} berstatus {proposal.get_status_display()} "
                f"tidak dapat diubah menjadi {Status(to).label}."
            )
        if side not in sides:
            raise DomainError("Langkah ini hanya dapat dilakukan oleh kecamatan.")
        reason = (reason or "").strip()
        if to in REASON_REQUIRED and not reason:
            raise DomainError("Alasan wajib diisi.")
        if to == Status.SUBMITTED and frm == Status.DRAFT:
            _ensure_before_deadline(side, proposal.subdistrict, proposal.year)
        changes = {**(changes or {}), "status": to}
        if to in REASON_REQUIRED or to == Status.VERIFIED:
            changes.setdefault("status_reason", reason if to in REASON_REQUIRED else "")
        for name, value in changes.items():
            setattr(proposal, name, value)
        proposal.save(update_fields=[*changes, "updated_at"])
        _audit(proposal, frm=frm, to=to, actor=actor, reason=reason, public=public)
        return proposal


def proposal_submit(*, actor: User, proposal: Proposal) -> Proposal:
    return _transition(
        actor=actor,
        proposal=proposal,
        to=Status.SUBMITTED,
        changes={"submitted_at": timezone.now()},
    )


def proposals_submit_all(*, actor: User, village: Village, year: int) -> int:
    """Submit every draft and returned proposal of the desa for the year (all or nothing)."""
    with transaction.atomic():
        pending = Proposal.objects.filter(village=village, year=year, status__in=EDITABLE)
        proposals = list(pending.order_by("village_rank", "id"))
        if not proposals:
            raise DomainError("Tidak ada usulan draf atau dikembalikan yang dapat diajukan.")
        for proposal in proposals:
            proposal_submit(actor=actor, proposal=proposal)
    return len(proposals)


def _next_register_number(subdistrict: Subdistrict, year: int) -> str:
    Subdistrict.objects.select_for_update().filter(pk=subdistrict.pk).first()
    prefix = f"REG/{year}/{subdistrict.code}/"
    last = (
        Proposal.objects.filter(register_number__startswith=prefix)
        .order_by(Length("register_number").desc(), "-register_number")
        .values_list("register_number", flat=True)
        .first()
    )
    number = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def proposal_receive(
    *, actor: User, proposal: Proposal, register_number: str = "", disposition_note: str = ""
) -> Proposal:
    """Register a submitted proposal at the kecamatan (number, who, when, disposisi notes)."""
    with transaction.atomic():
        number = register_number.strip() or _next_register_number(
            proposal.subdistrict, proposal.year
        )
        return _transition(
            actor=actor,
            proposal=proposal,
            to=Status.RECEIVED,
            changes={
                "register_number": number,
                "received_at": timezone.now(),
                "received_by": actor,
                "disposition_note": disposition_note.strip(),
            },
        )


def proposal_verify(*, actor: User, proposal: Proposal, note: str = "") -> Proposal:
    """Mark a received proposal as verified: complete, within authority, not duplicated."""
    return _transition(
        actor=actor, proposal=proposal, to=Status.VERIFIED, reason=note, public=False
    )


def proposal_return(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Send a proposal back to the desa for revision; the reason is shown to the public."""
    return _transition(actor=actor, proposal=proposal, to=Status.RETURNED, reason=reason)


def proposal_reject(*, actor: User, proposal: Proposal, category: str, reason: str) -> Proposal:
    """Reject a proposal with a category and a reason (both shown on the tracking page)."""
    if category not in RejectionCategory.values:
        raise DomainError("Pilih kategori penolakan.")
    label = RejectionCategory(category).label
    text = f"{label}: {reason.strip()}" if reason.strip() else ""
    return _transition(
        actor=actor,
        proposal=proposal,
        to=Status.REJECTED,
        reason=text,
        changes={"rejection_category": category},
    )


BULK_ACTIONS = {
    "terima": "Terima",
    "verifikasi": "Verifikasi",
    "kembalikan": "Kembalikan",
    "tolak": "Tolak",
}


def proposals_bulk(
    *,
    actor: User,
    proposals: Iterable[Proposal],
    action: str,
    reason: str = "",
    category: str = "",
) -> int:
    """Apply one action to many proposals: all of them change, or none does."""
    proposals = list(proposals)
    if not proposals:
        raise DomainError("Pilih minimal satu usulan.")
    if action not in BULK_ACTIONS:
        raise DomainError("Aksi massal tidak dikenal.")
    try:
        with transaction.atomic():
            for proposal in proposals:
                if action == "terima":
                    proposal_receive(actor=actor, proposal=proposal)
                elif action == "verifikasi":
                    proposal_verify(actor=actor, proposal=proposal)
                elif action == "kembalikan":
                    proposal_return(actor=actor, proposal=proposal, reason=reason)
                else:
                    proposal_reject(
                        actor=actor, proposal=proposal, category=category, reason=reason
                    )
    except DomainError as error:
        raise DomainError(f"{error} Tidak ada usulan yang diubah.")
    return len(proposals)


# Follow-up stages (reports.followup) in which last year's proposal is still on its way.
_TAKEN_UP = ["diterima", "renja", "rkpd", "dpa", "pelaksanaan", "selesai", "dialihkan"]


def carry_over_candidates(*, village: Village, year: int):
    """Last year's proposals that came to nothing, not yet carried over.

    Rejected ones, not discussed ones and reserves (cadangan) no OPD took up, and priorities
    the OPD did not fund (follow-up "tidak didanai"), each with what to tell the desa:
    ``reserve_reason``, ``not_funded_category`` and ``not_funded_reason`` besides
    ``status_reason``.
    """
    return (
        Proposal.objects.filter(village=village, year=year - 1)
        .filter(
            Q(status=Status.REJECTED)
            | (
                (Q(status=Status.NOT_DISCUSSED) | Q(forum_item__result__decision="cadangan"))
                & ~Q(follow_up__stage__in=_TAKEN_UP)
            )
            | Q(follow_up__stage="tidak_didanai")
        )
        .exclude(carried_over_to__year=year)
        .annotate(
            reserve_reason=F("forum_item__result__reason"),
            not_funded_category=F("follow_up__reason_category"),
            not_funded_reason=F("follow_up__reason_text"),
        )
        .order_by("village_rank", "id")
    )


@transaction.atomic
def proposals_carry_over(*, actor: User, village: Village, year: int) -> list[Proposal]:
    """Copy last year's rejected, not discussed, reserve and not-funded proposals into this
    year's drafts."""
    # Serialize per desa: a double click or two tabs must not copy the same proposals twice.
    Village.objects.select_for_update().filter(pk=village.pk).first()
    old = list(
        carry_over_candidates(village=village, year=year).select_related(
            "village__subdistrict__regency", "kamus"
        )
    )
    if not old:
        raise DomainError(f"Tidak ada usulan tahun {year - 1} yang dapat dilanjutkan.")
    created = []
    for source in old:
        data = {name: getattr(source, name) for name in EDITABLE_FIELDS}
        if source.kamus_id:  # the same kamus entry of the new year, if it still exists
            entry = kamus_match(regency=village.subdistrict.regency, year=year,
                                text=source.kamus.name)  # fmt: skip
            if entry is not None:
                data.update(kamus=entry, cost_note=f"Biaya usulan tahun {year - 1}.")
        proposal = proposal_create(actor=actor, year=year, village=village, data=data)
        proposal.carried_over_from = source
        proposal.save(update_fields=["carried_over_from"])
        created.append(proposal)
    return created


@transaction.atomic
def proposals_close_year(*, subdistrict: Subdistrict, year: int, actor: User) -> int:
    """Close the year's proposals the forum never took in, when the forum is sent.

    Submitted, received and verified proposals of the kecamatan and year without a forum item
    become "not discussed" with a public reason and a ``Transition``; drafts stay drafts of
    the desa and returned proposals stay with it. Called by the forum's "Kirim ke OPD" inside
    its transaction. Returns how many proposals were closed.
    """
    if not actor.has_perm("proposals.close_year", subdistrict):
        raise DomainError("Hanya camat kecamatan ini yang dapat menutup usulan tahun ini.")
    closable = {frm for (frm, to), sides in TRANSITIONS.items() if CLOSING in sides}
    pending = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(subdistrict=subdistrict, year=year, status__in=closable)
        .filter(forum_item__isnull=True)
        .order_by("pk")
    )
    reason = (
        f"Tidak dibahas: forum Musrenbang Kecamatan {subdistrict.name} tahun {year} sudah "
        "dikirim ke OPD sebelum usulan ini dibahas. Usulan dapat dilanjutkan tahun berikutnya."
    )
    for proposal in pending:
        frm = proposal.status
        proposal.status = Status.NOT_DISCUSSED
        proposal.status_reason = reason
        proposal.save(update_fields=["status", "status_reason", "updated_at"])
        _audit(proposal, frm=frm, to=Status.NOT_DISCUSSED, actor=actor, reason=reason)
    return len(pending)
