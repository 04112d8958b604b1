"""Import of the desa musrenbang recap (Bogor/Karanganyar step 1).

The header row may sit below a title block, columns come in any order. Any error means
nothing is saved; every error names its row, column and what is wrong, in Indonesian.
Formula cells are rejected (their cached value is unreliable in files never opened in Excel).
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

from musrenbang.excel import DANGEROUS_START
from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, Sector, Subdistrict, User
from proposals.codes import fresh_tracking_codes, next_reference
from proposals.excel.columns import (
    COLUMN_ORDER,
    EXPORT_COLUMNS,
    HEADER_SEARCH_ROWS,
    MAX_LEN,
    REQUIRED,
)
from proposals.excel.exporting import escape_text, save_bytes
from proposals.models import Origin, Proposal, Status, Transition
from proposals.services import planning_year_of
from sessions.locks import ensure_proposal_unlocked


def check_access(actor: User | None, subdistrict: Subdistrict) -> None:
    if actor is not None and not (
        actor.is_superuser or (actor.is_kecamatan and actor.subdistrict_id == subdistrict.pk)
    ):
        raise DomainError("Hanya staf kecamatan ini yang dapat mengimpor usulan.")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Baris {self.row}, kolom {self.column}: {self.message}"


@dataclass
class ImportResult:
    count: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    # The uploaded rows as read (for the error file), with their sheet row numbers.
    header_row: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _norm(text) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip()).lower()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # An escaped export cell: a leading apostrophe before = + - @ is not part of the text.
    if text.startswith("'") and text[1:2] in DANGEROUS_START:
        text = text[1:]
    return text


def parse_cost(value) -> int | None:
    """Read ``1250000``, ``1250000.0``, ``"Rp 1.250.000"`` or ``"1.250.000,00"`` as rupiah."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return int(value) if value == int(value) else None
    text = re.sub(r"(?i)^rp\.?", "", str(value or "").strip()).strip().replace(" ", "")
    text = re.sub(r",0{1,2}$", "", text)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    return _whole(text)


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
    return _whole(str(value or "").strip())


