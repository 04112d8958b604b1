"""Workbook helpers shared by every Excel import and export (the product's one machinery).

Exports: text a user typed may start with ``=``, ``+``, ``-`` or ``@``; Excel would run it as
a formula (``=HYPERLINK(...)``). Every exported text cell goes through ``escape_text``; the
imports strip the apostrophe again so a round trip keeps the text.

Imports: ``read_table`` finds the header row below a title block, matches columns by name in
any order, refuses formula cells and reports every problem as a ``RowError`` (row, column,
message in Indonesian). Each importer validates the rows it read and saves all or nothing;
``error_workbook_from`` gives the uploaded file back with a "Kesalahan" column.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

DANGEROUS_START = ("=", "+", "-", "@")
HEADER_SEARCH_ROWS = 10


def escape_text(text: str) -> str:
    """Prefix text that Excel would read as a formula with an apostrophe."""
    return "'" + text if text.startswith(DANGEROUS_START) else text


def safe_row(values) -> list:
    """Return the row with every text value escaped (numbers and dates unchanged)."""
    return [escape_text(v) if isinstance(v, str) else v for v in values]


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
    header_row: int = 0
    # What the import will change (or changed): one readable line per row, for previews.
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def norm(text) -> str:
    """Lower-case text with single spaces (for matching names and headers)."""
    return re.sub(r"\s+", " ", str(text or "").strip()).lower()


def cell_text(value) -> str:
    """Return a cell as stripped text; ``3.0`` reads ``3``; an escaped export cell is unescaped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in DANGEROUS_START:
        text = text[1:]
    return text


def is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(cell.value, str) and cell.value.startswith("=")
    )


def whole_number(text: str) -> int | None:
    """ASCII digits of at most 18 places (``²`` passes ``isdigit`` but not ``int``)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def parse_cost(value) -> int | None:
    """Read ``1250000``, ``1250000.0``, ``"Rp 1.250.000"`` or ``"1.250.000,00"`` as rupiah.

    The one rupiah reading of every import (proposals, SIPD, kamus, follow-up worklists).
    """
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
    return whole_number(text)


def header_key(text) -> str:
    """Normalise a column heading: case, spaces and punctuation do not count."""
    return re.sub(r"[\W_]+", "", str(text or "")).lower()


@dataclass(frozen=True)
class Layout:
    """How to recognise a workbook's header row and name its columns.

    ``columns`` maps each canonical column name to the headings accepted for it (compared
    through ``header_key``); ``is_header`` decides from the canonical names found in a row
    whether it is the header row; ``missing`` lists the required columns a header lacks.
    """

    columns: dict[str, tuple[str, ...]]
    search_rows: int
    is_header: Callable[[set], bool]
    missing: Callable[[set], list[str]]
    hint: str

    @classmethod
    def simple(cls, *, columns, required, key: str, min_found: int = 2) -> "Layout":
        """A layout of fixed headings: ``required`` holds names or tuples of alternatives."""

        def missing(found: set) -> list[str]:
            out = []
            for need in required:
                options = need if isinstance(need, tuple) else (need,)
                if not any(name in found for name in options):
                    out.append(" atau ".join(options))
            return out

        return cls(
            columns={name: () for name in columns},
            search_rows=HEADER_SEARCH_ROWS,
            is_header=lambda found: key in found and len(found) >= min_found,
            missing=missing,
            hint=f"minimal kolom {key} dan kolom lain dari templat",
        )

    def lookup(self) -> dict[str, str]:
        keys = {}
        for name, aliases in self.columns.items():
            for alias in (name, *aliases):
                keys.setdefault(header_key(alias), name)
        return keys


def _find_header(ws, layout: Layout) -> tuple[int, dict[str, int]] | None:
    wanted = layout.lookup()
    for index, row in enumerate(ws.iter_rows(max_row=layout.search_rows, values_only=True), 1):
        found = {}
        for col, value in enumerate(row):
            name = wanted.get(header_key(value))
            if name is not None and name not in found:
                found[name] = col
        if layout.is_header(set(found)):
            return index, found
    return None


def read_table(
    data: bytes,
    *,
    layout: Layout | None = None,
    columns=(),
    required=(),
    key: str = "",
    min_found: int = 2,
) -> tuple[ImportResult, list[dict]]:
    """Read the first sheet's rows as ``{column: value, "_row": n}``.

    Give a ``layout``, or the fixed ``columns`` with ``required`` (names, or tuples of
    alternatives of which one must exist), the ``key`` column and ``min_found``.
    Errors of the file or its header have a row number not after ``result.header_row``.
    """
    if layout is None:
        layout = Layout.simple(columns=columns, required=required, key=key, min_found=min_found)
    result = ImportResult()
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.errors.append(RowError(0, "-", "Berkas bukan lembar kerja Excel (.xlsx) yang sah."))
        return result, []
    ws = wb.worksheets[0]
    header = _find_header(ws, layout)
    if header is None:
        result.errors.append(
            RowError(
                0,
                "-",
                f"Baris judul kolom tidak ditemukan pada {layout.search_rows} baris pertama "
                f"({layout.hint}).",
            )
        )
        return result, []
    header_row, found = header
    missing = layout.missing(set(found))
    for name in missing:
        result.errors.append(RowError(header_row, name, "Kolom wajib tidak ada."))
    result.header_row = header_row
    raw = []
    for number, row in enumerate(ws.iter_rows(min_row=header_row + 1), header_row + 1):
        if all(c.value is None or str(c.value).strip() == "" for c in row):
            continue
        record = {"_row": number}
        for name, col in found.items():
            cell = row[col] if col < len(row) else None
            if cell is None:
                record[name] = None
            elif is_formula(cell):
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


def merge_errors(result: ImportResult, errors: list[RowError], order: dict[str, int]) -> None:
    """Add row errors to those found while reading (one per cell), sorted by row and column."""
    formula_cells = {(e.row, e.column) for e in result.errors}
    errors = [e for e in errors if (e.row, e.column) not in formula_cells]
    result.errors = sorted(result.errors + errors, key=lambda e: (e.row, order.get(e.column, 99)))


def save_bytes(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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
