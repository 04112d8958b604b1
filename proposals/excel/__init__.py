"""Excel import and export of proposals, shared by the pages and the management commands."""

from musrenbang.excel import ImportResult, RowError, error_workbook_from
from proposals.excel.columns import COLUMNS, EXPORT_COLUMNS
from proposals.excel.exporting import (
    escape_text,
    export_filename,
    export_workbook,
    template_workbook,
)
from proposals.excel.importing import import_proposals, parse_cost

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "ImportResult",
    "RowError",
    "error_workbook_from",
    "escape_text",
    "export_filename",
    "export_workbook",
    "import_proposals",
    "parse_cost",
    "template_workbook",
]
