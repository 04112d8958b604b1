"""Import SIPD's usulan export (Excel) into a kecamatan's planning year."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from musrenbang.models import Subdistrict
from proposals.excel.sipd import sipd_import


class Command(BaseCommand):
    help = (
        "Impor ekspor usulan SIPD (semua baris atau tidak sama sekali). Mengimpor berkas yang "
        "sama lagi tidak mengubah apa pun; ekspor yang lebih baru memperbarui usulan yang belum "
        "diputuskan dan menambah usulan baru."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kecamatan", required=True, help="kode kecamatan, mis. 12.05.07")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")

    def handle(self, *args, file: Path, kecamatan: str, tahun: int, dry_run: bool, **options):
        subdistrict = Subdistrict.objects.filter(code=kecamatan).first()
        if subdistrict is None:
            raise CommandError(f"Kecamatan dengan kode {kecamatan} tidak ditemukan.")
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            result = sipd_import(
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
        for key in result.locked:
            self.stdout.write(f"{key}: sudah dikunci (tidak diubah)")
        for name in result.unknown_agencies:
            self.stdout.write(f"SKPD tujuan '{name}' tidak dikenal; disimpan sebagai teks.")
        for name in result.unmatched_kamus:
            self.stdout.write(
                f"Usulan '{name}' tidak ada di kamus usulan tahun ini; usulan langsung."
            )
        prefix = "Pemeriksaan selesai (tanpa menyimpan)" if dry_run else "Impor SIPD selesai"
        self.stdout.write(f"{prefix}: {result.summary}.")