def _whole(text: str) -> int | None:
    """ASCII digits of at most 18 places (``²`` passes ``isdigit`` but not ``int``)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(cell.value, str) and cell.value.startswith("=")
    )


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
        self.existing_references = set(
            Proposal.objects.filter(subdistrict=subdistrict, year=year).values_list(
                "reference", flat=True
            )
        )


def _find_header(ws) -> tuple[int, dict[str, int]] | None:
    wanted = {_norm(c): c for c in EXPORT_COLUMNS}
    for index, row in enumerate(ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), 1):
        found = {}
        for col, value in enumerate(row):
            key = _norm(value)
            if key in wanted and wanted[key] not in found:
                found[wanted[key]] = col
        if "Usulan Kegiatan" in found and len(found) >= 4:
            return index, found
    return None


def read_workbook(data: bytes) -> tuple[ImportResult, list[dict]]:
    """Read the rows of the first sheet; return errors found while reading and the raw rows."""
    result = ImportResult()
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.errors.append(RowError(0, "-", "Berkas bukan lembar kerja Excel (.xlsx) yang sah."))
        return result, []
    ws = wb.worksheets[0]
    header = _find_header(ws)
    if header is None:
        result.errors.append(
            RowError(
                0,
                "-",
                f"Baris judul kolom tidak ditemukan pada {HEADER_SEARCH_ROWS} baris pertama "
                "(minimal kolom Usulan Kegiatan dan kolom lain dari templat).",
            )
        )
        return result, []
    header_row, columns = header
    missing = [c for c in REQUIRED if c not in columns]
    if "Kode Desa/Kelurahan" not in columns and "Desa/Kelurahan" not in columns:
        missing.insert(0, "Kode Desa/Kelurahan atau Desa/Kelurahan")
    for name in missing:
        result.errors.append(RowError(header_row, name, "Kolom wajib tidak ada."))
    result.header_row = header_row
    raw = []
    for number, row in enumerate(ws.iter_rows(min_row=header_row + 1), header_row + 1):
        if all(c.value is None or str(c.value).strip() == "" for c in row):
            continue
        record = {"_row": number}
        for name, col in columns.items():
            cell = row[col] if col < len(row) else None
            if cell is None:
                record[name] = None
            elif _is_formula(cell):
                record[name] = None
                result.errors.append(
                    RowError(number, name, "Berisi rumus; ganti dengan nilainya (tempel nilai).")
                )
            else:
                record[name] = cell.value
        raw.append(record)
    wb.close()
    if not raw and not missing:
        result.errors.append(RowError(header_row + 1, "-", "Berkas tidak berisi baris data."))
    return result, raw


def _validate(record: dict, lookups: _Lookups, subdistrict: Subdistrict) -> tuple[dict, list]:
    row = record["_row"]
    errors = []

    def err(column, message):
        errors.append(RowError(row, column, message))

    code = _text(record.get("Kode Desa/Kelurahan"))
    name = _text(record.get("Desa/Kelurahan"))
    village = None
    if code:
        village = lookups.village_by_code.get(code)
        if village is None:
            err("Kode Desa/Kelurahan", f"Kode {code} bukan desa/kelurahan di {subdistrict}.")
    elif name:
        village = lookups.village_by_name.get(_norm(name))
        if village is None:
            err("Desa/Kelurahan", f"Desa/kelurahan {name} tidak ada di {subdistrict}.")
    else:
        err("Desa/Kelurahan", "Kode atau nama desa/kelurahan wajib diisi.")
    values = {}
    for column, attr in [
        ("Usulan Kegiatan", "title"),
        ("Lokasi", "location"),
        ("Satuan", "unit"),
        ("Permasalahan", "problem"),
    ]:
        text = _text(record.get(column))
        if not text and column != "Permasalahan":
            err(column, "Wajib diisi.")
        elif len(text) > MAX_LEN[column]:
            err(column, f"Terlalu panjang (maksimal {MAX_LEN[column]} karakter).")
        values[attr] = text
    volume = _parse_decimal(record.get("Volume"))
    if volume is None or not volume.is_finite():
        err("Volume", "Harus berupa angka.")
    elif volume <= 0:
        err("Volume", "Harus lebih dari 0.")
    elif volume != volume.quantize(Decimal("0.01")) or volume >= Decimal("1e10"):
        err("Volume", "Paling banyak dua angka di belakang koma.")
    values["volume"] = volume
    raw_cost = record.get("Perkiraan Biaya (Rp)")
    cost = parse_cost(raw_cost)
    if raw_cost in (None, ""):
        err("Perkiraan Biaya (Rp)", "Wajib diisi.")
    elif cost is None:
        err("Perkiraan Biaya (Rp)", "Harus berupa angka rupiah bulat, misalnya Rp 1.250.000.")
    elif cost < 0:
        err("Perkiraan Biaya (Rp)", "Tidak boleh negatif.")
    values["cost"] = cost
    sector_name = _text(record.get("Bidang"))
    values["sector"] = lookups.sector.get(_norm(sector_name))
    if values["sector"] is None:
        err("Bidang", f"Bidang '{sector_name}' tidak dikenal." if sector_name else "Wajib diisi.")
    agency_name = _text(record.get("OPD Tujuan"))
    values["suggested_agency"] = lookups.agency.get(_norm(agency_name)) if agency_name else None
    if agency_name and values["suggested_agency"] is None:
        err("OPD Tujuan", f"OPD '{agency_name}' tidak dikenal (nama atau singkatan).")
    raw_rank = record.get("Prioritas Desa")
    rank = _parse_rank(raw_rank)
    if raw_rank in (None, ""):
        rank = None
    elif rank is None or rank < 1:
        err("Prioritas Desa", "Harus bilangan bulat 1 atau lebih.")
    values["village_rank"] = rank
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
    check_access(actor, subdistrict)
    planning_year_of(subdistrict=subdistrict, year=year)
    ensure_proposal_unlocked(Proposal(subdistrict=subdistrict, year=year))
    result, raw = read_workbook(data)
    result.dry_run = dry_run
    if not raw or any(e.row <= result.header_row for e in result.errors):
        return result  # no header, missing columns or no rows: nothing to check per row
    rows, errors = validate_rows(raw, subdistrict=subdistrict, year=year)
    formula_cells = {(e.row, e.column) for e in result.errors}
    errors = [e for e in errors if (e.row, e.column) not in formula_cells]
    result.errors = sorted(
        result.errors + errors, key=lambda e: (e.row, COLUMN_ORDER.get(e.column, 99))
    )
    errors = result.errors
    if errors or dry_run:
        result.count = 0 if errors else len(rows)
        return result
    with transaction.atomic():
        first = next_reference(subdistrict=subdistrict, year=year)
        prefix, start = first.rsplit("/", 1)[0], int(first.rsplit("/", 1)[1])
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
                    proposal=p,
                    from_status="",
                    to_status=Status.RECEIVED,
                    actor=actor,
                    reason="Diimpor dari rekap musrenbang desa/kelurahan (Excel)",
                )
                for p in proposals
            ],
            batch_size=1000,
        )
    result.count = len(proposals)
    return result


def error_workbook_from(data: bytes, result: ImportResult) -> bytes:
    """Return the uploaded workbook with a "Kesalahan" column on the header and data rows."""
    by_row = defaultdict(list)
    for error in result.errors:
        by_row[error.row].append(f"{error.column}: {error.message}")
    wb = load_workbook(BytesIO(data))
    ws = wb.worksheets[0]
    header_row = result.header_row or 1
    col = ws.max_column + 1
    ws.cell(row=header_row, column=col, value="Kesalahan").font = Font(bold=True)
    red = PatternFill("solid", fgColor="F8D7DA")
    for row, messages in by_row.items():
        if row <= header_row:  # errors of the file or the header go next to the label
            ws.cell(row=header_row, column=col, value="Kesalahan — " + "; ".join(messages))
            continue
        cell = ws.cell(row=row, column=col, value="; ".join(messages))
        cell.fill = red
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.value = escape_text(str(cell.value))
                cell.data_type = "s"
    return save_bytes(wb)
