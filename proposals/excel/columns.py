"""Columns of the proposal workbook, shared by the import, the export and the template."""

COLUMNS = [
    "No",
    "Kode Desa/Kelurahan",
    "Desa/Kelurahan",
    "Usulan Kegiatan",
    "Permasalahan",
    "Lokasi",
    "Volume",
    "Satuan",
    "Perkiraan Biaya (Rp)",
    "Bidang",
    "OPD Tujuan",
    "Prioritas Desa",
    "Kamus Usulan",
]
EXPORT_COLUMNS = [*COLUMNS, "Status", "Nomor Usulan"]
# Columns that must exist (besides the desa by code or name); the others may be left out.
REQUIRED = ["Usulan Kegiatan", "Lokasi", "Volume", "Satuan", "Perkiraan Biaya (Rp)", "Bidang"]
COLUMN_ORDER = {name: index for index, name in enumerate(EXPORT_COLUMNS)}
MAX_LEN = {"Usulan Kegiatan": 255, "Lokasi": 255, "Satuan": 40, "Permasalahan": 2000}
KAMUS_COST_NOTE = "Biaya dari rekap musrenbang desa/kelurahan (berbeda dari harga kamus)."
