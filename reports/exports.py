"""Bappeda's overview as an Excel workbook (openpyxl), three sheets."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from musrenbang.excel import safe_row
from musrenbang.models import Regency

RUPIAH = '"Rp" #,##0'


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], money: set[int]):
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(safe_row(row))
    for index in money:
        for cell in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            cell[0].number_format = RUPIAH
    for index, _ in enumerate(header, 1):
        ws.column_dimensions[get_column_letter(index)].width = 18
    ws.freeze_panes = "A2"
    return ws


def overview_workbook(regency: Regency, year: int, data: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    header = [
        "Kode", "Kecamatan", "Tahap forum", "Usulan masuk", "Terverifikasi", "Prioritas",
        "Cadangan", "Biaya prioritas (Rp)", "Pagu indikatif (Rp)", "Peserta hadir",
        "% perempuan peserta", "Delegasi", "% perempuan delegasi", "Kode verifikasi BA",
    ]  # fmt: skip
    rows = []
    for r in data["rows"]:
        forum = r["forum"]
        rows.append([
            r["subdistrict"].code, r["subdistrict"].name,
            forum.get_state_display() if forum else "Belum dibentuk",
            r["received"], r["verified"], r["priority"], r["reserve"], r["priority_total"],
            r["ceiling"], r["participants"],
            float(r["women_participants"]) if r["women_participants"] is not None else None,
            r["delegates"],
            float(r["women_delegates"]) if r["women_delegates"] is not None else None,
            r["archive"].code if r["archive"] else "",
        ])  # fmt: skip
    t = data["totals"]
    rows.append(["", "JUMLAH", "", t["received"], t["verified"], t["priority"], t["reserve"],
                 t["priority_total"], t["ceiling"], None, None, None, None, ""])  # fmt: skip
    _sheet(wb, f"Kecamatan {year}", header, rows, {8, 9})
    _sheet(
        wb, "Per OPD", ["Perangkat daerah", "Jumlah prioritas", "Biaya (Rp)"],
        [[a["agency_name"] or "Belum ditetapkan", a["count"], a["total"]]
         for a in data["per_agency"]],
        {3},
    )  # fmt: skip
    _sheet(
        wb, "Per bidang", ["Bidang", "Jumlah prioritas", "Biaya (Rp)"],
        [[s["sector_name"], s["count"], s["total"]] for s in data["per_sector"]],
        {3},
    )  # fmt: skip
    _sheet(
        wb, "Per program", ["Kode program", "Program", "Jumlah prioritas", "Biaya (Rp)"],
        [[p["program_code"] or "", p["program_name"] or "Tanpa sub kegiatan", p["count"],
          p["total"]] for p in data["per_program"]],
        {4},
    )  # fmt: skip
    progress_header = [
        "Jumlah tindak lanjut", "Didanai (DPA)", "Selesai", "Tidak didanai", "% didanai",
        "% selesai", "Tidak diperbarui 60 hari",
    ]  # fmt: skip
    for title, first, key in [
        ("Tindak lanjut per OPD", "Perangkat daerah", "per_agency"),
        ("Tindak lanjut per kecamatan", "Kecamatan", "per_subdistrict"),
    ]:
        _sheet(
            wb, title, [first, *progress_header],
            [[r["name"], r["total"], r["funded"], r["done"], r["not_funded"], r["funded_share"],
              r["done_share"], r["stale"]] for r in data.get("followups", {}).get(key, [])],
            set(),
        )  # fmt: skip
    wb.properties.title = f"Ikhtisar Musrenbang Kecamatan {regency.name} {year}"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
