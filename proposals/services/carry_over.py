"""Carrying last year's proposals that came to nothing into this year's drafts."""

from django.db import transaction
from django.db.models import F, Q

from musrenbang.exceptions import DomainError
from musrenbang.models import User, Village
from musrenbang.rulebook import authorize
from musrenbang.selectors import kamus_match
from proposals.models import Proposal, Status
from proposals.services._common import _probe
from proposals.services.editing import EDITABLE_FIELDS, proposal_create

# Follow-up stages (reports.followup) in which last year's proposal is still on its way.
_TAKEN_UP = ["diterima", "renja", "rkpd", "dpa", "pelaksanaan", "selesai", "dialihkan"]


def carry_over_candidates(*, village: Village, year: int):
    """Last year's proposals that came to nothing, not yet carried over.

    Rejected ones, not discussed ones and reserves (cadangan) no OPD took up, and priorities
    the OPD did not fund (follow-up "tidak didanai"), each with what to tell the desa:
    ``reserve_reason``, ``not_funded_category`` and ``not_funded_reason`` besides
    ``status_reason``.
    """
    return (
        Proposal.objects.filter(village=village, year=year - 1)
        .filter(
            Q(status=Status.REJECTED)
            | (
                (Q(status=Status.NOT_DISCUSSED) | Q(forum_item__result__decision="cadangan"))
                & ~Q(follow_up__stage__in=_TAKEN_UP)
            )
            | Q(follow_up__stage="tidak_didanai")
        )
        .exclude(carried_over_to__year=year)
        .annotate(
            reserve_reason=F("forum_item__result__reason"),
            not_funded_category=F("follow_up__reason_category"),
            not_funded_reason=F("follow_up__reason_text"),
        )
        .order_by("village_rank", "id")
    )


@transaction.atomic
def proposals_carry_over(*, actor: User, village: Village, year: int) -> list[Proposal]:
    """Copy last year's rejected, not discussed, reserve and not-funded proposals into this
    year's drafts (each one created by ``proposal_create``, under its own check)."""
    probe = _probe(subdistrict=village.subdistrict, village=village, year=year)
    authorize(actor, "proposals.create_proposal", probe)
    # Serialize per desa: a double click or two tabs must not copy the same proposals twice.
    Village.objects.select_for_update().filter(pk=village.pk).first()
    old = list(
        carry_over_candidates(village=village, year=year).select_related(
            "village__subdistrict__regency", "kamus"
        )
    )
    if not old:
        raise DomainError(f"Tidak ada usulan tahun {year - 1} yang dapat dilanjutkan.")
    created = []
    for source in old:
        data = {name: getattr(source, name) for name in EDITABLE_FIELDS}
        if source.kamus_id:  # the same kamus entry of the new year, if it still exists
            entry = kamus_match(regency=village.subdistrict.regency, year=year,
                                text=source.kamus.name)  # fmt: skip
            if entry is not None:
                data.update(kamus=entry, cost_note=f"Biaya usulan tahun {year - 1}.")
        proposal = proposal_create(actor=actor, year=year, village=village, data=data)
        proposal.carried_over_from = source
        proposal.save(update_fields=["carried_over_from"])
        created.append(proposal)
    return created
