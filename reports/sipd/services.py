"""Writes of the SIPD bridge: the "sudah diinput di SIPD" tick and the reconcile record.

Each service starts with ``authorize`` on its rule (``reports.mark_sipd_input``,
``reports.reconcile_sipd``); commands pass no actor and are held to the same phase rule: the
forum must have been sent.
"""

import hashlib

from django.db import transaction
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import User
from musrenbang.rulebook import authorize
from proposals.models import Proposal
from reports.models import SipdInput, SipdReconciliation
from reports.rules import SIPD_NOT_SENT
from reports.sipd import reconcile, worklist
from sessions.models import Forum

NOT_SENT = SIPD_NOT_SENT


def sipd_input_mark(*, actor: User, forum: Forum, proposal: Proposal, done: bool) -> bool:
    """Tick (or untick) a proposal's rekomendasi as entered into SIPD; return the new state."""
    authorize(actor, "reports.mark_sipd_input", forum)
    in_list = worklist.worklist_queryset(subdistrict_id=forum.subdistrict_id, year=forum.year)
    if not in_list.filter(pk=proposal.pk).exists():
        raise DomainError("Usulan ini tidak ada di daftar Input SIPD forum ini.")
    with transaction.atomic():
        entry = SipdInput.objects.select_for_update().filter(proposal=proposal).first()
        if done and entry is None:
            SipdInput.objects.create(
                forum=forum, proposal=proposal, done_by=actor, done_at=timezone.now()
            )
        elif not done and entry is not None:
            entry.delete()
    return done


def sipd_reconcile(
    *, actor: User | None, forum: Forum, data: bytes, file_name: str
) -> tuple[reconcile.Report, SipdReconciliation | None]:
    """Compare a SIPD export with the forum's result and record the comparison.

    Changes nothing in the forum. A file that cannot be read is reported, not recorded.
    """
    authorize(actor, "reports.reconcile_sipd", forum)
    rows = worklist.worklist(forum)
    report = reconcile.compare(rows["keyed"] + rows["new"], data)
    if report.errors:
        return report, None
    record = SipdReconciliation.objects.create(
        forum=forum,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        details=report.lines,
        created_by=actor,
        **report.counts,
    )
    return report, record
