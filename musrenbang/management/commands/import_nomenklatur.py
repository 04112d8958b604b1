"""Import an instrument's nomenclature list (Excel): urusan .. sub kegiatan with metadata."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from musrenbang.kamus_services import import_nomenclature


class Command(BaseCommand):
    help = "Impor nomenklatur (kode program/kegiatan/sub kegiatan) dari Excel, semua atau tidak."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--instrumen", required=True, help='mis. "Kepmendagri 900.1.15.5-3406/2024"'
        )
        parser.add_argument("--tahun", required=True, type=int, help="tahun perencanaan pertama")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")

    def handle(self, *args, file: Path, instrumen: str, tahun: int, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            result = import_nomenclature(
                actor=None,
                data=file.read_bytes(),
                instrument_name=instrumen,
                first_year=tahun,
                dry_run=dry_run,
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
        self.stdout.write(f"{result.count} baris nomenklatur {instrumen} {verb}.")
