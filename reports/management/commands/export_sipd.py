"""Write the "Input SIPD" worklist of a sent forum as a workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.management.commands._sipd import forum_of
from reports.sipd import exporting, worklist
from reports.sipd.services import NOT_SENT


class Command(BaseCommand):
    help = (
        "Ekspor rekomendasi kecamatan dalam bentuk SIPD (lembar 1: usulan dengan kunci SIPD; "
        "lembar 2: usulan yang belum ada di SIPD)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kecamatan", required=True, help="kode kecamatan, mis. 12.05.07")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args, kecamatan: str, tahun: int, output: Path, **options):
        forum = forum_of(kecamatan, tahun)
        if not forum.is_locked:
            raise CommandError(NOT_SENT)
        work = worklist.worklist(forum)
        output.write_bytes(exporting.worklist_workbook(work))
        self.stdout.write(
            f"{len(work['keyed'])} usulan dengan kunci SIPD dan {len(work['new'])} usulan "
            f"belum ada di SIPD ditulis ke {output}."
        )
