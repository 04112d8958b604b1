"""Import a kabupaten/kota's kamus usulan of a year (Excel)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from musrenbang.kamus_services import import_kamus
from musrenbang.models import Regency


class Command(BaseCommand):
    help = "Impor kamus usulan kabupaten/kota untuk satu tahun dari Excel, semua atau tidak."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kabupaten", required=True, help="kode kabupaten/kota, mis. 36.71")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")

    def handle(self, *args, file: Path, kabupaten: str, tahun: int, dry_run: bool, **options):
        regency = Regency.objects.filter(code=kabupaten).first()
        if regency is None:
            raise CommandError(f"Kabupaten/kota dengan kode {kabupaten} tidak ditemukan.")
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            result = import_kamus(
                actor=None, data=file.read_bytes(), regency=regency, year=tahun, dry_run=dry_run
            )
        except DomainError as error:
            raise CommandError(str(error))
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} kesalahan; tidak ada yang diimpor.")
        for line in result.changes:
            self.stdout.write(line)
        verb = "siap diimpor" if dry_run else "diimpor"
        self.stdout.write(f"{result.count} entri kamus usulan {regency} {tahun} {verb}.")
