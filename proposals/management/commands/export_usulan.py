"""Export proposals of a planning year to Excel (re-importable columns)."""

from django.core.management.base import BaseCommand, CommandError

from musrenbang.models import Subdistrict
from proposals.excel import export_workbook
from proposals.models import Proposal


class Command(BaseCommand):
    help = "Ekspor usulan satu tahun perencanaan ke berkas Excel."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("--kecamatan", help="kode kecamatan; tanpa ini semua kecamatan")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, tahun: int, kecamatan: str | None, output: str, **options):
        qs = Proposal.objects.filter(year=tahun)
        title = f"Usulan tahun {tahun}"
        if kecamatan:
            subdistrict = Subdistrict.objects.filter(code=kecamatan).first()
            if subdistrict is None:
                raise CommandError(f"Kecamatan dengan kode {kecamatan} tidak ditemukan.")
            qs = qs.filter(subdistrict=subdistrict)
            title = f"Usulan {subdistrict} tahun {tahun}"
        qs = qs.order_by("subdistrict__code", "reference")
        count = export_workbook(qs, title=title, out=output)
        self.stdout.write(f"{count} usulan diekspor ke {output}.")
