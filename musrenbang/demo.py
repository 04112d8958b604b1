"""Demo data: real regions, fictional people. Used by ``manage.py seed_demo`` only.

The core part creates the regions, master data and users; each app may add its part in
``<app>/demo.py`` with a function ``seed(ctx: DemoContext)``, called in app order.
"""

import datetime as dt
import importlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from musrenbang.models import (
    Agency,
    BudgetCeiling,
    DevelopmentPriority,
    PlanningYear,
    Regency,
    Role,
    Sector,
    Subdistrict,
    Unit,
    User,
    Village,
)
from musrenbang.services import wilayah_load

DEMO_PASSWORD = "musrenbang-demo"  # noqa: S105 - documented demo password, created by seed_demo only
DEMO_YEAR = 2027
APP_DEMOS = [
    "musrenbang.demo_kamus",
    "proposals.demo",
    "sessions.demo",
    "scoring.demo",
    "reports.demo",
]

AGENCIES = [
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Perhubungan", "Dishub"),
    ("Dinas Perumahan dan Kawasan Permukiman", "Perkim"),
    ("Dinas Koperasi dan Usaha Mikro", "Diskop UKM"),
    ("Dinas Lingkungan Hidup", "DLH"),
]
SECTORS = ["Pemerintahan", "Kesejahteraan Rakyat", "Ekonomi", "Sarana dan Prasarana"]
PRIORITIES = [
    "Pembangunan Infrastruktur",
    "Pendidikan dan Kesehatan",
    "Penataan Pasar Tradisional",
    "Toleransi Beragama",
    "Pelayanan Administrasi Kependudukan Gratis",
    "Keamanan dan Kenyamanan",
    "Iklim Investasi",
    "Fasilitas Publik",
]
UNITS = ["meter", "m2", "m3", "unit", "paket", "titik", "orang", "kegiatan", "lokasi", "buah"]


@dataclass
class DemoContext:
    """What the core demo created, handed to each app's ``seed``."""

    year: int
    tangerang: Regency
    langkat: Regency
    larangan: Subdistrict
    stabat: Subdistrict
    users: dict[str, User] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def _master_data(regency: Regency) -> None:
    for order, name in enumerate(SECTORS, 1):
        Sector.objects.get_or_create(regency=regency, name=name, defaults={"order": order})
    for order, name in enumerate(PRIORITIES, 1):
        DevelopmentPriority.objects.get_or_create(
            regency=regency, name=name, defaults={"order": order}
        )
    for name, abbreviation in AGENCIES:
        Agency.objects.get_or_create(
            regency=regency, abbreviation=abbreviation, defaults={"name": name}
        )
    tz = timezone.get_current_timezone()
    PlanningYear.objects.get_or_create(
        regency=regency,
        year=DEMO_YEAR,
        defaults={
            "submission_deadline": dt.datetime(DEMO_YEAR - 1, 12, 31, 23, 59, tzinfo=tz),
            "forum_start": dt.date(DEMO_YEAR - 1, 1, 15),
            "forum_end": dt.date(DEMO_YEAR - 1, 12, 31),
        },
    )


def _user(username: str, first_name: str, role: str, **place) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "role": role, **place},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.is_staff = role == Role.BAPPEDA
        user.save()
    return user


@transaction.atomic
def seed_core() -> DemoContext:
    for name in UNITS:
        Unit.objects.get_or_create(name=name)
    tangerang = wilayah_load(regency_code="36.71").regency
    langkat = wilayah_load(regency_code="12.05").regency
    for regency, address in [
        (tangerang, "Jl. Satria Sudirman No. 1, Kota Tangerang"),
        (langkat, "Jl. T. Amir Hamzah No. 1, Stabat"),
    ]:
        if not regency.address:
            regency.address = address
            regency.save(update_fields=["address"])
        _master_data(regency)
    larangan = Subdistrict.objects.get(code="36.71.13")
    stabat = Subdistrict.objects.get(code="12.05.07")
    for sub, address, camat, nip, dapil, ceiling in [
        (larangan, "Jl. Raden Fatah No. 1, Larangan, Kota Tangerang", "Rahmat Hidayat, S.IP",
         "197801012005011001", "Dapil Tangerang 5", 4_500_000_000),
        (stabat, "Jl. Proklamasi No. 10, Stabat, Kabupaten Langkat", "Sri Wahyuni, S.Sos, M.Si",
         "198003152006042002", "Dapil Langkat 1", 3_000_000_000),
    ]:  # fmt: skip
        if not sub.camat_name:
            sub.address, sub.camat_name, sub.camat_nip = address, camat, nip
            sub.electoral_district = dapil
            sub.save()
        BudgetCeiling.objects.get_or_create(
            subdistrict=sub, year=DEMO_YEAR, defaults={"amount": ceiling}
        )

    gaga = Village.objects.get(code="36.71.13.1006")
    kreo = Village.objects.get(code="36.71.13.1004")
    pupr = Agency.objects.get(regency=tangerang, abbreviation="PUPR")
    ctx = DemoContext(
        year=DEMO_YEAR, tangerang=tangerang, langkat=langkat, larangan=larangan, stabat=stabat
    )
    ctx.users = {
        "admin.bappeda": _user("admin.bappeda", "Dewi Lestari", Role.BAPPEDA, regency=tangerang),
        "camat.larangan": _user(
            "camat.larangan", "Rahmat Hidayat", Role.CAMAT, subdistrict=larangan
        ),
        "staf.larangan": _user("staf.larangan", "Agus Setiawan", Role.STAFF, subdistrict=larangan),
        "operator.gaga": _user("operator.gaga", "Nur Aini", Role.OPERATOR, village=gaga),
        "operator.kreo": _user("operator.kreo", "Budi Santoso", Role.OPERATOR, village=kreo),
        "camat.stabat": _user("camat.stabat", "Sri Wahyuni", Role.CAMAT, subdistrict=stabat),
        "opd.pupr": _user("opd.pupr", "Hendra Gunawan", Role.OPD, agency=pupr),
    }
    return ctx


DEMO_LOGINS = [
    ("admin.bappeda", "Admin Bappeda Kota Tangerang (juga /admin/)"),
    ("camat.larangan", "Camat Larangan, Kota Tangerang"),
    ("staf.larangan", "Staf Kecamatan Larangan"),
    ("operator.gaga", "Operator Kelurahan Gaga (Larangan)"),
    ("operator.kreo", "Operator Kelurahan Kreo (Larangan)"),
    ("camat.stabat", "Camat Stabat, Kabupaten Langkat"),
    ("opd.pupr", "Petugas OPD: Dinas PUPR Kota Tangerang"),
    ("opd.pupr.langkat", "Petugas OPD: Dinas PUPR Kabupaten Langkat (tindak lanjut usulan Stabat)"),
]


def seed_all() -> DemoContext:
    """Seed the core, then every app's demo part (each idempotent)."""
    ctx = seed_core()
    for module_name in APP_DEMOS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue
            raise
        with transaction.atomic():
            module.seed(ctx)
    return ctx
