"""The closure of a kecamatan's year lives in proposals' own data (``YearClosure``).

The forum tells proposals through ``proposals_close_year`` when it is sent; proposals then
read only their own row, never the forum.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from musrenbang.exceptions import DomainError, Locked
from proposals import selectors, services
from proposals.locks import ensure_proposal_unlocked
from proposals.models import Proposal, Status, YearClosure
from sessions.models import Forum
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_closing_the_year_records_it_without_any_forum(subdistrict, village, camat, year):
    proposal = f.ProposalFactory(village=village, status=Status.SUBMITTED)
    assert not Forum.objects.exists()
    assert selectors.year_is_open(subdistrict_id=subdistrict.pk, year=2027)
    assert camat.has_perm("proposals.act_in_open_year", proposal)

    services.proposals_close_year(subdistrict=subdistrict, year=2027, actor=camat)

    closure = YearClosure.objects.get(subdistrict=subdistrict, year=2027)
    assert closure.closed_by == camat and closure.closed_at is not None
    assert not selectors.year_is_open(subdistrict_id=subdistrict.pk, year=2027)
    assert selectors.year_closure(subdistrict_id=subdistrict.pk, year=2027)["sent_at"] == (
        closure.closed_at
    )
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert not camat.has_perm("proposals.act_in_open_year", proposal)
    with pytest.raises(Locked):
        ensure_proposal_unlocked(proposal)


def test_closing_twice_keeps_the_first_closure(subdistrict, camat):
    services.proposals_close_year(subdistrict=subdistrict, year=2027, actor=camat)
    first = YearClosure.objects.get().closed_at
    services.proposals_close_year(subdistrict=subdistrict, year=2027, actor=camat)
    assert list(YearClosure.objects.values_list("closed_at", flat=True)) == [first]


def test_a_closure_locks_only_its_kecamatan_and_year(
    subdistrict, village, far_village, camat, clerk, year
):
    services.proposals_close_year(subdistrict=subdistrict, year=2027, actor=camat)
    next_year = f.ProposalFactory(village=village, status=Status.SUBMITTED, year=2028)
    elsewhere = f.ProposalFactory(village=far_village, status=Status.SUBMITTED)
    ensure_proposal_unlocked(next_year)
    ensure_proposal_unlocked(elsewhere)
    assert clerk.has_perm("proposals.act_in_open_year", next_year)


def test_a_refused_closure_records_nothing(subdistrict, clerk):
    with pytest.raises(DomainError, match="Hanya camat"):
        services.proposals_close_year(subdistrict=subdistrict, year=2027, actor=clerk)
    assert not YearClosure.objects.exists()


def test_the_data_migration_records_forums_sent_before_it(subdistrict, other_subdistrict, camat):
    fill = importlib.import_module("proposals.migrations.0008_fill_year_closures").fill
    sent_at = timezone.now() - dt.timedelta(days=30)
    sent = f.ForumFactory(subdistrict=subdistrict, year=2026)
    # Deliberately faked: a forum sent before the migration, without the YearClosure that
    # sending through the services now records (the migration is what fills it).
    Forum.objects.filter(pk=sent.pk).update(state=Forum.State.SENT, sent_at=sent_at, sent_by=camat)
    f.ForumFactory(subdistrict=other_subdistrict, year=2026)  # still in preparation
    assert not YearClosure.objects.exists()

    fill(apps, None)
    fill(apps, None)  # running twice changes nothing

    closure = YearClosure.objects.get()
    assert (closure.subdistrict, closure.year) == (subdistrict, 2026)
    assert (closure.closed_at, closure.closed_by) == (sent_at, camat)
