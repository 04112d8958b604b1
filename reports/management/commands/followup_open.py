from django.core.management.base import BaseCommand

from reports.followup.services import followups_open
from sessions.models import Forum


class Command(BaseCommand):
    help = "Membuka tindak lanjut untuk setiap forum yang sudah dikirim ke OPD (aman diulang)."

    def handle(self, *args, **options):
        total = 0
        for forum in Forum.objects.filter(state=Forum.State.SENT).select_related("subdistrict"):
            count = followups_open(forum=forum)
            total += count
            if count:
                self.stdout.write(f"{forum}: {count} tindak lanjut dibuka")
        self.stdout.write(self.style.SUCCESS(f"{total} tindak lanjut baru."))
