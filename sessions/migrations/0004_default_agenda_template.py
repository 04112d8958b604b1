"""The default agenda template: the 12 steps of the Tangerang (Larangan) SOP with their times."""

from django.db import migrations

NAME = "Musrenbang Kecamatan (SOP Kota Tangerang, 12 langkah)"
STEPS = [
    ("Pendaftaran peserta Musrenbang", 30, "Tim penyelenggara"),
    ("Pemaparan permasalahan utama kecamatan", 30, "Camat"),
    (
        "Pemaparan narasumber (Bappeda dan OPD terkait) mengenai rancangan Renja OPD",
        30,
        "Narasumber Bappeda dan OPD",
    ),
    ("Pemaparan kegiatan prioritas kelurahan", 30, "Delegasi desa/kelurahan"),
    ("Verifikasi usulan kegiatan kelurahan oleh delegasi kelurahan", 30, "Delegasi desa/kelurahan"),
    (
        "Kesepakatan kriteria untuk menentukan kegiatan prioritas pembangunan kecamatan",
        15,
        "Peserta forum",
    ),
    (
        "Pembagian peserta ke dalam kelompok pembahasan (komisi) berdasarkan fungsi/OPD",
        30,
        "Tim penyelenggara",
    ),
    ("Kesepakatan kegiatan prioritas yang diperlukan tetapi belum diusulkan", 15, "Peserta forum"),
    (
        "Pembahasan dan kesepakatan kegiatan prioritas pembangunan kecamatan per komisi",
        150,
        "Komisi",
    ),
    ("Pemaparan kegiatan prioritas pembangunan dari tiap-tiap komisi", 60, "Komisi"),
    (
        "Pemilihan dan penetapan delegasi kecamatan untuk Forum Perangkat Daerah dan "
        "Musrenbang Kabupaten/Kota",
        30,
        "Peserta forum",
    ),
    ("Penandatanganan hasil Musrenbang Kecamatan", 15, "Camat, delegasi dan narasumber"),
]


def create(apps, schema_editor):
    AgendaTemplate = apps.get_model("forum", "AgendaTemplate")
    AgendaTemplateItem = apps.get_model("forum", "AgendaTemplateItem")
    template, created = AgendaTemplate.objects.get_or_create(
        regency=None, name=NAME, defaults={"is_default": True}
    )
    if created:
        AgendaTemplateItem.objects.bulk_create(
            AgendaTemplateItem(
                template=template, order=order, title=title, planned_minutes=minutes,
                responsible=responsible,
            )
            for order, (title, minutes, responsible) in enumerate(STEPS, 1)
        )


def remove(apps, schema_editor):
    apps.get_model("forum", "AgendaTemplate").objects.filter(regency=None, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("forum", "0003_event_log")]

    operations = [migrations.RunPython(create, remove)]
