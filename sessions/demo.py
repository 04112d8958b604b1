"""Demo data of the forum (``manage.py seed_demo``), built through the services.

- Larangan (Kota Tangerang): the year's forum in preparation, with date, venue, team, the
  default agenda, one commission per bidang and about 30 pre-registered participants.
- Stabat (Kabupaten Langkat): the forum running: data loaded, agenda under way, about 35 of
  40 participants present, commission lists ordered, one kecamatan addition and the delegates
  elected. It stays running: the scoring demo scores and sends it.

Every step is skipped when its result exists, so running the seed again changes nothing.
"""

import datetime as dt
import random

from django.utils import timezone

from musrenbang.models import PlanningYear, Sector, Village
from proposals.models import Origin, Status
from sessions import services
from sessions.models import Delegate, Forum, Participant

MEN = [
    "Ahmad Fauzi", "Budi Hartono", "Dedi Kurniawan", "Eko Prasetyo", "Fajar Nugroho",
    "Hendra Saputra", "Irfan Hakim", "Joko Susilo", "Kurniawan Adi", "Muhammad Rizki",
    "Nanang Suryadi", "Rudi Hermawan", "Slamet Riyadi", "Teguh Santoso", "Wahyu Hidayat",
    "Yusuf Maulana", "Zainal Arifin", "Bambang Sutrisno", "Agus Salim", "Darmawan Siregar",
    "Rahmat Nasution", "Syahrul Lubis", "Ilham Harahap", "Andi Pratama", "Sutrisno",
    "Hasan Basri", "Ridwan Kamil Siregar", "Taufik Hidayat", "Arief Rahman", "Lukman Hakim",
    "Yudi Setiawan", "Gunawan Tarigan", "Heri Purnomo", "Samsul Bahri", "Doni Saputra",
]  # fmt: skip
WOMEN = [
    "Siti Aminah", "Dewi Sartika", "Sri Mulyani", "Rina Marlina", "Nur Hasanah",
    "Yuliani Putri", "Ratna Sari", "Fitri Handayani", "Lestari Wulandari", "Endang Susanti",
    "Maya Anggraini", "Wulan Sari", "Indah Permatasari", "Ani Suryani", "Rosmawati Ginting",
    "Nurhayati Sembiring", "Sumiati", "Kartika Dewi", "Hartini", "Mega Lestari",
    "Suryani Pane", "Eva Damanik", "Tuti Alawiyah", "Novi Rahmawati", "Yanti Purba",
    "Aisyah Putri", "Rahmawati", "Juliana Sitepu",
]  # fmt: skip
C = Participant.Category
# (category, how many, institution) for the non-delegate part of the list
OTHERS = [
    (C.DPRD, 2, "DPRD"),
    (C.BAPPEDA, 2, "Bappeda"),
    (C.OPD, 3, "Dinas PUPR"),
    (C.KECAMATAN, 3, "Kantor Kecamatan"),
    (C.COMMUNITY, 4, "Tokoh masyarakat"),
    (C.WOMEN, 3, "TP PKK Kecamatan"),
    (C.YOUTH, 2, "Karang Taruna"),
    (C.DISABILITY, 1, "Perkumpulan Penyandang Disabilitas"),
    (C.OTHER, 2, "LPM"),
]


def seed(ctx) -> None:
    _larangan(ctx)
    _stabat(ctx)


def _forum(ctx, subdistrict, actor) -> Forum:
    forum = Forum.objects.filter(subdistrict=subdistrict, year=ctx.year).first()
    if forum is None:
        forum = services.forum_create(actor=actor, subdistrict=subdistrict, year=ctx.year)
        ctx.log.append(f"Forum {subdistrict} {ctx.year} dibuat.")
    return forum


def _forum_date(subdistrict, year: int, days_ahead: int) -> dt.date:
    planning = PlanningYear.objects.get(regency_id=subdistrict.regency_id, year=year)
    wanted = timezone.localdate() + dt.timedelta(days=days_ahead)
    return min(max(wanted, planning.forum_start), planning.forum_end)


