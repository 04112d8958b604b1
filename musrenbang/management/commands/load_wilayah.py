from django.core.management.base import BaseCommand, CommandError

from musrenbang.services import wilayah_load


class Command(BaseCommand):
    help = "Memuat kecamatan dan desa/kelurahan satu kabupaten/kota dari daftar Kemendagri."

    def add_arguments(self, parser):
        parser.add_argument("kode", help="kode kabupaten/kota, contoh 36.71")

    def handle(self, *args, kode: str, **options):
        try:
            result = wilayah_load(regency_code=kode)
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(
            f"{result.regency}: {result.subdistricts} kecamatan, {result.villages} desa/kelurahan "
            f"(baru {result.created}, diperbarui {result.updated}, tetap {result.unchanged})."
        )
