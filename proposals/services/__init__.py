"""Writes of proposals: create, edit, rank, every change of status, attachments.

Every status change goes through ``lifecycle._transition``, which enforces the one table
``TRANSITIONS`` (who may move a proposal from which status to which), locks the row, refuses
proposals of a sent forum and writes a ``Transition`` row. Views, bulk actions, the import,
the admin and the demo all call these functions.
"""

from proposals.services.attachments import attachment_add, attachment_delete
from proposals.services.lifecycle import (
    BULK_ACTIONS,
    DESA,
    EDITABLE,
    EDITABLE_FIELDS,
    KAMUS_FIELDS,
    KECAMATAN,
    KECAMATAN_EDITABLE,
    REASON_REQUIRED,
    TRANSITIONS,
    allowed_targets,
    carry_over_candidates,
    deadline_passed,
    planning_year_of,
    proposal_create,
    proposal_move,
    proposal_receive,
    proposal_reject,
    proposal_reorder,
    proposal_return,
    proposal_submit,
    proposal_update,
    proposal_verify,
    proposals_bulk,
    proposals_carry_over,
    proposals_submit_all,
    side_of,
)

__all__ = [
    "attachment_add",
    "attachment_delete",
    "BULK_ACTIONS",
    "DESA",
    "EDITABLE",
    "EDITABLE_FIELDS",
    "KAMUS_FIELDS",
    "KECAMATAN",
    "KECAMATAN_EDITABLE",
    "REASON_REQUIRED",
    "TRANSITIONS",
    "allowed_targets",
    "carry_over_candidates",
    "deadline_passed",
    "planning_year_of",
    "proposal_create",
    "proposal_move",
    "proposal_receive",
    "proposal_reject",
    "proposal_reorder",
    "proposal_return",
    "proposal_submit",
    "proposal_update",
    "proposal_verify",
    "proposals_bulk",
    "proposals_carry_over",
    "proposals_submit_all",
    "side_of",
]
