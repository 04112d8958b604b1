"""Import of the desa musrenbang recap (Bogor/Karanganyar step 1).

The header row may sit below a title block, columns come in any order. Any error means
nothing is saved; every error names its row, column and what is wrong, in Indonesian.
Formula cells are rejected (their cached value is unreliable in files never opened in Excel).
"""

from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from musrenbang.excel import (
    HEADER_SEARCH_ROWS,
    ImportResult,
    Layout,
    RowError,
    cell_text,
    is_formula,
    merge_errors,
    norm,
    parse_cost,
    read_table,
    whole_number,
)
from musrenbang.models import Agency, KamusEntry, Sector, Subdistrict, User
from musrenbang.rulebook import authorize
from musrenbang.selectors import normalise_name
from proposals.codes import fresh_tracking_codes, next_reference
from proposals.excel.columns import (
    COLUMN_ORDER,
    EXPORT_COLUMNS,
    KAMUS_COST_NOTE,
    MAX_LEN,
    REQUIRED,
)
from proposals.models import Origin, Proposal, Status, Transition
from proposals.workflow import YearTarget

_norm = norm
_text = cell_text
_is_formula = is_formula


def _parse_decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value or "").strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _parse_rank(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value
    return whole_number(str(value or "").strip())


class _Lookups:
    """Master data of the kecamatan, loaded once (no query per row)."""

    def __init__(self, subdistrict: Subdistrict, year: int):
        villages = list(subdistrict.villages.all())
        self.village_by_code = {v.code: v for v in villages}
        self.village_by_name = {}
        for v in villages:
            self.village_by_name[_norm(v.name)] = v
            self.village_by_name[_norm(str(v))] = v
        regency_id = subdistrict.regency_id
        self.sector = {_norm(s.name): s for s in Sector.objects.filter(regency_id=regency_id)}
        self.agency = {}
        for a in Agency.objects.filter(regency_id=regency_id, is_active=True):
            self.agency[_norm(a.name)] = a
            self.agency[_norm(a.abbreviation)] = a
        self.taken_ranks = set(
            Proposal.objects.filter(
                subdistrict=subdistrict, year=year, village_rank__isnull=False
            ).values_list("village_id", "village_rank")
        )
        self.max_rank = dict(
            Proposal.objects.filter(subdistrict=subdistrict, year=year)
            .values_list("village_id")
            .annotate(m=Max("village_rank"))
            .order_by()
        )
        self.kamus_exact, self.kamus_loose = {}, {}
        for entry in KamusEntry.objects.filter(
            regency_id=regency_id, year=year, is_active=True
        ).select_related("sector", "agency", "sub_activity"):
            self.kamus_exact[entry.name] = entry
            self.kamus_loose[normalise_name(entry.name)] = entry
        self.existing_references = set(
            Proposal.objects.filter(subdistrict=subdistrict, year=year).values_list(
                "reference", flat=True
            )
        )


def _rekap_missing(found: set) -> list[str]:
    missing = [c for c in REQUIRED if c not in found]
    if "Kode Desa/Kelurahan" not in found and "Desa/Kelurahan" not in found:
        missing.insert(0, "Kode Desa/Kelurahan atau Desa/Kelurahan")
    return missing


REKAP_LAYOUT = Layout(
    columns={name: () for name in EXPORT_COLUMNS},
    search_rows=HEADER_SEARCH_ROWS,
    is_header=lambda found: "Usulan Kegiatan" in found and len(found) >= 4,
    missing=_rekap_missing,
    hint="minimal kolom Usulan Kegiatan dan kolom lain dari templat",
)


def read_workbook(data: bytes, layout: Layout = REKAP_LAYOUT) -> tuple[ImportResult, list[dict]]:
    """Read the rows of the first sheet; return errors found while reading and the raw rows."""
    return read_table(data, layout=layout)


def _village_of(record: dict, lookups: _Lookups, subdistrict: Subdistrict, err):
    code = _text(record.get("Kode Desa/Kelurahan"))
    name = _text(record.get("Desa/Kelurahan"))
    if code:
        village = lookups.village_by_code.get(code)
        if village is None:
            err("Kode Desa/Kelurahan", f"Kode {code} bukan desa/kelurahan di {subdistrict}.")
        return village
    if name:
        village = lookups.village_by_name.get(_norm(name))
        if village is None:
            err("Desa/Kelurahan", f"Desa/kelurahan {name} tidak ada di {subdistrict}.")
        return village
    err("Desa/Kelurahan", "Kode atau nama desa/kelurahan wajib diisi.")
    return None


def _kamus_of(record: dict, lookups: _Lookups, err):
    kamus_name = _text(record.get("Kamus Usulan"))
    if not kamus_name:
        return None
    kamus = lookups.kamus_exact.get(kamus_name) or lookups.kamus_loose.get(
        normalise_name(kamus_name)
    )
    if kamus is None:
        err("Kamus Usulan", f"'{kamus_name}' tidak ada di kamus usulan tahun ini.")
    return kamus


def _texts(record: dict, values: dict, kamus, err) -> None:
    optional = {"Permasalahan"} | ({"Satuan"} if kamus else set())
    for column, attr in [
        ("Usulan Kegiatan", "title"),
        ("Lokasi", "location"),
        ("Satuan", "unit"),
        ("Permasalahan", "problem"),
    ]:
        text = _text(record.get(column))
        if not text and column not in optional:
            err(column, "Wajib diisi.")
        elif len(text) > MAX_LEN[column]:
            err(column, f"Terlalu panjang (maksimal {MAX_LEN[column]} karakter).")
        values[attr] = text


def _volume(record: dict, err) -> Decimal | None:
    volume = _parse_decimal(record.get("Volume"))
    if volume is None or not volume.is_finite():
        err("Volume", "Harus berupa angka.")
    elif volume <= 0:
        err("Volume", "Harus lebih dari 0.")
    elif volume != volume.quantize(Decimal("0.01")) or volume >= Decimal("1e10"):
        err("Volume", "Paling banyak dua angka di belakang koma.")
    return volume


def _cost(record: dict, volume, kamus, err) -> int | None:
    raw_cost = record.get("Perkiraan Biaya (Rp)")
    cost = parse_cost(raw_cost)
    if raw_cost in (None, "") and kamus and volume is not None and volume > 0:
        cost = int(volume * kamus.unit_price)  # the kamus proposes volume x unit price
    elif raw_cost in (None, ""):
        err("Perkiraan Biaya (Rp)", "Wajib diisi.")
    elif cost is None:
        err("Perkiraan Biaya (Rp)", "Harus berupa angka rupiah bulat, misalnya Rp 1.250.000.")
    elif cost < 0:
        err("Perkiraan Biaya (Rp)", "Tidak boleh negatif.")
    return cost


def _sector_and_agency(record: dict, values: dict, lookups: _Lookups, kamus, err) -> None:
    sector_name = _text(record.get("Bidang"))
    values["sector"] = lookups.sector.get(_norm(sector_name))
    if values["sector"] is None and not sector_name and kamus:
        values["sector"] = kamus.sector
    if values["sector"] is None:
        err("Bidang", f"Bidang '{sector_name}' tidak dikenal." if sector_name else "Wajib diisi.")
    agency_name = _text(record.get("OPD Tujuan"))
    values["suggested_agency"] = lookups.agency.get(_norm(agency_name)) if agency_name else None
    if agency_name and values["suggested_agency"] is None:
        err("OPD Tujuan", f"OPD '{agency_name}' tidak dikenal (nama atau singkatan).")


def _apply_kamus_entry(values: dict, kamus) -> None:
    values["unit"] = values["unit"] or kamus.unit
    values["suggested_agency"] = values["suggested_agency"] or kamus.agency
    values.update(kamus=kamus, sub_activity=kamus.sub_activity)
    cost, volume = values["cost"], values["volume"]
    if cost is not None and volume is not None and cost != int(volume * kamus.unit_price):
        values["cost_note"] = KAMUS_COST_NOTE


def _rank(record: dict, err) -> int | None:
    raw_rank = record.get("Prioritas Desa")
    rank = _parse_rank(raw_rank)
    if raw_rank in (None, ""):
        return None
    if rank is None or rank < 1:
        err("Prioritas Desa", "Harus bilangan bulat 1 atau lebih.")
    return rank


def _validate(record: dict, lookups: _Lookups, subdistrict: Subdistrict) -> tuple[dict, list]:
    row = record["_row"]
    errors = []

    def err(column, message):
        errors.append(RowError(row, column, message))

    village = _village_of(record, lookups, subdistrict, err)
    values = {}
    kamus = _kamus_of(record, lookups, err)
    _texts(record, values, kamus, err)
    values["volume"] = _volume(record, err)
    values["cost"] = _cost(record, values["volume"], kamus, err)
    _sector_and_agency(record, values, lookups, kamus, err)
    if kamus:
        _apply_kamus_entry(values, kamus)
    values["village_rank"] = _rank(record, err)
    values["village"] = village
    reference = _text(record.get("Nomor Usulan"))
    if reference and reference in lookups.existing_references:
        err(
            "Nomor Usulan",
            f"Usulan {reference} sudah ada; kosongkan kolom ini untuk usulan baru.",
        )
    return values, errors


def validate_rows(
    raw: list[dict], *, subdistrict: Subdistrict, year: int
) -> tuple[list[dict], list[RowError]]:
    lookups = _Lookups(subdistrict, year)
    rows, errors = [], []
    seen_ranks: Counter = Counter()
    for record in raw:
        values, row_errors = _validate(record, lookups, subdistrict)
        errors += row_errors
        village, rank = values["village"], values["village_rank"]
        if village and rank:
            seen_ranks[(village.pk, rank)] += 1
            if seen_ranks[(village.pk, rank)] > 1:
                errors.append(
                    RowError(
                        record["_row"],
                        "Prioritas Desa",
                        f"Prioritas {rank} dipakai lebih dari sekali untuk {village} di berkas.",
                    )
                )
            elif (village.pk, rank) in lookups.taken_ranks:
                errors.append(
                    RowError(
                        record["_row"],
                        "Prioritas Desa",
                        f"Prioritas {rank} sudah dipakai usulan {village} yang tersimpan.",
                    )
                )
        rows.append(values)
    # Rows without a rank go after the highest rank of their desa (file and database).
    if not errors:
        top = defaultdict(int, {k: v or 0 for k, v in lookups.max_rank.items()})
        for village_id, rank in seen_ranks:
            top[village_id] = max(top[village_id], rank)
        for values in rows:
            if values["village_rank"] is None:
                top[values["village"].pk] += 1
                values["village_rank"] = top[values["village"].pk]
    return rows, errors


def import_proposals(
    *, actor: User | None, data: bytes, subdistrict: Subdistrict, year: int, dry_run: bool = False
) -> ImportResult:
    """Import a workbook of desa proposals into the kecamatan's year, all rows or none.

    Imported proposals arrive as received (the kecamatan typed in the desa's recap); each
    gets a reference number, a tracking code and one audit row.
    """
    authorize(actor, "proposals.import_proposals", YearTarget(subdistrict, year))
    result, raw = read_workbook(data)
    result.dry_run = dry_run
    if not raw or any(e.row <= result.header_row for e in result.errors):
        return result  # no header, missing columns or no rows: nothing to check per row
    rows, errors = validate_rows(raw, subdistrict=subdistrict, year=year)
    merge_errors(result, errors, COLUMN_ORDER)
    errors = result.errors
    if errors or dry_run:
        result.count = 0 if errors else len(rows)
        return result
    with transaction.atomic():
        proposals = create_received(
            rows,
            subdistrict=subdistrict,
            year=year,
            actor=actor,
            reason="Diimpor dari rekap musrenbang desa/kelurahan (Excel)",
        )
    result.count = len(proposals)
    return result


def create_received(
    rows: list[dict], *, subdistrict: Subdistrict, year: int, actor: User | None, reason: str
) -> list[Proposal]:
    """Create imported proposals as received by the kecamatan, with their audit rows.

    Call inside a transaction; ``rows`` are the field values of each proposal.
    """
    first = next_reference(subdistrict=subdistrict, year=year)
    prefix, start = first.rsplit("/", 1)[0], int(first.rsplit("/", 1)[1])  # then counts on
    codes = fresh_tracking_codes(len(rows))
    now = timezone.now()
    proposals = [
        Proposal(
            year=year,
            origin=Origin.VILLAGE,
            subdistrict=subdistrict,
            reference=f"{prefix}/{start + i:04d}",
            tracking_code=codes[i],
            status=Status.RECEIVED,
            submitted_at=now,
            received_at=now,
            received_by=actor,
            created_by=actor,
            **values,
        )
        for i, values in enumerate(rows)
    ]
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    Transition.objects.bulk_create(
        [
            Transition(
                proposal=p, from_status="", to_status=Status.RECEIVED, actor=actor, reason=reason
            )
            for p in proposals
        ],
        batch_size=1000,
    )
    return proposals
