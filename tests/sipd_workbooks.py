"""Build SIPD-shaped workbooks in tests (both header sets of SIPD's usulan export)."""

import datetime as dt
from io import BytesIO

from openpyxl import Workbook

# Header set 1 (importers written by Bappeda staff): desa only inside ``Alamat``.
SET_1 = [
    "No", "Tgl Usul", "Pengusul", "Profil", "Permasalahan", "Usulan", "Urusan", "Alamat",
    "SKPD Tujuan Awal", "SKPD Tujuan Akhir", "Rekomendasi Bappeda/Mitra OPD", "Kategori Usulan",
    "Koefisien", "Rekomendasi Kelurahan/Desa", "Rekomendasi Kecamatan", "Rekomendasi SKPD",
]  # fmt: skip
# Header set 2 (another importer): an id, the desa in its own column, figures in columns.
SET_2 = [
    "ID Usulan", "Tanggal", "Pengusul", "Profil", "Usulan", "Masalah", "Alamat", "Kabupaten",
    "Kecamatan", "Kelurahan", "Usulan Ke", "OPD Tujuan Awal", "OPD Tujuan Akhir", "Status",
    "Catatan", "Rekomendasi Mitra", "Rekomendasi Kelurahan", "Rekomendasi Kecamatan",
    "Rekomendasi SKPD", "Rekomendasi TAPD", "Volume", "Satuan", "Anggaran", "Jenis Belanja",
    "Sub Kegiatan",
]  # fmt: skip
ALIASES = {"Tanggal": "Tgl Usul", "Masalah": "Permasalahan", "Kelurahan": "Desa/Kelurahan",
           "OPD Tujuan Akhir": "SKPD Tujuan Akhir", "Rekomendasi Kelurahan":
           "Rekomendasi Kelurahan/Desa"}  # fmt: skip


def row_1(no, village_name, **over) -> dict:
    row = {
        "No": no,
        "Tgl Usul": dt.date(2026, 1, 10),
        "Pengusul": f"Desa {village_name}",
        "Profil": "Pemerintah desa",
        "Permasalahan": "Jalan rusak dan becek",
        "Usulan": f"Rehabilitasi jalan lingkungan {no}",
        "Urusan": "Pekerjaan umum",
        "Alamat": f"Dusun I, Desa {village_name}, Kec. Sukamaju",
        "SKPD Tujuan Awal": "PUPR",
        "SKPD Tujuan Akhir": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Koefisien": "",
        "Rekomendasi Kelurahan/Desa": "Disetujui. Koefisien : 2 Lokasi, Anggaran : 150000000",
        "Rekomendasi Kecamatan": "",
    }
    row.update(over)
    return row


def workbook(rows, header=SET_1, title_rows=3, formula_at=None) -> bytes:
    """A workbook with a title block of ``title_rows`` rows, the header and the rows.

    ``formula_at`` = (row index, column name) writes a formula into that cell.
    """
    wb = Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"DAFTAR USULAN MUSRENBANG - SIPD (judul baris {i + 1})"])
    ws.append(header)
    for index, row in enumerate(rows):
        values = []
        for name in header:
            value = row.get(ALIASES.get(name, name), row.get(name))
            if formula_at == (index, ALIASES.get(name, name)):
                value = "=1+1"
            values.append(value)
        ws.append(values)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
