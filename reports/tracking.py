"""Reads that need both proposals and the forum: the forum's outcome of each proposal.

Proposals never import the forum; this layer, which sees both, gives proposals' pages (the
desa list, the proposal page, the public tracking page ``/lacak/``) the outcome of sent
forums through ``proposals.selectors.register_outcome_provider`` (registered in
``ReportsConfig.ready``).
"""

from scoring.models import Result
from sessions.models import Forum


def sent_forum_outcomes(proposal_ids: list[int]) -> dict[int, dict]:
    """The decision of each proposal in a sent forum: priority (rank, OPD) or reserve (reason).

    One query. Undecided proposals and forums not sent yet give nothing (decisions may still
    change before sending).
    """
    results = (
        Result.objects.select_related("responsible_agency", "item__forum")
        .filter(item__proposal_id__in=proposal_ids, item__forum__state=Forum.State.SENT)
        .exclude(decision=Result.Decision.UNDECIDED)
    )
    return {result.item.proposal_id: _outcome(result) for result in results}


def _outcome(result: Result) -> dict:
    priority = result.decision == Result.Decision.PRIORITY
    agency = result.responsible_agency
    return {
        "kind": "priority" if priority else "reserve",
        "priority": priority,
        "label": "Prioritas" if priority else "Cadangan",
        "rank": result.rank if priority else None,
        "agency": agency.name if agency else "",
        "agency_short": agency.abbreviation if agency else "",
        "reason": "" if priority else result.reason,
        "sent_at": result.item.forum.sent_at,
    }
