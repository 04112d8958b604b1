"""factory_boy factories for the master data, shared by every app's tests."""

import datetime as dt

import factory
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
    User,
    Village,
)

PASSWORD = "sandi-uji-123"


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9{n % 10}.{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    kind = Regency.Kind.KABUPATEN


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict
        django_get_or_create = ["code"]

    regency = factory.SubFactory(RegencyFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.regency.code}.{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan Uji {n}")
    camat_name = "Camat Uji"
    camat_nip = "197001012000011001"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ["code"]

    subdistrict = factory.SubFactory(SubdistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.subdistrict.code}.{2000 + n % 999}")
    name = factory.Sequence(lambda n: f"Desa Uji {n}")
    kind = Village.Kind.DESA


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["regency", "abbreviation"]

    regency = factory.SubFactory(RegencyFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    abbreviation = factory.Sequence(lambda n: f"DU{n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["regency", "name"]

    regency = factory.SubFactory(RegencyFactory)
    name = factory.Sequence(lambda n: f"Bidang {n}")


class DevelopmentPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPriority
        django_get_or_create = ["regency", "name"]

    regency = factory.SubFactory(RegencyFactory)
    name = factory.Sequence(lambda n: f"Prioritas {n}")


class PlanningYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanningYear
        django_get_or_create = ["regency", "year"]

    regency = factory.SubFactory(RegencyFactory)
    year = 2027
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    forum_start = factory.LazyFunction(lambda: timezone.localdate())
    forum_end = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class BudgetCeilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetCeiling
        django_get_or_create = ["subdistrict", "year"]

    subdistrict = factory.SubFactory(SubdistrictFactory)
    year = 2027
    amount = 1_000_000_000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Sequence(lambda n: f"Pengguna {n}")
    role = ""
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        obj.full_clean(exclude=["password"])
        obj.is_staff = obj.role == Role.BAPPEDA
        if create:
            obj.save()
