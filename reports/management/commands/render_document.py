"""Render a forum's document to PDF from the command line, with the code the buttons use."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, Subdistrict, Village
from reports import documents
from sessions.models import Forum


class Command(BaseCommand):
    help = "Cetak dokumen musrenbang kecamatan ke PDF (sama dengan tombol di halaman Dokumen)."

    def add_arguments(self, parser):
        parser.add_argument("document", choices=sorted(documents.KINDS))
        parser.add_argument("--kecamatan", required=True, help="kode kecamatan, mis. 12.05.07")
        parser.add_argument("--tahun", required=True, type=int, help="tahun perencanaan")
        parser.add_argument("-o", "--output", required=True, help="berkas PDF tujuan")
        parser.add_argument("--desa", help="kode desa/kelurahan (daftar-usulan)")
        parser.add_argument("--opd", help="singkatan OPD (dsp-opd), mis. PUPR")
        parser.add_argument(
            "--formulir",
            action="store_true",
            help="daftar-hadir kosong untuk dicetak sebelum hari H",
        )

    def handle(self, *args, document, kecamatan, tahun, output, desa, opd, formulir, **options):
        subdistrict = Subdistrict.objects.filter(code=kecamatan).first()
        if subdistrict is None:
            raise CommandError(f"Kecamatan dengan kode {kecamatan} tidak ditemukan.")
        forum = (
            Forum.objects.select_related("subdistrict__regency")
            .filter(subdistrict=subdistrict, year=tahun)
            .first()
        )
        if forum is None:
            raise CommandError(f"Forum musrenbang {subdistrict} tahun {tahun} belum dibentuk.")
        extra = {}
        if desa:
            extra["village"] = Village.objects.filter(code=desa, subdistrict=subdistrict).first()
            if extra["village"] is None:
                raise CommandError(f"Desa/kelurahan {desa} tidak ada di {subdistrict}.")
        if opd:
            extra["agency"] = Agency.objects.filter(
                regency_id=subdistrict.regency_id, abbreviation__iexact=opd
            ).first()
            if extra["agency"] is None:
                raise CommandError(f"OPD dengan singkatan {opd} tidak ditemukan.")
        if formulir:
            extra["blank"] = True
        archived = forum.archived_documents.first() if document == "berita-acara" else None
        if archived:
            with archived.file.open("rb") as handle:
                content = handle.read()
            note = " (berkas final dari arsip)"
        else:
            try:
                content = documents.render(document, forum, **extra).content
            except DomainError as error:
                raise CommandError(str(error))
            note = ""
        Path(output).write_bytes(content)
        self.stdout.write(f"{documents.KINDS[document].title} ditulis ke {output}{note}.")
