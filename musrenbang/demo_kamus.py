"""Demo nomenclature and kamus usulan (musrenbang/data/kamus), loaded through the imports.

Idempotent: the imports add or update rows by code and by name. The instrument's name says
that it is a demo subset not checked against the Kepmendagri text (see the data README).
"""

import csv
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

from musrenbang import kamus_services

DATA = Path(__file__).resolve().parent / "data" / "kamus"
DEMO_INSTRUMENT = (
    "Nomenklatur contoh (kode anggaran 2025–2026, belum dicocokkan dengan Kepmendagri)"
)
DEMO_INSTRUMENT_YEAR = 2025


def csv_workbook(path: Path) -> bytes:
    """Return a CSV file as an .xlsx workbook (the imports read workbooks)."""
    wb = Workbook()
    ws = wb.active
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def seed(ctx) -> None:
    result = kamus_services.import_nomenclature(
        actor=None,
        data=csv_workbook(DATA / "nomenklatur_demo.csv"),
        instrument_name=DEMO_INSTRUMENT,
        first_year=DEMO_INSTRUMENT_YEAR,
    )
    if not result.ok:
        raise RuntimeError("; ".join(str(e) for e in result.errors))
    kamus = csv_workbook(DATA / "kamus_demo.csv")
    for regency in (ctx.tangerang, ctx.langkat):
        result = kamus_services.import_kamus(actor=None, data=kamus, regency=regency, year=ctx.year)
        if not result.ok:
            raise RuntimeError("; ".join(str(e) for e in result.errors))
    ctx.log.append(f"Nomenklatur contoh dan kamus usulan {ctx.year} dimuat.")
