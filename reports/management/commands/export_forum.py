from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from reports.backup import forum_export


class Command(BaseCommand):
    help = "Menulis arsip lengkap satu forum (data JSON, dokumen arsip, unggahan) ke berkas zip."

    def add_arguments(self, parser):
        parser.add_argument("--kecamatan", required=True, help="kode kecamatan, contoh 12.05.07")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("-o", "--output", required=True, help="berkas .zip tujuan")

    def handle(self, *args, kecamatan: str, tahun: int, output: str, **options):
        try:
            content = forum_export(subdistrict_code=kecamatan, year=tahun)
        except DomainError as error:
            raise CommandError(str(error))
        Path(output).write_bytes(content)
        self.stdout.write(f"Arsip forum ditulis ke {output} ({len(content):,} bita).")
