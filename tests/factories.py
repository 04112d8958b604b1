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


# --- Core models of the apps (shared, so each app's tests can build the others' data) ---

from proposals.models import Origin, Proposal, Status, YearClosure  # noqa: E402
from scoring.models import Criterion, Result, Score  # noqa: E402
from sessions.models import Commission, Delegate, Forum, ForumItem, Participant  # noqa: E402


class ProposalFactory(factory.django.DjangoModelFactory):
    """A desa proposal; pass ``village=`` (subdistrict and sector follow from it)."""

    class Meta:
        model = Proposal

    year = 2027
    origin = Origin.VILLAGE
    village = factory.SubFactory(VillageFactory)
    subdistrict = factory.LazyAttribute(lambda o: o.village.subdistrict if o.village else None)
    title = factory.Sequence(lambda n: f"Pembangunan jalan lingkungan RW {n % 20 + 1:02d}")
    problem = "Jalan rusak dan tergenang saat hujan."
    location = factory.Sequence(lambda n: f"RT {n % 9 + 1:02d} / RW {n % 5 + 1:02d}")
    volume = 100
    unit = "meter"
    cost = factory.Sequence(lambda n: 50_000_000 + (n % 10) * 5_000_000)
    sector = factory.LazyAttribute(
        lambda o: SectorFactory(regency=o.subdistrict.regency, name="Sarana dan Prasarana")
    )
    reference = factory.Sequence(lambda n: f"UJI/2027/{n:05d}")
    tracking_code = factory.Sequence(lambda n: f"TRK{n:07d}")
    status = Status.DRAFT


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum
        django_get_or_create = ["subdistrict", "year"]
        skip_postgeneration_save = True

    subdistrict = factory.SubFactory(SubdistrictFactory)
    year = 2027
    venue = "Aula Kantor Kecamatan"
    chair_name = "Camat Uji"

    @factory.post_generation
    def closure(forum, create, extracted, **kwargs):
        """A forum built as sent has closed its year, as ``forum_send`` does."""
        if create and forum.state == Forum.State.SENT:
            record_year_closed(forum)


def record_year_closed(forum: Forum) -> None:
    """Record that the forum's kecamatan year is closed (what sending the forum writes)."""
    YearClosure.objects.get_or_create(
        subdistrict_id=forum.subdistrict_id,
        year=forum.year,
        defaults={"closed_at": forum.sent_at or timezone.now(), "reason": "Forum dikirim (uji)."},
    )


def reopen(forum: Forum) -> None:
    """Take a sent forum back to running (a test shortcut no service offers): the state and
    the year's closure both go."""
    Forum.objects.filter(pk=forum.pk).update(state=Forum.State.RUNNING)
    YearClosure.objects.filter(subdistrict_id=forum.subdistrict_id, year=forum.year).delete()


def mark_sent(forum: Forum, **fields) -> None:
    """Put a forum into the sent state without the sending service (a test shortcut), with
    the year's closure that sending records."""
    Forum.objects.filter(pk=forum.pk).update(state=Forum.State.SENT, **fields)
    forum.refresh_from_db()
    record_year_closed(forum)


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"Komisi {n}")


class ForumItemFactory(factory.django.DjangoModelFactory):
    """A verified proposal taken into a forum (the proposal is built in the forum's kecamatan)."""

    class Meta:
        model = ForumItem

    forum = factory.SubFactory(ForumFactory)
    proposal = factory.LazyAttribute(
        lambda o: ProposalFactory(
            village=VillageFactory(subdistrict=o.forum.subdistrict),
            year=o.forum.year,
            status=Status.VERIFIED,
        )
    )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"Peserta {n}")
    gender = factory.Iterator(["L", "P"])
    category = Participant.Category.VILLAGE_DELEGATE


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    forum = factory.LazyAttribute(lambda o: o.participant.forum)
    participant = factory.SubFactory(ParticipantFactory)
    body = Delegate.Body.MUSRENBANG
    method = Delegate.Method.AGREEMENT
    elected = True


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"Kriteria {n}")
    weight = 1
    order = factory.Sequence(lambda n: n)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    item = factory.SubFactory(ForumItemFactory)
    criterion = factory.LazyAttribute(lambda o: CriterionFactory(forum=o.item.forum))
    scorer = factory.SubFactory(UserFactory)
    value = 3


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    item = factory.SubFactory(ForumItemFactory)
