from django.core.management.base import BaseCommand

from musrenbang.demo import seed_all


class Command(BaseCommand):
    help = "Mengisi data contoh (wilayah nyata, orang fiktif). Aman dijalankan berulang kali."

    def handle(self, *args, **options):
        ctx = seed_all()
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Data contoh siap."))
