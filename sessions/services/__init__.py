"""Writes of the forum (one module per concern); import from ``sessions.services``."""

from sessions.services.day import (  # noqa: F401
    TRANSITIONS,
    ElectionResult,
    agenda_item_end,
    agenda_item_start,
    delegates_elect,
    forum_start,
    item_verify,
    kecamatan_addition_create,
    seats_for,
)
from sessions.services.participants import (  # noqa: F401
    IMPORT_COLUMNS,
    ImportRejected,
    Marked,
    attendance_mark,
    attendance_walk_in,
    participant_delete,
    participant_save,
    participants_import,
)
from sessions.services.preparation import (  # noqa: F401
    agenda_apply_template,
    agenda_item_delete,
    agenda_item_save,
    commission_add,
    commission_delete,
    commission_notes_save,
    commission_rank_set,
    commissions_create_by_sector,
    default_template,
    forum_attach_guideline,
    forum_create,
    forum_load_data,
    forum_update,
    item_move,
    item_shift,
    team_member_add,
    team_member_remove,
)
from sessions.workflow import forum_transition  # noqa: F401, E402