def _prepare(forum: Forum, actor, *, date, venue, decree, team) -> None:
    if forum.state != Forum.State.PREPARATION or forum.team_decree_number:
        return
    services.forum_update(
        actor=actor,
        forum=forum,
        date=date,
        venue=venue,
        team_decree_number=decree,
        house_rules=(
            "1. Peserta hadir tepat waktu dan mengisi daftar hadir.\n"
            "2. Setiap peserta berbicara setelah dipersilakan pimpinan sidang.\n"
            "3. Keputusan diambil secara musyawarah mufakat; bila tidak tercapai, dengan "
            "suara terbanyak.\n4. Telepon genggam dalam mode senyap."
        ),
        priority_guideline=(
            "Usulan diprioritaskan menurut tingkat urgensi, manfaat bagi masyarakat banyak, "
            "dukungan terhadap prioritas pembangunan daerah, kesiapan lokasi dan "
            "keswadayaan masyarakat."
        ),
    )
    for name, role, position in team:
        services.team_member_add(actor=actor, forum=forum, name=name, role=role, position=position)


def _participants(forum: Forum, actor, *, rng, delegates_per_village: int, women_every: int):
    """Register delegates of every desa/kelurahan and the other groups (about 40% women)."""
    if forum.participants.exists():
        return
    men, women = iter(rng.sample(MEN, len(MEN))), iter(rng.sample(WOMEN, len(WOMEN)))
    counter = 0

    def person() -> tuple[str, str]:
        nonlocal counter
        counter += 1
        if counter % women_every in (0, 3):
            return next(women), Participant.Gender.FEMALE
        return next(men), Participant.Gender.MALE

    villages = list(Village.objects.filter(subdistrict_id=forum.subdistrict_id))
    for village in villages:
        for _ in range(delegates_per_village):
            name, gender = person()
            services.participant_save(
                actor=actor, forum=forum, name=name, gender=gender, category=C.VILLAGE_DELEGATE,
                village=village, institution=f"{village.get_kind_display()} {village.name}",
                phone=f"08{rng.randint(1100000000, 1399999999)}",
            )  # fmt: skip
    for category, count, institution in OTHERS:
        for _ in range(count):
            name, gender = person()
            if category == C.WOMEN:
                name, gender = next(women), Participant.Gender.FEMALE
            services.participant_save(
                actor=actor, forum=forum, name=name, gender=gender, category=category,
                institution=institution, phone=f"08{rng.randint(1100000000, 1399999999)}",
            )  # fmt: skip


def _larangan(ctx) -> None:
    camat = ctx.users["camat.larangan"]
    forum = _forum(ctx, ctx.larangan, camat)
    _prepare(
        forum, camat,
        date=_forum_date(ctx.larangan, ctx.year, 14),
        venue="Aula Kantor Kecamatan Larangan",
        decree=f"800/{ctx.year - 1}-Kec.Lrg/SK/II",
        team=[
            ("Rahmat Hidayat, S.IP", "Penanggung jawab", "Camat Larangan"),
            ("Drs. Supriyadi", "Ketua", "Sekretaris Kecamatan"),
            ("Lina Marlina, S.E.", "Sekretaris", "Kasi Ekonomi dan Pembangunan"),
            ("Agus Setiawan", "Anggota", "Staf Seksi Ekbang"),
        ],
    )  # fmt: skip
    _participants(forum, camat, rng=random.Random(13), delegates_per_village=1, women_every=5)


def _stabat(ctx) -> None:
    camat = ctx.users["camat.stabat"]
    rng = random.Random(7)
    forum = _forum(ctx, ctx.stabat, camat)
    _prepare(
        forum, camat,
        date=_forum_date(ctx.stabat, ctx.year, 0),
        venue="Gedung Serbaguna Kecamatan Stabat",
        decree=f"050/{ctx.year - 1}/STB/SK",
        team=[
            ("Sri Wahyuni, S.Sos, M.Si", "Penanggung jawab", "Camat Stabat"),
            ("Ir. Syahrial Tarigan", "Ketua", "Sekretaris Kecamatan"),
            ("Nurhayati Sembiring", "Sekretaris", "Kasi PMD"),
        ],
    )  # fmt: skip
    _participants(forum, camat, rng=rng, delegates_per_village=2, women_every=5)
    _load(ctx, forum, camat)
    if forum.state == Forum.State.PREPARATION:
        forum = services.forum_start(actor=camat, forum=forum)
    if forum.state != Forum.State.RUNNING:
        return
    _run_agenda(forum, camat)
    _attendance(forum, camat, rng)
    _order_commissions(forum, camat)
    _addition(forum, camat)
    _elect(forum, camat)


