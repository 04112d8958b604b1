"""Excel workbooks of the Hasil Skoring and of the priorities sent to an OPD (openpyxl)."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from musrenbang.excel import escape_text, safe_row
from musrenbang.formatting import number
from sessions.models import Forum

MONEY = "#,##0"


def _header(ws, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, 1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws, widths: list[int]) -> None:
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def ranking_workbook(forum: Forum, data: dict) -> Workbook:
    """Return the Hasil Skoring: one row per proposal in rank order."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Hasil Skoring"
    ws.append([f"Hasil Skoring Musrenbang {forum.subdistrict} Tahun {forum.year}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Pagu indikatif", data["ceiling"]])
    ws["B2"].number_format = MONEY
    criteria = data["criteria"]
    titles = ["Peringkat", "Nomor usulan", "Usulan kegiatan", "Desa/kelurahan", "Komisi"]
    titles += [escape_text(f"{c.name} (bobot {number(c.weight)})") for c in criteria]
    titles += ["Nilai total", "Biaya (Rp)", "Kumulatif (Rp)", "Sisa pagu (Rp)", "Masuk pagu"]
    titles += ["Keputusan", "Alasan", "OPD penanggung jawab", "Keterangan urutan"]
    _header(ws, 4, titles)
    for row in data["rows"]:
        result, proposal = row["result"], row["proposal"]
        ws.append(
            safe_row(
                [
                    result.rank,
                    proposal.reference,
                    proposal.title,
                    str(proposal.village or "Tambahan kecamatan"),
                    str(row["item"].commission or ""),
                    *[float(v) if v is not None else None for v in row["scores"]],
                    float(result.total),
                    row["cost"],
                    row["running"],
                    row["remaining"],
                    "Ya" if result.within_ceiling else "Tidak",
                    result.get_decision_display(),
                    result.reason,
                    str(result.responsible_agency or ""),
                    " ".join(filter(None, [row["tie_break"], result.override_reason])),
                ]
            )
        )
        last = ws.max_row
        money_from = 6 + len(criteria) + 1
        for col in range(money_from, money_from + 3):
            ws.cell(row=last, column=col).number_format = MONEY
    _widths(ws, [10, 18, 45, 20, 18] + [12] * len(criteria) + [10, 16, 16, 16, 10, 14, 40, 18, 30])
    ws.freeze_panes = "D5"
    return wb


def agency_priorities_workbook(results) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Prioritas OPD"
    titles = ["Tahun", "Kecamatan", "Peringkat", "Nomor usulan", "Usulan kegiatan"]
    titles += ["Desa/kelurahan", "Lokasi", "Volume", "Satuan", "Biaya (Rp)", "OPD", "Dikirim"]
    _header(ws, 1, titles)
    for result in results.iterator(chunk_size=500):
        proposal, forum = result.item.proposal, result.item.forum
        ws.append(
            safe_row(
                [
                    forum.year,
                    forum.subdistrict.name,
                    result.rank,
                    proposal.reference,
                    proposal.title,
                    str(proposal.village or "Tambahan kecamatan"),
                    proposal.location,
                    float(proposal.effective_volume),
                    proposal.unit,
                    proposal.effective_cost,
                    str(result.responsible_agency or ""),
                    forum.sent_at.strftime("%d-%m-%Y") if forum.sent_at else "",
                ]
            )
        )
        ws.cell(row=ws.max_row, column=10).number_format = MONEY
    _widths(ws, [8, 20, 10, 18, 45, 20, 25, 10, 10, 16, 14, 12])
    return wb
