"""Reminders to agencies about follow-ups without an update for a while (once per day)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from musrenbang.models import Agency, Role, User
from reports.followup.models import ReminderLog
from reports.followup.selectors import stale_by_agency


@dataclass
class AgencyReminder:
    agency: Agency
    follow_ups: list
    recipients: list[str]
    sent: bool = False
    already: bool = False


def _message(reminder: AgencyReminder, days: int) -> str:
    lines = [
        f"Yth. petugas {reminder.agency.name},",
        "",
        f"{len(reminder.follow_ups)} tindak lanjut usulan Musrenbang belum diperbarui "
        f"lebih dari {days} hari:",
        "",
    ]
    for fu in reminder.follow_ups:
        lines.append(
            f"- {fu.proposal.reference} {fu.proposal.title} ({fu.subdistrict.name}): "
            f"{fu.get_stage_display()}, terakhir {timezone.localdate(fu.updated_at):%d-%m-%Y}"
        )
    url = settings.SITE_URL + reverse("reports:followup_agency", args=[reminder.agency.pk])
    lines += ["", f"Perbarui di {url} (bisa sekaligus dengan lembar kerja Excel)."]
    return "\n".join(lines)


def followup_reminders(*, days: int = 60, send: bool | None = None) -> list[AgencyReminder]:
    """List the stale follow-ups per agency and e-mail each agency once per day.

    ``send`` defaults to ``settings.FOLLOWUP_REMINDER_EMAIL`` (SMTP configured or DEBUG).
    An agency already reminded today is listed but not e-mailed again (``ReminderLog``).
    """
    send = settings.FOLLOWUP_REMINDER_EMAIL if send is None else send
    today = timezone.localdate()
    now = timezone.now()
    grouped = stale_by_agency(days=days, now=now)
    emails: dict[int, list[str]] = {}
    for user in User.objects.filter(
        role=Role.OPD, agency__in=list(grouped), is_active=True
    ).exclude(email=""):
        emails.setdefault(user.agency_id, []).append(user.email)
    done = set(ReminderLog.objects.filter(day=today).values_list("agency_id", flat=True))
    reminders = []
    for agency, follow_ups in grouped.items():
        reminder = AgencyReminder(agency, follow_ups, sorted(emails.get(agency.pk, [])))
        reminder.already = agency.pk in done
        if send and not reminder.already:
            reminder.sent = _send(reminder, days, today)
        reminders.append(reminder)
    return reminders


def _send(reminder: AgencyReminder, days: int, today: dt.date) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                agency=reminder.agency,
                day=today,
                count=len(reminder.follow_ups),
                recipients=", ".join(reminder.recipients),
            )
            if reminder.recipients:
                send_mail(
                    f"[Musrenbang] {len(reminder.follow_ups)} tindak lanjut menunggu pembaruan",
                    _message(reminder, days),
                    settings.DEFAULT_FROM_EMAIL,
                    reminder.recipients,
                )
    except IntegrityError:  # another run reminded this agency today
        reminder.already = True
        return False
    return bool(reminder.recipients)
