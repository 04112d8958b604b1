"""Compare a SIPD export with the forum's result; exit code 0 only when everything matches."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from reports.management.commands._sipd import forum_of
from reports.sipd.reconcile import line_text
from reports.sipd.services import sipd_reconcile


class Command(BaseCommand):
    help = (
        "Bandingkan ekspor usulan SIPD dengan hasil forum (per kunci SIPD). Tidak mengubah "
        "forum; hasilnya dicatat. Kode keluar 0 hanya bila semuanya cocok."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kecamatan", required=True, help="kode kecamatan, mis. 12.05.07")
        parser.add_argument("--tahun", required=True, type=int)

    def handle(self, *args, file: Path, kecamatan: str, tahun: int, **options):
        forum = forum_of(kecamatan, tahun)
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            report, _ = sipd_reconcile(
                actor=None, forum=forum, data=file.read_bytes(), file_name=file.name
            )
        except DomainError as error:
            raise CommandError(str(error))
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError("Berkas tidak dapat dibaca; tidak ada yang dibandingkan.")
        for line in report.lines:
            self.stdout.write(line_text(line))
        if report.not_keyed:
            self.stdout.write(
                f"{report.not_keyed} usulan belum ada di SIPD (tanpa kunci), tidak dibandingkan."
            )
        self.stdout.write(report.summary)
        if not report.all_match:
            raise CommandError("Ada perbedaan antara SIPD dan hasil forum.", returncode=1)
