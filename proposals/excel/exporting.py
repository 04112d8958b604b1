"""Export of proposals to Excel in openpyxl's write-only mode (re-importable columns)."""

import datetime as dt
from io import BytesIO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from musrenbang.excel import escape_text
from musrenbang.models import Agency, Sector, Subdistrict
from proposals.excel.columns import COLUMNS, EXPORT_COLUMNS
from proposals.models import Proposal, Status


def save_bytes(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(ws, value, font=None):
    cell = WriteOnlyCell(ws, value=escape_text(value) if isinstance(value, str) else value)
    if font:
        cell.font = font
    return cell


def _safe(value):
    """Escape text for the sheet; openpyxl writes a string as a formula only if it starts
    with ``=``, which ``escape_text`` prevents."""
    return escape_text(value) if isinstance(value, str) and value else value


EXPORT_FIELDS = [
    "village__code",
    "village__name",
    "title",
    "problem",
    "location",
    "volume",
    "unit",
    "cost",
    "sector__name",
    "suggested_agency__abbreviation",
    "village_rank",
    "kamus__name",
    "status",
    "reference",
]
STATUS_LABELS = dict(Status.choices)


def export_rows(proposals: QuerySet[Proposal]):
    """Yield the export row of each proposal (same order as ``EXPORT_COLUMNS``).

    Reads plain tuples (``values_list``), not model instances: 40,000 rows cost seconds less.
    """
    rows = proposals.values_list(*EXPORT_FIELDS).iterator(chunk_size=5000)
    for number, row in enumerate(rows, 1):
        values = [number, *row]  # None stays an absent cell (cheaper than an empty string)
        values[13] = STATUS_LABELS.get(row[12], row[12])
        yield values


def export_workbook(proposals: QuerySet[Proposal], *, title: str, out) -> int:
    """Write proposals to ``out`` (a path or a file object) in write-only mode; return rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Usulan")
    bold = Font(bold=True)
    ws.append([_cell(ws, title, bold)])
    ws.append([_cell(ws, f"Diunduh {timezone.localtime():%d-%m-%Y %H:%M}")])
    ws.append([_cell(ws, name, bold) for name in EXPORT_COLUMNS])
    count = 0
    for row in export_rows(proposals):
        ws.append([_safe(v) for v in row])
        count += 1
    wb.save(out)
    return count


def export_filename(*, year: int, subdistrict: Subdistrict | None) -> str:
    place = subdistrict.name.lower().replace(" ", "-") if subdistrict else "semua"
    return f"usulan-{place}-{year}-{dt.date.today():%Y%m%d}.xlsx"


def template_workbook(*, subdistrict: Subdistrict) -> bytes:
    """Return an empty import template with a title block and two example rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Usulan"
    ws["A1"] = f"REKAPITULASI USULAN MUSRENBANG DESA/KELURAHAN {subdistrict.name.upper()}"
    ws["A1"].font = Font(bold=True)
    ws["A2"] = "Isi mulai baris 5. Kolom boleh diurutkan ulang; jangan memakai rumus."
    ws.append([])
    for col, name in enumerate(COLUMNS, 1):
        ws.cell(row=4, column=col, value=name).font = Font(bold=True)
    village = subdistrict.villages.order_by("code").first()
    sector = Sector.objects.filter(regency_id=subdistrict.regency_id).first()
    agency = Agency.objects.filter(regency_id=subdistrict.regency_id).first()
    if village and sector:
        ws.append([
            1, village.code, village.name, "Pembangunan drainase lingkungan",
            "Genangan air saat hujan", "RT 03 / RW 02", 150, "meter", 75_000_000,
            sector.name, agency.abbreviation if agency else "", 1, "",
        ])  # fmt: skip
    widths = [5, 18, 18, 40, 30, 22, 10, 10, 18, 22, 14, 10, 30]
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=4, column=col).column_letter].width = width
    return save_bytes(wb)
