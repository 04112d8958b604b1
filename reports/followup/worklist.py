"""The agency's Excel worklist: download the open follow-ups, fill the new stages, upload back.

The upload is all or nothing: every row is checked by the same ``followup_move`` a page uses
(permission, the stage table, the figures each stage needs) inside one transaction; any
error rolls everything back and is reported as ``Baris, kolom, pesan``, with the file offered
back with a "Kesalahan" column (the machinery of the proposals import: ``RowError``,
``ImportResult``, ``error_workbook_from``, formula refusal, escaped exports).
"""

import datetime as dt
from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from musrenbang.excel import (
    HEADER_SEARCH_ROWS,
    ImportResult,
    Layout,
    RowError,
    error_workbook_from,
    read_table,
    safe_row,
)
from musrenbang.excel import cell_text as _text
from musrenbang.excel import norm as _norm
from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, User
from musrenbang.rulebook import authorize
from proposals.excel.importing import parse_cost
from reports.followup.models import FollowUp, NotFundedReason, Stage
from reports.followup.services import TRANSITIONS, followup_move

COLUMNS = [
    "ID",
    "Nomor Usulan",
    "Usulan Kegiatan",
    "Kecamatan",
    "Desa/Kelurahan",
    "Tahap Sekarang",
    "Tahap Baru",
    "Tanggal",
    "Tahun Anggaran",
    "Nilai DPA (Rp)",
    "Realisasi (%)",
    "Kategori Alasan",
    "Alasan",
    "OPD Tujuan",
    "Keterangan",
]
STAGE_BY_TEXT = {_norm(s.label): s.value for s in Stage} | {_norm(s.value): s.value for s in Stage}
REASON_BY_TEXT = {_norm(r.label): r.value for r in NotFundedReason} | {
    _norm(r.value): r.value for r in NotFundedReason
}


def worklist_rows(agency: Agency):
    """The agency's open follow-ups in worklist order (one query)."""
    return (
        FollowUp.objects.filter(agency=agency)
        .exclude(stage__in=[Stage.DONE, Stage.NOT_FUNDED])
        .select_related("proposal__village", "subdistrict")
        .order_by("subdistrict__code", "proposal__reference")
    )


def worklist_workbook(agency: Agency) -> bytes:
    """Return the worklist of ``agency``: one row per open follow-up, inputs left empty."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Lembar kerja"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for fu in worklist_rows(agency):
        p = fu.proposal
        ws.append(
            safe_row(
                [
                    fu.pk,
                    p.reference,
                    p.title,
                    fu.subdistrict.name,
                    p.village.name if p.village else "",
                    fu.get_stage_display(),
                    None,
                    None,
                    fu.budget_year,
                    fu.budget_amount,
                    fu.progress if fu.stage == Stage.RUNNING else None,
                    None,
                    None,
                    None,
                    None,
                ]
            )  # fmt: skip
        )
    stages = DataValidation(
        type="list", formula1='"' + ",".join(s.label for s in Stage if s != Stage.KECAMATAN) + '"'
    )
    reasons = DataValidation(type="list", formula1='"' + ",".join(NotFundedReason.labels) + '"')
    ws.add_data_validation(stages)
    ws.add_data_validation(reasons)
    stages.add(f"G2:G{max(ws.max_row, 2)}")
    reasons.add(f"L2:L{max(ws.max_row, 2)}")
    for index, width in enumerate([8, 22, 40, 16, 18, 22, 22, 12, 10, 16, 10, 24, 40, 14, 30], 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


WORKLIST_LAYOUT = Layout(
    columns={name: () for name in COLUMNS},
    search_rows=HEADER_SEARCH_ROWS,
    is_header=lambda found: "ID" in found and "Tahap Baru" in found,
    missing=lambda found: [],
    hint="kolom ID dan Tahap Baru; unduh lembar kerja lagi",
)


def _read(data: bytes) -> tuple[ImportResult, list[dict]]:
    """Read the uploaded worklist with the product's one reader (``musrenbang.excel``)."""
    return read_table(data, layout=WORKLIST_LAYOUT)


