"""Writes of the nomenclature and the kamus usulan: the two imports and the year rollover.

Both imports use the product's one import machinery (``musrenbang.excel.read_table``): header
found below a title block, columns by name, formula cells refused, every problem a
``RowError``, all rows or none. ``dry_run`` returns the preview (``result.changes``) without
saving. Every function starts with one permission check of its actor (None: a management
command run by the server's operator).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from musrenbang.excel import (
    ImportResult,
    RowError,
    cell_text,
    merge_errors,
    norm,
    parse_cost,
    read_table,
)
from musrenbang.exceptions import DomainError
from musrenbang.models import (
    Agency,
    CodeMapping,
    DevelopmentPriority,
    Instrument,
    KamusEntry,
    Nomenclature,
    Regency,
    RegionalTarget,
    Sector,
    User,
)
from musrenbang.rulebook import RULES, authorize
from musrenbang.selectors import instrument_for_year

NOMENCLATURE_COLUMNS = [
    "Kode",
    "Nomenklatur",
    "Tingkat",
    "Kinerja",
    "Indikator",
    "Satuan",
    "Kode Lama",
]
KAMUS_COLUMNS = [
    "Nama Usulan",
    "Uraian Pekerjaan",
    "Satuan",
    "Harga Satuan (Rp)",
    "Jenis",
    "Bidang",
    "OPD",
    "Kode Sub Kegiatan",
    "Prioritas Daerah",
    "Sasaran Daerah",
    "Aktif",
]
# Number of code segments per level: 1 / 1.03 / 1.03.10 / 1.03.10.2.01 / 1.03.10.2.01.0001
LEVEL_BY_SEGMENTS = {
    1: Nomenclature.Level.URUSAN,
    2: Nomenclature.Level.BIDANG,
    3: Nomenclature.Level.PROGRAM,
    5: Nomenclature.Level.KEGIATAN,
    6: Nomenclature.Level.SUB,
}
PARENT_SEGMENTS = {2: 1, 3: 2, 5: 3, 6: 5}


@dataclass(frozen=True)
class KamusYear:
    """The kamus of one kabupaten/kota and year: what ``musrenbang.manage_kamus`` is asked on."""

    regency_id: int
    year: int


def _check(actor: User | None, perm: str, obj=None) -> None:
    """The rule book's check; a management command (no actor) is the Bappeda admin's own
    shell and is held only to the phase (a sent year stays closed)."""
    if actor is not None:
        authorize(actor, perm, obj)
    elif not RULES[perm].when.test(None, obj):
        raise RULES[perm].refuse_when(obj)


# --- Nomenclature ---


def level_of(code: str) -> str | None:
    parts = code.split(".")
    if not all(p.isdigit() for p in parts):
        return None
    return LEVEL_BY_SEGMENTS.get(len(parts))


def parent_code_of(code: str) -> str | None:
    parts = code.split(".")
    keep = PARENT_SEGMENTS.get(len(parts))
    return ".".join(parts[:keep]) if keep else None


def import_nomenclature(
    *, actor: User | None, data: bytes, instrument_name: str, first_year: int, dry_run=False
) -> ImportResult:
    """Import an instrument's nomenclature list (rows added or updated by code, never deleted).

    The level follows from the code's segments; each row's parent (the code without its
    last segment) must be in the file or already in the instrument. ``Kode Lama`` records a
    renumbering: the old code (of the previous instrument) maps to this row's code.
    """
    _check(actor, "musrenbang.manage_nomenclature")
    instrument_name = instrument_name.strip()
    if not instrument_name:
        raise DomainError("Nama instrumen wajib diisi, mis. Kepmendagri 900.1.15.5-3406/2024.")
    other = Instrument.objects.filter(first_year=first_year).exclude(name=instrument_name).first()
    if other:
        raise DomainError(f"Tahun {first_year} sudah memakai instrumen {other.name}.")
    instrument = Instrument.objects.filter(name=instrument_name).first()
    if instrument and instrument.first_year != first_year:
        raise DomainError(
            f"Instrumen {instrument.name} sudah tercatat mulai tahun {instrument.first_year}."
        )
    result, raw = read_table(
        data, columns=NOMENCLATURE_COLUMNS, required=["Kode", "Nomenklatur"], key="Kode"
    )
    result.dry_run = dry_run
    if not raw or any(e.row <= result.header_row for e in result.errors):
        return result
    existing = (
        {n.code: n for n in Nomenclature.objects.filter(instrument=instrument)}
        if instrument
        else {}
    )
    rows, errors = _validate_nomenclature(raw, existing)
    merge_errors(result, errors, {c: i for i, c in enumerate(NOMENCLATURE_COLUMNS)})
    if result.errors:
        return result
    for values in rows:
        old = existing.get(values["code"])
        state = "baru" if old is None else ("diubah" if _changed(old, values) else "tetap")
        result.changes.append(f"{values['code']} {values['name']} ({state})")
    result.count = len(rows)
    if dry_run:
        return result
    with transaction.atomic():
        instrument = instrument or Instrument.objects.create(
            name=instrument_name, first_year=first_year
        )
        by_code = dict(existing)
        for values in sorted(rows, key=lambda v: len(v["code"].split("."))):
            node = by_code.get(values["code"]) or Nomenclature(
                instrument=instrument, code=values["code"]
            )
            for name in ("level", "name", "performance", "indicator", "unit"):
                setattr(node, name, values[name])
            node.parent = by_code.get(values["parent_code"]) if values["parent_code"] else None
            node.save()
            by_code[node.code] = node
            if values["old_code"]:
                CodeMapping.objects.update_or_create(
                    instrument=instrument,
                    old_code=values["old_code"],
                    defaults={"new_code": values["code"]},
                )
    return result


def _changed(node: Nomenclature, values: dict) -> bool:
    return any(
        getattr(node, name) != values[name]
        for name in ("level", "name", "performance", "indicator", "unit")
    )


def _validate_nomenclature(raw: list[dict], existing: dict) -> tuple[list[dict], list[RowError]]:
    rows, errors = [], []
    in_file = {cell_text(r.get("Kode")) for r in raw}
    seen = set()
    for record in raw:
        row = record["_row"]
        code = cell_text(record.get("Kode"))
        name = cell_text(record.get("Nomenklatur"))
        level = level_of(code) if code else None
        if not code:
            errors.append(RowError(row, "Kode", "Wajib diisi."))
        elif level is None:
            errors.append(
                RowError(row, "Kode", f"Kode {code} tidak berbentuk kode nomenklatur yang sah.")
            )
        elif code in seen:
            errors.append(RowError(row, "Kode", f"Kode {code} muncul lebih dari sekali."))
        seen.add(code)
        stated = norm(record.get("Tingkat"))
        if level and stated and stated != norm(Nomenclature.Level(level).label):
            errors.append(
                RowError(row, "Tingkat", f"Kode {code} adalah {Nomenclature.Level(level).label}.")
            )
        if not name:
            errors.append(RowError(row, "Nomenklatur", "Wajib diisi."))
        elif len(name) > 400:
            errors.append(RowError(row, "Nomenklatur", "Terlalu panjang (maksimal 400 karakter)."))
        parent = parent_code_of(code) if level else None
        if parent and parent not in in_file and parent not in existing:
            errors.append(RowError(row, "Kode", f"Induk {parent} tidak ada di berkas."))
        unit = cell_text(record.get("Satuan"))
        if len(unit) > 80:
            errors.append(RowError(row, "Satuan", "Terlalu panjang (maksimal 80 karakter)."))
        old_code = cell_text(record.get("Kode Lama"))
        if old_code and level_of(old_code) != level:
            errors.append(RowError(row, "Kode Lama", f"{old_code} bukan kode tingkat yang sama."))
        rows.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "parent_code": parent,
                "performance": cell_text(record.get("Kinerja")),
                "indicator": cell_text(record.get("Indikator")),
                "unit": unit,
                "old_code": old_code,
            }
        )
    return rows, errors


# --- Kamus usulan ---


def _parse_price(value) -> int | None:
    return parse_cost(value)  # the same rupiah reading as the proposals import


def _parse_bool(value) -> bool | None:
    text = norm(value)
    if text in ("", "ya", "y", "aktif", "1", "true"):
        return True
    if text in ("tidak", "t", "nonaktif", "0", "false"):
        return False
    return None


class _KamusLookups:
    """Master data of the kabupaten/kota and year, loaded once (no query per row)."""

    def __init__(self, regency: Regency, year: int):
        self.sector = {norm(s.name): s for s in Sector.objects.filter(regency=regency)}
        self.agency = {}
        for a in Agency.objects.filter(regency=regency, is_active=True):
            self.agency[norm(a.name)] = a
            self.agency[norm(a.abbreviation)] = a
        self.priority = {
            norm(p.name): p for p in DevelopmentPriority.objects.filter(regency=regency)
        }
        self.targets = {
            (t.priority_id, norm(t.name)): t
            for t in RegionalTarget.objects.filter(priority__regency=regency)
        }
        self.instrument = instrument_for_year(year)
        self.sub = {}
        if self.instrument:
            self.sub = {
                n.code: n
                for n in Nomenclature.objects.filter(
                    instrument=self.instrument, level=Nomenclature.Level.SUB
                )
            }
        self.existing = {e.name: e for e in KamusEntry.objects.filter(regency=regency, year=year)}


def import_kamus(
    *, actor: User | None, data: bytes, regency: Regency, year: int, dry_run=False
) -> ImportResult:
    """Import a kabupaten/kota's kamus usulan of a year (entries added or updated by name).

    The sub kegiatan code must be valid in the year (the instrument in force for it).
    A sasaran daerah not yet known under its prioritas daerah is created.
    """
    _check(actor, "musrenbang.manage_kamus", KamusYear(regency.pk, year))
    result, raw = read_table(
        data,
        columns=KAMUS_COLUMNS,
        required=["Nama Usulan", "Satuan", "Harga Satuan (Rp)"],
        key="Nama Usulan",
    )
    result.dry_run = dry_run
    if not raw or any(e.row <= result.header_row for e in result.errors):
        return result
    lookups = _KamusLookups(regency, year)
    rows, errors = [], []
    seen = set()
    for record in raw:
        values, row_errors = _validate_kamus(record, lookups, year)
        if values["name"] and values["name"] in seen:
            row_errors.append(RowError(record["_row"], "Nama Usulan", "Nama muncul dua kali."))
        seen.add(values["name"])
        errors += row_errors
        rows.append(values)
    merge_errors(result, errors, {c: i for i, c in enumerate(KAMUS_COLUMNS)})
    if result.errors:
        return result
    for values in rows:
        state = "diubah" if values["name"] in lookups.existing else "baru"
        result.changes.append(
            f"{values['name']}: {values['unit']} @ Rp {values['unit_price']:,}".replace(",", ".")
            + f" ({state})"
        )
    result.count = len(rows)
    if dry_run:
        return result
    with transaction.atomic():
        for values in rows:
            target_name = values.pop("target_name")
            if target_name:
                values["target"] = lookups.targets.get(
                    (values["priority"].pk, norm(target_name))
                ) or RegionalTarget.objects.create(priority=values["priority"], name=target_name)
                lookups.targets[(values["priority"].pk, norm(target_name))] = values["target"]
            KamusEntry.objects.update_or_create(
                regency=regency, year=year, name=values.pop("name"), defaults=values
            )
    return result


def _validate_kamus(record: dict, lookups: _KamusLookups, year: int):
    row = record["_row"]
    errors = []

    def err(column, message):
        errors.append(RowError(row, column, message))

    values = {"name": cell_text(record.get("Nama Usulan"))}
    if not values["name"]:
        err("Nama Usulan", "Wajib diisi.")
    elif len(values["name"]) > 255:
        err("Nama Usulan", "Terlalu panjang (maksimal 255 karakter).")
    values["description"] = cell_text(record.get("Uraian Pekerjaan"))
    values["unit"] = cell_text(record.get("Satuan"))
    if not values["unit"]:
        err("Satuan", "Wajib diisi.")
    elif len(values["unit"]) > 40:
        err("Satuan", "Terlalu panjang (maksimal 40 karakter).")
    raw_price = record.get("Harga Satuan (Rp)")
    price = _parse_price(raw_price)
    if raw_price in (None, ""):
        err("Harga Satuan (Rp)", "Wajib diisi.")
    elif price is None or price < 0:
        err("Harga Satuan (Rp)", "Harus berupa angka rupiah bulat, misalnya Rp 1.250.000.")
    values["unit_price"] = price
    kind = norm(record.get("Jenis")).replace("-", "").replace(" ", "")
    values["kind"] = (
        KamusEntry.Kind.NON_PHYSICAL if kind == "nonfisik" else KamusEntry.Kind.PHYSICAL
    )
    if kind not in ("", "fisik", "nonfisik"):
        err("Jenis", "Isi Fisik atau Non-fisik.")
    for column, attr, table in (
        ("Bidang", "sector", lookups.sector),
        ("OPD", "agency", lookups.agency),
        ("Prioritas Daerah", "priority", lookups.priority),
    ):
        text = cell_text(record.get(column))
        values[attr] = table.get(norm(text)) if text else None
        if text and values[attr] is None:
            err(column, f"'{text}' tidak dikenal di kabupaten/kota ini.")
    values["target_name"] = cell_text(record.get("Sasaran Daerah"))
    if values["target_name"] and values["priority"] is None:
        err("Sasaran Daerah", "Sasaran daerah memerlukan kolom Prioritas Daerah.")
    code = cell_text(record.get("Kode Sub Kegiatan"))
    values["sub_activity"] = lookups.sub.get(code) if code else None
    if code and values["sub_activity"] is None:
        where = lookups.instrument.name if lookups.instrument else "nomenklatur mana pun"
        err("Kode Sub Kegiatan", f"Sub kegiatan {code} tidak berlaku pada tahun {year} ({where}).")
    active = _parse_bool(record.get("Aktif"))
    if active is None:
        err("Aktif", "Isi Ya atau Tidak.")
    values["is_active"] = bool(active)
    return values, errors


# --- Year rollover ---


@dataclass
class CopyResult:
    created: list[KamusEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # names already in the target year
    invalid: list[tuple[KamusEntry, str]] = field(default_factory=list)  # entry, old code


def carry_code(code: str, source: Instrument, target: Instrument) -> str:
    """Follow the renumberings of every instrument after ``source`` up to ``target``."""
    for instrument in Instrument.objects.filter(
        first_year__gt=source.first_year, first_year__lte=target.first_year
    ).order_by("first_year"):
        mapped = instrument.mappings.filter(old_code=code).values_list("new_code", flat=True)
        code = next(iter(mapped), code)
    return code


@transaction.atomic
def kamus_copy_year(
    *, actor: User | None, regency: Regency, from_year: int, to_year: int
) -> CopyResult:
    """Copy a year's kamus into another year in one action, remapping sub kegiatan codes.

    Entries whose name already exists in the target year are left alone. An entry whose code
    is no longer valid in the target year is copied without its sub kegiatan and listed.
    """
    _check(actor, "musrenbang.manage_kamus", KamusYear(regency.pk, to_year))
    if from_year == to_year:
        raise DomainError("Tahun asal dan tahun tujuan harus berbeda.")
    target = instrument_for_year(to_year)
    taken = set(
        KamusEntry.objects.filter(regency=regency, year=to_year).values_list("name", flat=True)
    )
    valid = {n.code: n for n in Nomenclature.objects.filter(instrument=target)} if target else {}
    result = CopyResult()
    source_entries = KamusEntry.objects.filter(regency=regency, year=from_year).select_related(
        "sub_activity__instrument"
    )
    for entry in source_entries.order_by("name"):
        if entry.name in taken:
            result.skipped.append(entry.name)
            continue
        old = entry.sub_activity
        new_sub = None
        if old is not None and target is not None:
            new_sub = valid.get(carry_code(old.code, old.instrument, target))
        copy = KamusEntry(
            regency=regency,
            year=to_year,
            name=entry.name,
            description=entry.description,
            unit=entry.unit,
            unit_price=entry.unit_price,
            kind=entry.kind,
            sector_id=entry.sector_id,
            agency_id=entry.agency_id,
            sub_activity=new_sub,
            priority_id=entry.priority_id,
            target_id=entry.target_id,
            is_active=entry.is_active,
        )
        copy.save()
        result.created.append(copy)
        if old is not None and new_sub is None:
            result.invalid.append((copy, old.code))
    return result


def kamus_cost(entry: KamusEntry, volume) -> int:
    """Return the cost a kamus entry proposes for a volume: volume x unit price, whole rupiah."""
    return int(Decimal(str(volume)) * entry.unit_price)
