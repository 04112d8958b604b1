"""Import of SIPD's usulan export (``import_sipd``), on the rekap import's machinery.

SIPD (Kemendagri's planning system) exports its usulan as a workbook whose header row may sit
under a title block and whose columns come in one of two known sets (``docs``: SIPD.md). The
rows are read by ``read_workbook`` with the ``SIPD_LAYOUT`` below, validated row by row with
the same ``RowError`` and saved all or nothing like the rekap. Each row keeps SIPD's identity
(``sipd_key``) so that importing a later export updates the rows not yet decided and adds new
ones, and importing the same file again changes nothing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from musrenbang.excel import ImportResult, Layout, RowError, header_key
from musrenbang.models import Agency, Sector, Subdistrict, User, Village
from musrenbang.rulebook import authorize
from proposals.excel.importing import _text, create_received, parse_cost, read_workbook
from proposals.locks import is_year_open
from proposals.models import Proposal
from proposals.workflow import YearTarget

SEARCH_ROWS = 15
MAX_KEY = 200

SIPD_COLUMNS: dict[str, tuple[str, ...]] = {
    "ID Usulan": ("id", "id usul", "kode usulan", "kunci sipd"),
    "No": ("nomor",),
    "Tgl Usul": ("tgl pengajuan", "tanggal", "tanggal usul", "tanggal pengajuan", "tgl"),
    "Pengusul": (),
    "Profil": (),
    "Permasalahan": ("masalah",),
    "Usulan": ("nama usulan", "usulan kegiatan"),
    "Urusan": (),
    "Alamat": ("lokasi",),
    "Kabupaten": ("kabupaten/kota",),
    "Kecamatan": (),
    "Desa/Kelurahan": ("kelurahan", "desa", "kelurahan/desa"),
    "SKPD Tujuan Awal": ("opd tujuan awal",),
    "SKPD Tujuan Akhir": ("opd tujuan akhir", "skpd tujuan", "opd tujuan"),
    "Status": (),
    "Catatan": (),
    "Rekomendasi Mitra": ("rekomendasi bappeda/mitra opd", "rekomendasi bappeda"),
    "Rekomendasi Kelurahan/Desa": ("rekomendasi kelurahan", "rekomendasi desa"),
    "Rekomendasi Kecamatan": (),
    "Rekomendasi SKPD": ("rekomendasi opd",),
    "Rekomendasi TAPD": (),
    "Kategori Usulan": (),
    "Koefisien": (),
    "Volume": (),
    "Satuan": (),
    "Anggaran": ("pagu", "biaya", "anggaran (rp)"),
    "Bidang": (),
}
COLUMN_ORDER = {name: index for index, name in enumerate(SIPD_COLUMNS)}


def _sipd_missing(found: set) -> list[str]:
    missing = []
    if "ID Usulan" not in found and "No" not in found:
        missing.append("ID Usulan atau No")
    if "Alamat" not in found and "Desa/Kelurahan" not in found:
        missing.append("Alamat atau Desa/Kelurahan")
    return missing


SIPD_LAYOUT = Layout(
    columns=SIPD_COLUMNS,
    search_rows=SEARCH_ROWS,
    is_header=lambda found: "Usulan" in found and len(found) >= 4,
    missing=_sipd_missing,
    hint="minimal kolom Usulan, Alamat atau Desa/Kelurahan, dan ID Usulan atau No",
)


# --- values inside SIPD's texts -------------------------------------------------------------

KOEF_RE = re.compile(r"koefisien\s*:?\s*([0-9][0-9.,]*)\s*([^\s,;:]*)", re.IGNORECASE)
ANGGARAN_RE = re.compile(r"anggaran\s*:?\s*(?:rp\.?\s*)?([0-9][0-9.,]*)", re.IGNORECASE)
COORD_RE = re.compile(r"(-?\d{1,2}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)")


def parse_volume(text) -> Decimal | None:
    """Read ``2``, ``2,5``, ``2.5`` or ``1.000`` (thousand dots) as a volume."""
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        return Decimal(str(text))
    text = str(text or "").strip().rstrip(".,")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass
class Recommendation:
    """A recommendation text of SIPD split into its decision, koefisien and anggaran."""

    decision: str = ""
    volume: Decimal | None = None
    unit: str = ""
    cost: int | None = None


def parse_recommendation(text) -> Recommendation:
    """Split ``Disetujui. Koefisien : 2 Lokasi, Anggaran : Rp 150.000.000`` into its parts.

    Case, ``Rp``, thousand dots and missing parts are tolerated; what is missing stays empty.
    """
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    rec = Recommendation()
    koef = KOEF_RE.search(text)
    if koef:
        rec.volume = parse_volume(koef.group(1))
        rec.unit = koef.group(2).strip(".,;") if koef.group(2) else ""
    anggaran = ANGGARAN_RE.search(text)
    if anggaran:
        rec.cost = parse_cost(anggaran.group(1).rstrip(".,"))
    cut = (
        min(m.start() for m in (koef, anggaran, None) if m is not None)
        if (koef or anggaran)
        else len(text)
    )
    rec.decision = text[:cut].strip(" .,;")
    return rec


def decision_kind(decision: str) -> str:
    """Return ``prioritas``, ``cadangan``, ``ditolak``, ``tidak_dibahas`` or ``""``."""
    text = header_key(decision)
    if text.startswith("tidakdisetujui") or text.startswith("ditolak"):
        return "ditolak"
    if text.startswith("tidakdibahas"):
        return "tidak_dibahas"
    if text.startswith("cadangan"):
        return "cadangan"
    if text.startswith("disetujui") or text.startswith("prioritas"):
        return "prioritas"
    return ""


def coordinates_in(address: str) -> tuple[Decimal, Decimal] | None:
    """Return ``(lat, lng)`` written in an address as ``-3.7712, 98.4521``, if any."""
    match = COORD_RE.search(address or "")
    if not match:
        return None
    lat, lng = Decimal(match.group(1)), Decimal(match.group(2))
    if abs(lat) > 90 or abs(lng) > 180:
        return None
    return lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))


PREFIX_RE = re.compile(r"^(?:kel|kelurahan|desa|ds)\b\.?\s*", re.IGNORECASE)


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", (text or "").lower())) + " "


def village_key(name: str) -> str:
    """A desa/kelurahan name without its prefix, as words (``Kel. Stabat Baru`` -> stabat baru)."""
    return _words(PREFIX_RE.sub("", (name or "").strip())).strip()


def village_in_address(address: str, villages: list[Village]) -> tuple[Village | None, str]:
    """Find the desa/kelurahan named in an address: the longest name wins.

    Returns the village, or None with the reason (no match, or two equally good matches).
    """
    haystack = _words(address)
    best, best_len = [], 0
    for village in villages:
        key = village_key(village.name)
        if key and f" {key} " in haystack:
            if len(key) > best_len:
                best, best_len = [village], len(key)
            elif len(key) == best_len:
                best.append(village)
    if len(best) == 1:
        return best[0], ""
    if not best:
        return None, "tidak ada nama desa/kelurahan kecamatan ini di alamat"
    names = " dan ".join(sorted(v.name for v in best))
    return None, f"alamat cocok dengan lebih dari satu desa/kelurahan ({names})"


# --- the row key ------------------------------------------------------------------------------


def _date_text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(value)


def row_key(record: dict) -> str:
    """SIPD's identity of a row: its id, else ``No | date | proposer | usulan``."""
    ident = _text(record.get("ID Usulan"))
    if ident:
        return ident[:MAX_KEY]
    parts = [
        _text(record.get("No")),
        _date_text(record.get("Tgl Usul")),
        _text(record.get("Pengusul")),
        _text(record.get("Usulan")),
    ]
    if not parts[0]:
        return ""
    return " | ".join(re.sub(r"\s+", " ", p) for p in parts)[:MAX_KEY]


