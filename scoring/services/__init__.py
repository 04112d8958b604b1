"""Writes of the scoring app: criteria, scores, Hitung, decisions and "Kirim ke OPD".

Every writing function takes keyword-only arguments and starts with the forum's one helper
(``sessions.workflow.forum_action``): one transaction, the forum row locked, the actor checked
against the action's rule (``scoring.rules``: role and phase, ``Locked`` once sent) and a row
of the forum's log (``ForumEvent``) for each step that matters. The package
splits them by concern; import them from here.
"""

from scoring.services.compute import (
    COMPUTED_FIELDS,
    ceiling_amount,
    fill_missing_averages,
    forum_compute,
    ranking_key,
    results_stale,
)
from scoring.services.criteria import (
    DEFAULT_CRITERIA,
    DEFAULT_TEMPLATE_NAME,
    criteria_copy_from_template,
    criteria_frozen,
    criterion_add,
    criterion_remove,
    criterion_update,
    proposal_set_development_priority,
    template_get_default,
)
from scoring.services.decisions import (
    result_decide,
    result_move,
    result_set_agency,
    result_undo,
    results_apply_ceiling,
)
from scoring.services.scores import (
    can_score,
    progress,
    score_save,
    scorer_add,
    scorer_ids,
    scorer_remove,
)
from scoring.services.sending import forum_send, send_problems

__all__ = [
    "COMPUTED_FIELDS",
    "DEFAULT_CRITERIA",
    "DEFAULT_TEMPLATE_NAME",
    "can_score",
    "ceiling_amount",
    "criteria_copy_from_template",
    "criteria_frozen",
    "criterion_add",
    "criterion_remove",
    "criterion_update",
    "fill_missing_averages",
    "forum_compute",
    "forum_send",
    "progress",
    "proposal_set_development_priority",
    "ranking_key",
    "result_decide",
    "result_move",
    "result_set_agency",
    "result_undo",
    "results_apply_ceiling",
    "results_stale",
    "score_save",
    "scorer_add",
    "scorer_ids",
    "scorer_remove",
    "send_problems",
    "template_get_default",
]