def _date(value) -> dt.date | None | str:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return "bad"


def _int(value) -> int | None | str:
    if value in (None, ""):
        return None
    number = parse_cost(value)
    return "bad" if number is None else number


def _parse(record: dict, agencies: dict[str, Agency]) -> tuple[dict | None, list[RowError]]:
    """Turn one row into the arguments of ``followup_move`` (None: nothing to change)."""
    row, errors = record["_row"], []

    def err(column: str, message: str) -> None:
        errors.append(RowError(row, column, message))

    stage_text = _text(record.get("Tahap Baru"))
    if not stage_text:
        return None, []
    to = STAGE_BY_TEXT.get(_norm(stage_text))
    if to is None:
        err("Tahap Baru", f"Tahap '{stage_text[:40]}' tidak dikenal.")
    args: dict = {"to": to}
    date = _date(record.get("Tanggal"))
    if date == "bad":
        err("Tanggal", "Tanggal tidak sah (tulis DD-MM-YYYY).")
    else:
        args["date"] = date
    for column, name in [
        ("Tahun Anggaran", "budget_year"),
        ("Nilai DPA (Rp)", "budget_amount"),
        ("Realisasi (%)", "progress"),
    ]:
        value = _int(record.get(column))
        if value == "bad":
            err(column, "Harus berupa angka bulat.")
        elif value is not None:
            args[name] = value
    reason = _text(record.get("Kategori Alasan"))
    if reason:
        if _norm(reason) not in REASON_BY_TEXT:
            err("Kategori Alasan", f"Kategori '{reason[:40]}' tidak dikenal.")
        else:
            args["reason_category"] = REASON_BY_TEXT[_norm(reason)]
    args["reason_text"] = _text(record.get("Alasan"))[:2000]
    target = _text(record.get("OPD Tujuan"))
    if target:
        if _norm(target) not in agencies:
            err("OPD Tujuan", f"OPD '{target[:40]}' tidak dikenal.")
        else:
            args["agency"] = agencies[_norm(target)]
    args["note"] = _text(record.get("Keterangan"))[:1000]
    return args, errors


def worklist_import(*, actor: User, agency: Agency, data: bytes) -> ImportResult:
    """Apply the uploaded worklist: every filled row moves its follow-up, or none does."""
    authorize(actor, "reports.update_agency_followups", agency)
    result, records = _read(data)
    if result.errors and not records:
        return result
    agencies = {}
    for a in Agency.objects.filter(regency_id=agency.regency_id, is_active=True):
        agencies[_norm(a.abbreviation)] = a
        agencies[_norm(a.name)] = a
    ids = {r["_row"]: _int(r.get("ID")) for r in records}
    follow_ups = FollowUp.objects.in_bulk([i for i in ids.values() if isinstance(i, int)])
    planned = []
    for record in records:
        args, errors = _parse(record, agencies)
        result.errors.extend(errors)
        if args is None:
            continue
        fu = follow_ups.get(ids[record["_row"]])
        if fu is None or fu.agency_id != agency.pk:
            result.errors.append(
                RowError(record["_row"], "ID", "Bukan tindak lanjut OPD ini (ID tidak dikenal).")
            )
            continue
        same = args["to"] == fu.stage and args["to"] not in TRANSITIONS.get(fu.stage, ())
        if not errors and not same:
            planned.append((record["_row"], fu, args))
    with transaction.atomic():
        for row, fu, args in planned:
            try:
                with transaction.atomic():
                    followup_move(actor=actor, follow_up=fu, **args)
            except (DomainError, PermissionDenied) as error:
                result.errors.append(RowError(row, "Tahap Baru", str(error)))
        if result.errors:
            transaction.set_rollback(True)
            result.errors.sort(key=lambda e: e.row)
            return result
    result.count = len(planned)
    return result


def worklist_error_file(data: bytes, result: ImportResult) -> bytes:
    return error_workbook_from(data, result)