def key_sort(key: str) -> tuple:
    """Sort SIPD keys as SIPD lists them: numeric parts by number."""
    head = key.split(" | ", 1)[0]
    return (0, int(head), key) if head.isdigit() else (1, 0, key)


# --- validation -------------------------------------------------------------------------------


class _Master:
    """The kecamatan's desa, the kabupaten's OPD and bidang, loaded once."""

    def __init__(self, subdistrict: Subdistrict, year: int):
        from musrenbang.selectors import kamus_matcher

        self.kamus = kamus_matcher(regency=subdistrict.regency, year=year)
        self.villages = list(subdistrict.villages.all())
        self.village_by_name = {village_key(v.name): v for v in self.villages}
        self.village_by_code = {v.code: v for v in self.villages}
        regency_id = subdistrict.regency_id
        self.agency = {}
        for a in Agency.objects.filter(regency_id=regency_id, is_active=True):
            self.agency[header_key(a.name)] = a
            self.agency[header_key(a.abbreviation)] = a
        sectors = list(Sector.objects.filter(regency_id=regency_id).order_by("order", "id"))
        self.sector = {header_key(s.name): s for s in sectors}
        self.default_sector = sectors[0] if sectors else None


FIELDS = [
    "village",
    "title",
    "sipd_usulan",
    "kamus",
    "sub_activity",
    "problem",
    "location",
    "latitude",
    "longitude",
    "volume",
    "unit",
    "cost",
    "suggested_agency",
    "sipd_agency_text",
]
DEFAULT_UNIT = "paket"


