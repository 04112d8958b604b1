from django.core.management.base import BaseCommand, CommandError

from reports.followup.reminders import followup_reminders


class Command(BaseCommand):
    help = (
        "Daftar tindak lanjut yang tidak diperbarui selama N hari, per OPD; dikirim lewat surel "
        "bila EMAIL_* diatur (konsol saat pengembangan). Sekali sehari per OPD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=60, help="batas hari (bawaan 60)")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days minimal 1.")
        reminders = followup_reminders(days=days)
        if not reminders:
            self.stdout.write(f"Tidak ada tindak lanjut yang tertunda lebih dari {days} hari.")
        for r in reminders:
            state = (
                "sudah diingatkan hari ini"
                if r.already
                else f"surel ke {', '.join(r.recipients)}"
                if r.sent
                else "tanpa surel"
            )
            self.stdout.write(f"{r.agency.name}: {len(r.follow_ups)} tindak lanjut ({state})")
            for fu in r.follow_ups:
                self.stdout.write(
                    f"  {fu.proposal.reference} {fu.proposal.title} — {fu.get_stage_display()}"
                )
