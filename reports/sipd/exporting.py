"""Workbooks of the SIPD bridge: the worklist (``export_sipd``) and a reconcile's differences.

Every text cell goes through ``musrenbang.excel.safe_row`` (formula escaping).
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from musrenbang.excel import safe_row
from reports.sipd.reconcile import GROUPS
from reports.sipd.worklist import WorkRow

COLUMNS = [
    "Kunci SIPD", "Desa/Kelurahan", "Usulan", "Permasalahan", "Rekomendasi Kecamatan",
    "Koefisien", "Anggaran", "Prioritas", "OPD", "Alasan",
]  # fmt: skip
NEW_COLUMNS = [
    *COLUMNS, "Nomor Usulan", "Alamat/Lokasi", "Volume", "Satuan", "Perkiraan Biaya (Rp)",
    "Bidang", "Lintang", "Bujur",
]  # fmt: skip
DIFF_COLUMNS = ["Kelompok", "Kunci SIPD", "Bagian", "Musrenbang", "SIPD"]


def _values(row: WorkRow) -> list:
    p = row.proposal
    return [
        row.key,
        p.village.name if p.village else "(kecamatan)",
        p.sipd_usulan or p.title,
        p.problem,
        row.recommendation,
        row.koefisien,
        row.cost,
        row.rank,
        row.agency.name if row.agency else p.sipd_agency_text,
        row.reason,
    ]


def _new_values(row: WorkRow) -> list:
    p = row.proposal
    return [
        *_values(row),
        p.reference,
        p.location,
        p.volume,
        p.unit,
        p.cost,
        p.sector.name,
        p.latitude,
        p.longitude,
    ]


def _sheet(wb, title: str, header: list[str], rows) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append(safe_row(values))
    ws.freeze_panes = "A2"


def _save(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def worklist_workbook(work: dict) -> bytes:
    """Sheet 1: proposals with a SIPD key; sheet 2: those to be created in SIPD."""
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Usulan SIPD", COLUMNS, (_values(r) for r in work["keyed"]))
    _sheet(wb, "Belum ada di SIPD", NEW_COLUMNS, (_new_values(r) for r in work["new"]))
    return _save(wb)


def differences_workbook(lines: list[dict]) -> bytes:
    """One row per difference of a reconcile."""
    wb = Workbook()
    wb.remove(wb.active)
    rows = (
        [GROUPS.get(x["group"], x["group"]), x["key"], x["field"], x["musrenbang"], x["sipd"]]
        for x in lines
    )
    _sheet(wb, "Selisih SIPD", DIFF_COLUMNS, rows)
    return _save(wb)
