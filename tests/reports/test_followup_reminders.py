"""``followup_reminders``: stale follow-ups per agency, e-mailed once per day."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reports.models import FollowUp, ReminderLog
from tests import factories as f
from tests.reports.followup_factories import open_forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale(subdistrict, village, year, agency, settings):
    settings.FOLLOWUP_REMINDER_EMAIL = True
    f.UserFactory(username="pupr1", role="opd", agency=agency, email="pupr@example.go.id")
    data, follow_ups = open_forum(subdistrict, [village])
    old = [fu for fu in follow_ups if fu.agency_id][:2]
    FollowUp.objects.filter(pk__in=[fu.pk for fu in old]).update(
        updated_at=timezone.now() - dt.timedelta(days=70)
    )
    return old


def _run(*args) -> str:
    out = StringIO()
    call_command("followup_reminders", *args, stdout=out)
    return out.getvalue()


def test_lists_stale_follow_ups_per_agency_and_mails_the_petugas(stale):
    text = _run()
    assert "Dinas Pekerjaan Umum dan Penataan Ruang: 2 tindak lanjut" in text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pupr@example.go.id"]
    assert stale[0].proposal.reference in mail.outbox[0].body


def test_running_twice_a_day_mails_once(stale):
    _run()
    text = _run()
    assert len(mail.outbox) == 1
    assert "sudah diingatkan hari ini" in text
    assert ReminderLog.objects.count() == 1


def test_days_option_changes_the_threshold(stale):
    assert "Tidak ada tindak lanjut" in _run("--days", "90")
    assert not mail.outbox


def test_without_email_settings_it_only_lists(stale, settings):
    settings.FOLLOWUP_REMINDER_EMAIL = False
    assert "tanpa surel" in _run()
    assert not mail.outbox and not ReminderLog.objects.exists()


def test_followup_open_command_opens_forums_sent_before(stale):
    FollowUp.objects.all().delete()
    out = StringIO()
    call_command("followup_open", stdout=out)
    assert FollowUp.objects.count() == 5