def _village(record: dict, master: _Master, err) -> Village | None:
    name = _text(record.get("Desa/Kelurahan"))
    if name:
        village = master.village_by_code.get(name) or master.village_by_name.get(village_key(name))
        if village is None:
            err("Desa/Kelurahan", f"Desa/kelurahan '{name}' tidak ada di kecamatan ini.")
        return village
    address = _text(record.get("Alamat"))
    village, reason = village_in_address(address, master.villages)
    if village is None:
        err("Alamat", f"Desa/kelurahan tidak dapat ditentukan: {reason} (alamat: '{address}').")
    return village


def _figures(record: dict, values: dict, err) -> None:
    """Volume, unit and cost from their columns, else the Koefisien column, else the desa's
    recommendation text; a proposal without figures gets 1 paket and Rp 0 (to be set)."""
    desa = parse_recommendation(record.get("Rekomendasi Kelurahan/Desa"))
    koef = parse_recommendation(f"Koefisien : {_text(record.get('Koefisien'))}")
    raw_volume = record.get("Volume")
    volume = parse_volume(raw_volume) if raw_volume not in (None, "") else None
    if raw_volume not in (None, "") and volume is None:
        err("Volume", "Harus berupa angka.")
    volume = volume or koef.volume or desa.volume or Decimal(1)
    if volume <= 0 or volume >= Decimal("1e10") or volume != volume.quantize(Decimal("0.01")):
        err("Volume", "Harus lebih dari 0 dengan paling banyak dua angka di belakang koma.")
    unit = _text(record.get("Satuan")) or koef.unit or desa.unit or DEFAULT_UNIT
    if len(unit) > 40:
        err("Satuan", "Terlalu panjang (maksimal 40 karakter).")
    raw_cost = record.get("Anggaran")
    cost = parse_cost(raw_cost) if raw_cost not in (None, "") else None
    if raw_cost not in (None, "") and cost is None:
        err("Anggaran", "Harus berupa angka rupiah bulat, misalnya Rp 1.250.000.")
    if cost is None:
        cost = desa.cost if desa.cost is not None else 0
    if cost < 0:
        err("Anggaran", "Tidak boleh negatif.")
    values.update(volume=volume, unit=unit, cost=cost)


def validate(record: dict, master: _Master) -> tuple[dict, list[RowError]]:
    """Turn one SIPD row into proposal field values (and ``sector``), or row errors."""
    row = record["_row"]
    errors: list[RowError] = []

    def err(column, message):
        errors.append(RowError(row, column, message))

    values: dict = {"key": row_key(record)}
    if not values["key"]:
        err("ID Usulan" if "ID Usulan" in record else "No", "Wajib diisi (kunci baris SIPD).")
    usulan = _text(record.get("Usulan"))
    if not usulan:
        err("Usulan", "Wajib diisi.")
    elif len(usulan) > 255:
        err("Usulan", "Terlalu panjang (maksimal 255 karakter).")
    values["title"] = values["sipd_usulan"] = usulan
    entry = master.kamus(usulan)  # SIPD's Usulan names a kamus entry; unmatched: usulan langsung
    values["kamus"] = entry
    values["sub_activity"] = entry.sub_activity if entry else None
    values["problem"] = _text(record.get("Permasalahan"))[:2000]
    values["village"] = _village(record, master, err)
    address = _text(record.get("Alamat"))
    values["location"] = (address or (values["village"].name if values["village"] else ""))[:255]
    coords = coordinates_in(address)
    values["latitude"], values["longitude"] = coords or (None, None)
    _figures(record, values, err)
    agency_text = _text(record.get("SKPD Tujuan Akhir")) or _text(record.get("SKPD Tujuan Awal"))
    values["sipd_agency_text"] = agency_text[:200]
    values["suggested_agency"] = master.agency.get(header_key(agency_text)) if agency_text else None
    sector_name = _text(record.get("Bidang")) or _text(record.get("Urusan"))
    values["sector"] = master.sector.get(header_key(sector_name)) or master.default_sector
    if values["sector"] is None:
        err("Bidang", "Kabupaten/kota belum memiliki bidang; tambahkan di admin.")
    return values, errors


# --- the import -------------------------------------------------------------------------------


