"""Helpers shared by the proposal services: the row lock and the audit row."""

from musrenbang.models import User
from proposals.models import Proposal, Status, Transition


def _locked(proposal_id: int) -> Proposal:
    """Return the proposal with its row locked (``of=("self",)``: not the joined kecamatan)."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("subdistrict")
        .get(pk=proposal_id)
    )


def _probe(*, subdistrict, village, year: int) -> Proposal:
    """An unsaved proposal standing for one to be created or for a desa's year (rule object)."""
    return Proposal(subdistrict=subdistrict, village=village, year=year, status=Status.DRAFT)


def _audit(
    proposal: Proposal, *, frm: str, to: str, actor: User | None, reason="", public=True
) -> Transition:
    return Transition.objects.create(
        proposal=proposal, from_status=frm, to_status=to, actor=actor, reason=reason, public=public
    )
