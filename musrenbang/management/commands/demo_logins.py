from django.conf import settings
from django.core.management.base import BaseCommand

from musrenbang.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Menampilkan akun contoh untuk mencoba aplikasi."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Akun contoh (hanya untuk mencoba; kata sandi semua: {DEMO_PASSWORD}):")
        for username, label in DEMO_LOGINS:
            self.stdout.write(f"  {username:<16} {label}")
        self.stdout.write(f"Buka {settings.RUN_URL}/ lalu masuk dengan salah satu akun di atas.")
        self.stdout.write("")
