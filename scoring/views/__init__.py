"""Pages of the scoring app, one module per part of the work.

- ``setup``: criteria and scorers;
- ``scoresheet``: the menu entry, the scoring sheet, one cell, a development priority;
- ``ranking``: Hitung, the Hasil Skoring and its workbook, decisions, Kirim ke OPD;
- ``opd``: what OPD readers and Bappeda read once the result was sent.
"""

from scoring.views.opd import (
    agency_attachment,
    agency_priorities,
    agency_priorities_xlsx,
    agency_proposal,
)
from scoring.views.ranking import (
    apply_ceiling,
    compute,
    decide,
    entry_results,
    move,
    results,
    results_xlsx,
    send,
    set_agency,
    undo,
)
from scoring.views.scoresheet import development_priority, entry, score_cell, sheet
from scoring.views.setup import (
    criteria,
    criteria_copy,
    criterion_add,
    criterion_remove,
    criterion_weight,
    scorer_add,
    scorer_remove,
)

__all__ = [
    "agency_attachment",
    "agency_priorities",
    "agency_priorities_xlsx",
    "agency_proposal",
    "apply_ceiling",
    "compute",
    "criteria",
    "criteria_copy",
    "criterion_add",
    "criterion_remove",
    "criterion_weight",
    "decide",
    "development_priority",
    "entry",
    "entry_results",
    "move",
    "results",
    "results_xlsx",
    "score_cell",
    "scorer_add",
    "scorer_remove",
    "send",
    "set_agency",
    "sheet",
    "undo",
]