@dataclass
class SipdImportResult(ImportResult):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    locked: list[str] = field(default_factory=list)
    unknown_agencies: list[str] = field(default_factory=list)
    # SIPD's Usulan texts with no kamus entry of the year: kept as text, listed for the clerk.
    unmatched_kamus: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = (
            f"{self.created} usulan baru, {self.updated} diperbarui, {self.unchanged} tidak berubah"
        )
        if self.locked:
            text += f", {len(self.locked)} sudah dikunci (tidak diubah)"
        return text


# The kecamatan and year an import goes into: the object of ``proposals.import_sipd``.
SipdTarget = YearTarget


def _existing(subdistrict: Subdistrict, year: int) -> dict[str, Proposal]:
    qs = Proposal.objects.filter(subdistrict=subdistrict, year=year).exclude(sipd_key="")
    qs = qs.select_related("forum_item__result")
    return {p.sipd_key: p for p in qs}


def _lock_state(proposal: Proposal, *, year_closed: bool) -> str:
    """``dikunci`` in a sent forum (its year is closed), ``diputuskan`` once decided, else
    ``""``."""
    item = getattr(proposal, "forum_item", None)
    if item is None:
        return ""
    if year_closed:
        return "dikunci"
    result = getattr(item, "result", None)
    return "diputuskan" if result is not None and result.decision else ""


def _changed(proposal: Proposal, values: dict) -> list[str]:
    return [name for name in FIELDS if getattr(proposal, name) != values[name]]


def sipd_import(
    *, actor: User | None, data: bytes, subdistrict: Subdistrict, year: int, dry_run: bool = False
) -> SipdImportResult:
    """Import SIPD's usulan export into the kecamatan's year, all rows or none.

    New rows arrive as received by the kecamatan; rows already imported (same SIPD key) get
    their SIPD-side fields updated while the forum has not decided them; rows of a sent forum
    are never changed and are reported as "sudah dikunci".
    """
    authorize(actor, "proposals.import_sipd", SipdTarget(subdistrict, year))
    read, raw = read_workbook(data, SIPD_LAYOUT)
    result = SipdImportResult(errors=read.errors, header_row=read.header_row, dry_run=dry_run)
    if not raw or any(e.row <= result.header_row for e in result.errors):
        return result
    master = _Master(subdistrict, year)
    rows, errors, seen = [], [], {}
    for record in raw:
        values, row_errors = validate(record, master)
        errors += row_errors
        key = values["key"]
        if key and key in seen:
            errors.append(
                RowError(
                    record["_row"],
                    "ID Usulan",
                    f"Kunci SIPD '{key}' sama dengan baris {seen[key]}.",
                )
            )
        seen.setdefault(key, record["_row"])
        rows.append(values)
    formula_cells = {(e.row, e.column) for e in result.errors}
    errors = [e for e in errors if (e.row, e.column) not in formula_cells]
    result.errors = sorted(
        result.errors + errors, key=lambda e: (e.row, COLUMN_ORDER.get(e.column, 99))
    )
    if result.errors:
        return result
    _apply(rows, result, actor=actor, subdistrict=subdistrict, year=year)
    result.count = result.created + result.updated
    return result


def _apply(rows, result: SipdImportResult, *, actor, subdistrict, year) -> None:
    with transaction.atomic():
        existing = _existing(subdistrict, year)
        year_sent = not is_year_open(subdistrict_id=subdistrict.pk, year=year)
        new, now = [], timezone.now()
        for values in rows:
            key = values.pop("key")
            if values["sipd_agency_text"] and values["suggested_agency"] is None:
                result.unknown_agencies.append(values["sipd_agency_text"])
            if values["kamus"] is None:
                result.unmatched_kamus.append(values["sipd_usulan"])
            proposal = existing.get(key)
            if proposal is None:
                if year_sent:
                    result.locked.append(key)
                else:
                    new.append({**values, "sipd_key": key, "sipd_imported_at": now})
                continue
            changed = _changed(proposal, values)
            if not changed:
                result.unchanged += 1
            elif _lock_state(proposal, year_closed=year_sent):
                result.locked.append(key)
            else:
                result.updated += 1
                if not result.dry_run:
                    for name in changed:
                        setattr(proposal, name, values[name])
                    proposal.sipd_imported_at = now
                    proposal.save(update_fields=[*changed, "sipd_imported_at", "updated_at"])
        result.created = len(new)
        result.unknown_agencies = sorted(set(result.unknown_agencies))
        result.unmatched_kamus = sorted(set(result.unmatched_kamus))
        if new and not result.dry_run:
            create_received(
                new,
                subdistrict=subdistrict,
                year=year,
                actor=actor,
                reason="Diimpor dari ekspor usulan SIPD",
            )
