"""Writes of a proposal's content: create, edit figures, rank within the desa.

Each service starts with its one permission check (``proposals.rules``): who may act, in
which status, while the year is open and, for the desa, before its deadline.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from musrenbang.exceptions import DomainError
from musrenbang.formatting import rupiah
from musrenbang.models import Subdistrict, User, Village
from musrenbang.rulebook import authorize
from proposals.codes import new_tracking_code, next_reference
from proposals.models import Origin, Proposal, Status
from proposals.services._common import _audit, _locked, _probe
from proposals.workflow import DESA, EDITABLE, KECAMATAN, side_of

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
    authorize(
        actor,
        "proposals.create_proposal",
        _probe(subdistrict=subdistrict, village=village, year=year),
    )
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


@transaction.atomic
def proposal_update(*, actor: User, proposal: Proposal, data: dict) -> Proposal:
    """Change the figures of a proposal the actor's side may still edit."""
    proposal = _locked(proposal.pk)
    authorize(actor, "proposals.edit_proposal", proposal)
    data = {**data, **_apply_kamus(proposal.subdistrict, proposal.year, data, proposal)}
    _check_fields({**{n: getattr(proposal, n) for n in EDITABLE_FIELDS}, **data})
    _check_master(proposal.subdistrict, data)
    fields = [name for name in (*EDITABLE_FIELDS, *KAMUS_FIELDS) if name in data]
    if side_of(actor, proposal) == KECAMATAN:
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
    probe = _probe(subdistrict=village.subdistrict, village=village, year=year)
    authorize(actor, "proposals.reorder_proposals", probe)
    proposals = {
        p.pk: p for p in Proposal.objects.select_for_update().filter(village=village, year=year)
    }
    if set(ordered_ids) != set(proposals) or len(ordered_ids) != len(proposals):
        raise DomainError("Urutan harus memuat semua usulan desa/kelurahan tahun ini.")
    desa = side_of(actor, probe) == DESA
    changed = []
    for rank, pk in enumerate(ordered_ids, 1):
        proposal = proposals[pk]
        if proposal.village_rank == rank:
            continue
        # Which rows move depends on the order asked for: checked row by row.
        if desa and proposal.status not in EDITABLE:
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
    authorize(actor, "proposals.reorder_proposals", proposal)
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
