"""Writes of proposals: create, edit, rank, every change of status, attachments.

Every writing service starts with one ``authorize(actor, "proposals.<action>", obj)`` on the
rule book (``proposals.rules``): the side, the statuses of the one table ``TRANSITIONS``
(``proposals.workflow``), the year's closure and the desa's deadline are checked there. Every
status change goes through ``lifecycle._transition``, which locks the row and writes a
``Transition`` row. Views, bulk actions, the import, the admin and the demo all call these
functions.
"""

from proposals.services.attachments import attachment_add, attachment_delete
from proposals.services.carry_over import carry_over_candidates, proposals_carry_over
from proposals.services.editing import (
    EDITABLE_FIELDS,
    KAMUS_FIELDS,
    proposal_create,
    proposal_move,
    proposal_reorder,
    proposal_update,
)
from proposals.services.lifecycle import (
    BULK_ACTIONS,
    proposal_receive,
    proposal_reject,
    proposal_return,
    proposal_submit,
    proposal_verify,
    proposals_bulk,
    proposals_close_year,
    proposals_submit_all,
)
from proposals.workflow import (
    CLOSING,
    DESA,
    EDITABLE,
    KECAMATAN,
    KECAMATAN_EDITABLE,
    REASON_REQUIRED,
    TRANSITIONS,
    allowed_targets,
    deadline_passed,
    planning_year_of,
    side_of,
)

__all__ = [
    "attachment_add",
    "attachment_delete",
    "BULK_ACTIONS",
    "CLOSING",
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
    "proposals_close_year",
    "proposals_submit_all",
    "side_of",
]
