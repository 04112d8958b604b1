"""Delete finished document jobs and their files after some days (a new request makes anew)."""

import datetime as dt

from django.core.management.base import BaseCommand

from reports.jobs import jobs_prune


class Command(BaseCommand):
    help = (
        "Hapus tugas pembuatan dokumen yang sudah selesai/gagal lebih dari N hari (dan berkasnya)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hari", type=int, default=7, help="umur minimal (hari), bawaan 7")

    def handle(self, *args, hari: int, **options) -> None:
        count = jobs_prune(older_than=dt.timedelta(days=hari))
        self.stdout.write(f"{count} tugas dokumen dihapus.")
