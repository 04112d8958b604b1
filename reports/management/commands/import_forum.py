from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from reports.backup import forum_import


class Command(BaseCommand):
    help = "Memulihkan arsip forum (hasil export_forum) ke basis data kosong."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .zip hasil export_forum")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            manifest = forum_import(archive_bytes=path.read_bytes())
        except DomainError as error:
            raise CommandError(str(error))
        total = sum(manifest["jumlah_baris"].values())
        self.stdout.write(
            f"Forum Kecamatan {manifest['kecamatan']['nama']} tahun {manifest['tahun']} "
            f"dipulihkan: {total} baris, {len(manifest['berkas'])} berkas."
        )
