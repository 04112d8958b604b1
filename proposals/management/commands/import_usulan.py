"""Import the desa musrenbang recap (Excel) into a kecamatan's planning year."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from musrenbang.models import Subdistrict
from proposals.excel import import_proposals


class Command(BaseCommand):
    help = "Impor usulan desa/kelurahan dari berkas Excel (semua baris atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kecamatan", required=True, help="kode kecamatan, mis. 36.71.13")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")

    def handle(self, *args, file: Path, kecamatan: str, tahun: int, dry_run: bool, **options):
        subdistrict = Subdistrict.objects.filter(code=kecamatan).first()
        if subdistrict is None:
            raise CommandError(f"Kecamatan dengan kode {kecamatan} tidak ditemukan.")
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            result = import_proposals(
                actor=None,
                data=file.read_bytes(),
                subdistrict=subdistrict,
                year=tahun,
                dry_run=dry_run,
            )
        except DomainError as error:
            raise CommandError(str(error))
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} kesalahan; tidak ada usulan yang diimpor.")
        if dry_run:
            self.stdout.write(f"Pemeriksaan selesai: {result.count} usulan siap diimpor.")
        else:
            self.stdout.write(f"{result.count} usulan diimpor ke {subdistrict} tahun {tahun}.")