def _load(ctx, forum: Forum, actor) -> None:
    if forum.data_loaded_at:
        return
    verified = forum.subdistrict.proposals.filter(
        year=forum.year, status=Status.VERIFIED, origin=Origin.VILLAGE
    )
    if not verified.exists():
        ctx.log.append(
            f"Forum {forum.subdistrict}: belum ada usulan terverifikasi; data tidak dimuat."
        )
        return
    count = services.forum_load_data(actor=actor, forum=forum)
    ctx.log.append(f"Forum {forum.subdistrict}: {count} usulan dimuat.")


def _run_agenda(forum: Forum, actor) -> None:
    items = list(forum.agenda.all())
    if any(item.started_at for item in items):
        return
    for item in items[:4]:
        services.agenda_item_start(actor=actor, item=item)
        services.agenda_item_end(actor=actor, item=item)
    if len(items) > 4:
        services.agenda_item_start(actor=actor, item=items[4])


def _attendance(forum: Forum, actor, rng) -> None:
    if forum.participants.filter(present_at__isnull=False).exists():
        return
    people = list(forum.participants.order_by("id"))
    women = [p for p in people if p.gender == Participant.Gender.FEMALE]
    men = [p for p in people if p.gender == Participant.Gender.MALE]
    absent = {p.pk for p in rng.sample(men, min(10, len(men)))}
    for person in women + men:
        if person.pk not in absent:
            services.attendance_mark(actor=actor, forum=forum, participant_id=person.pk)
    services.attendance_walk_in(
        actor=actor, forum=forum, name="Fitriani Nasution", gender=Participant.Gender.FEMALE,
        category=C.WOMEN, institution="Kelompok Wanita Tani Mangga",
    )  # fmt: skip


def _order_commissions(forum: Forum, actor) -> None:
    if forum.events.filter(action="rank").exists():
        return
    for commission in forum.commissions.all():
        items = list(commission.items.order_by("commission_rank", "id"))
        if len(items) > 2:
            # The commission agreed to bring the most expensive proposal forward.
            top = max(items, key=lambda i: i.proposal.cost)
            ranks = {top.pk: 1} | {i.pk: n for n, i in enumerate(items, 2) if i.pk != top.pk}
            services.commission_rank_set(actor=actor, commission=commission, ranks=ranks)
            services.commission_notes_save(
                actor=actor,
                commission=commission,
                notes="Urutan disepakati peserta komisi; usulan lintas desa didahulukan.",
            )


def _addition(forum: Forum, actor) -> None:
    if forum.items.filter(proposal__origin=Origin.SUBDISTRICT).exists():
        return
    sector = Sector.objects.filter(
        regency_id=forum.subdistrict.regency_id, name="Sarana dan Prasarana"
    ).first()
    if sector is None:
        return
    services.kecamatan_addition_create(
        actor=actor,
        forum=forum,
        title="Normalisasi saluran drainase Jalan Proklamasi (lintas desa)",
        problem="Genangan setinggi 30 cm di depan pasar setiap hujan deras; tidak diusulkan desa.",
        location="Jalan Proklamasi, depan Pasar Stabat",
        volume=450,
        unit="meter",
        cost=675_000_000,
        sector=sector,
    )


def _elect(forum: Forum, actor) -> None:
    if forum.delegates.exists():
        return
    present = list(forum.participants.filter(present_at__isnull=False).order_by("id"))
    delegates = [p for p in present if p.category == C.VILLAGE_DELEGATE]
    women = [p for p in delegates if p.gender == Participant.Gender.FEMALE]
    men = [p for p in delegates if p.gender == Participant.Gender.MALE]
    if len(women) < 2 or len(men) < 5:
        return
    services.delegates_elect(
        actor=actor,
        forum=forum,
        body=Delegate.Body.MUSRENBANG,
        method=Delegate.Method.AGREEMENT,
        candidates=[(women[0].pk, None), (men[0].pk, None), (men[1].pk, None)],
    )
    services.delegates_elect(
        actor=actor,
        forum=forum,
        body=Delegate.Body.FORUM_OPD,
        method=Delegate.Method.VOTE,
        candidates=[(women[1].pk, 14), (men[2].pk, 11), (men[3].pk, 9), (men[4].pk, 4)],
    )
