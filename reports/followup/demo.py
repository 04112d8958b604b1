"""Demo of the follow-ups: Stabat's sent forum of the year before, carried to every stage.

Stabat (Kabupaten Langkat) gets a forum of ``ctx.year - 1`` that was sent a year ago (built
directly: its day is history), whose priorities went to PUPR. ``opd.pupr.langkat`` then moved
them through the services to every stage: received, Renja, RKPD, DPA, in progress, completed
(with milestone photos carrying EXIF GPS), not funded (with reasons), and one handed over to
Dinkes; the camat closed one reserve as postponed. So the year's forum shows a real "Rapor
tahun lalu" and ``/rapor/12.05.07/<year-1>/`` and ``/lacak/`` have content. Idempotent.
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone
from PIL import Image, ImageDraw

from musrenbang.models import Agency, PlanningYear, Sector
from proposals.codes import new_tracking_code, next_reference
from proposals.models import Proposal, Status, Transition, YearClosure
from reports.followup.models import FollowUp, FollowUpMove, Stage
from reports.followup.services import followup_move, followups_open, milestone_add
from scoring.models import Result
from scoring.services import forum_send
from sessions.models import Forum, ForumItem, Participant
from sessions.services import forum_start

# (title, location, volume, unit, cost, sector) of last year's Stabat proposals.
PROPOSALS = [
    ("Pengaspalan jalan dusun", "Dusun I", 600, "meter", 420_000_000, "Sarana dan Prasarana"),
    ("Pembangunan jembatan beton", "Dusun II", 1, "unit", 350_000_000, "Sarana dan Prasarana"),
    ("Rehabilitasi saluran irigasi", "Dusun III", 800, "meter", 240_000_000,
     "Sarana dan Prasarana"),
    ("Pembangunan drainase jalan", "Lingkungan IV", 400, "meter", 200_000_000,
     "Sarana dan Prasarana"),
    ("Peningkatan jalan usaha tani", "Dusun V", 1200, "meter", 300_000_000,
     "Sarana dan Prasarana"),
    ("Pembangunan tembok penahan tanah", "Dusun II", 150, "meter", 180_000_000,
     "Sarana dan Prasarana"),
    ("Rehabilitasi gorong-gorong", "Lingkungan I", 6, "unit", 90_000_000, "Sarana dan Prasarana"),
    ("Penerangan jalan umum", "Jl. Proklamasi", 20, "titik", 140_000_000, "Sarana dan Prasarana"),
    ("Pembangunan turap sungai", "Dusun IV", 200, "meter", 260_000_000, "Sarana dan Prasarana"),
    ("Pos kesehatan desa", "Dusun I", 1, "unit", 160_000_000, "Kesejahteraan Rakyat"),
    ("Pelatihan pengolahan hasil pertanian", "Balai desa", 40, "orang", 50_000_000, "Ekonomi"),
    ("Rehabilitasi kantor desa", "Balai desa", 1, "unit", 150_000_000, "Pemerintahan"),
]  # fmt: skip
HISTORY = [
    ("", Status.DRAFT),
    (Status.DRAFT, Status.SUBMITTED),
    (Status.SUBMITTED, Status.RECEIVED),
    (Status.RECEIVED, Status.VERIFIED),
]
NO_CEILING = "Pagu Dinas PUPR tahun ini habis untuk jalan kabupaten yang rusak berat."
PRIORITIES = 10  # the first ten; the rest are reserves
RESERVE_REASON = "Melebihi pagu indikatif kecamatan tahun ini."
NAMES = ["Ahmad Fauzi", "Siti Aminah", "Budi Hartono", "Dewi Sartika", "Rudi Hermawan",
         "Nur Hasanah", "Joko Susilo", "Rina Marlina", "Hasan Basri", "Ratna Sari"]  # fmt: skip


def seed(ctx) -> None:
    year = ctx.year - 1
    camat = ctx.users["camat.stabat"]
    petugas = ctx.users.get("opd.pupr.langkat")
    current = Forum.objects.filter(subdistrict=ctx.stabat, year=ctx.year, state="terkirim")
    for forum in current:  # the signal opens them after commit; the demo may run without one
        followups_open(forum=forum)
    if petugas is None:
        return
    forum = Forum.objects.filter(subdistrict=ctx.stabat, year=year).first()
    if forum is None:
        forum = _last_year_forum(ctx, year, camat)
    followups_open(forum=forum)
    if FollowUpMove.objects.filter(follow_up__forum=forum, actor=petugas).exists():
        return
    _walk(ctx, forum, petugas, camat)
    ctx.log.append(
        f"Tindak lanjut: forum Stabat {year} dengan tindak lanjut di setiap tahap; "
        f"rapor di /rapor/{ctx.stabat.code}/{year}/"
    )


def _last_year_forum(ctx, year: int, camat) -> Forum:
    regency = ctx.langkat
    tz = timezone.get_current_timezone()
    PlanningYear.objects.get_or_create(
        regency=regency,
        year=year,
        defaults={
            "submission_deadline": dt.datetime(year - 2, 12, 31, 23, 59, tzinfo=tz),
            "forum_start": dt.date(year - 1, 1, 15),
            "forum_end": dt.date(year - 1, 3, 31),
        },
    )
    sectors = {s.name: s for s in Sector.objects.filter(regency=regency)}
    pupr = Agency.objects.get(regency=regency, abbreviation="PUPR")
    villages = list(ctx.stabat.villages.order_by("code")[:6])
    held = dt.datetime(year - 1, 2, 18, 9, 0, tzinfo=tz)
    forum = Forum.objects.create(
        subdistrict=ctx.stabat, year=year, date=held.date(), started_at=held,
        venue="Gedung Serbaguna Kecamatan Stabat", chair_name=ctx.stabat.camat_name,
        data_loaded_at=held,
    )  # fmt: skip
    forum = forum_start(actor=camat, forum=forum)  # through the forum's one transition
    for index, (title, location, volume, unit, cost, sector) in enumerate(PROPOSALS):
        village = villages[index % len(villages)]
        rank = (
            Proposal.objects.filter(village=village, year=year).aggregate(m=Max("village_rank"))[
                "m"
            ]
            or 0
        ) + 1  # noqa: E501
        proposal = Proposal.objects.create(
            year=year, subdistrict=ctx.stabat, village=village, title=title,
            problem="Usulan hasil Musrenbang desa.", location=location, volume=volume, unit=unit,
            cost=cost, sector=sectors[sector], suggested_agency=pupr, village_rank=rank,
            reference=next_reference(subdistrict=ctx.stabat, year=year),
            tracking_code=new_tracking_code(), status=Status.VERIFIED,
            submitted_at=held - dt.timedelta(days=30), received_at=held - dt.timedelta(days=25),
        )  # fmt: skip
        for step, (frm, to) in enumerate(HISTORY):
            row = Transition.objects.create(proposal=proposal, from_status=frm, to_status=to)
            at = held - dt.timedelta(days=40 - step * 5)
            Transition.objects.filter(pk=row.pk).update(at=at)  # history: auto_now_add
        item = ForumItem.objects.create(forum=forum, proposal=proposal, confirmed=True)
        priority = index < PRIORITIES
        Result.objects.create(
            item=item, total=90 - index, rank=index + 1, computed_rank=index + 1,
            within_ceiling=priority, computed_at=held,
            decision=Result.Decision.PRIORITY if priority else Result.Decision.RESERVE,
            reason="" if priority else RESERVE_REASON,
            responsible_agency=pupr if priority else None, decided_by=camat, decided_at=held,
        )  # fmt: skip
    for index, name in enumerate(NAMES * 3):
        Participant.objects.create(
            forum=forum, name=f"{name} {index // len(NAMES) + 1}",
            gender="P" if index % 10 in (1, 3, 5, 7) else "L",
            category=Participant.Category.VILLAGE_DELEGATE, village=villages[index % 6],
            present_at=held,
        )  # fmt: skip
    # Sent through "Kirim ke OPD", last: a sent forum refuses later row writes. Then the
    # clock is set back a year (an update: the times of a forum held last year).
    forum_send(forum=forum, actor=camat)
    sent = held + dt.timedelta(hours=6)
    Forum.objects.filter(pk=forum.pk).update(started_at=held, sent_at=sent, ended_at=sent)
    forum.events.update(at=sent)
    forum.refresh_from_db()
    # What sending records for proposals: the kecamatan's year is closed.
    YearClosure.objects.get_or_create(
        subdistrict=forum.subdistrict, year=forum.year,
        defaults={"closed_at": forum.sent_at, "closed_by": camat, "reason": "Forum dikirim."},
    )  # fmt: skip
    return forum


def photo(caption: str, *, lat: float, lon: float, taken: dt.datetime) -> SimpleUploadedFile:
    """A small JPEG with EXIF GPS and time, drawn by Pillow (no stock photos shipped)."""
    image = Image.new("RGB", (480, 320), (120, 150, 110))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 200, 480, 320], fill=(90, 90, 95))  # the road
    draw.rectangle([0, 250, 480, 258], fill=(230, 230, 230))
    draw.text((16, 16), caption, fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")

    def dms(value: float) -> tuple:
        d = int(abs(value))
        m = int((abs(value) - d) * 60)
        return (float(d), float(m), round((abs(value) - d - m / 60) * 3600, 2))

    exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W",
                    4: dms(lon)}  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, exif=exif)
    return SimpleUploadedFile(f"{caption[:20].replace(' ', '-')}.jpg", buffer.getvalue())


def _walk(ctx, forum: Forum, petugas, camat) -> None:
    """Move last year's follow-ups through the services to every stage."""
    follow_ups = list(
        FollowUp.objects.filter(forum=forum)
        .select_related("forum", "subdistrict", "proposal")
        .order_by("proposal__reference")
    )
    agency_owned = [fu for fu in follow_ups if fu.agency_id]
    reserves = [fu for fu in follow_ups if fu.agency_id is None]
    sent = timezone.localdate(forum.sent_at)
    today = timezone.localdate()
    step = max((today - sent).days // 8, 1)

    def on(n: int) -> dt.date:
        return min(sent + dt.timedelta(days=step * n), today)

    def move(fu, to, n, **kw):
        return followup_move(actor=petugas, follow_up=fu, to=to, date=on(n), **kw)

    budget = {"budget_year": forum.year}
    plans = [
        [],  # stays "diterima OPD"
        [(Stage.RENJA, 1, {})],
        [(Stage.RENJA, 1, {}), (Stage.RKPD, 2, {})],
        [(Stage.RKPD, 2, {}), (Stage.DPA, 3, {**budget, "budget_amount": 280_000_000})],
        [(Stage.DPA, 3, {**budget, "budget_amount": 230_000_000}),
         (Stage.RUNNING, 5, {"progress": 45})],
        [(Stage.DPA, 3, {**budget, "budget_amount": 400_000_000}),
         (Stage.RUNNING, 4, {"progress": 30}), (Stage.RUNNING, 5, {"progress": 80}),
         (Stage.DONE, 6, {})],
        [(Stage.DPA, 3, {**budget, "budget_amount": 330_000_000}),
         (Stage.RUNNING, 4, {"progress": 60}), (Stage.DONE, 6, {})],
        [(Stage.NOT_FUNDED, 2, {"reason_category": "pagu",
          "reason_text": NO_CEILING})],
        [(Stage.RENJA, 1, {}), (Stage.NOT_FUNDED, 3, {"reason_category": "teknis",
          "reason_text": "Tanah di lokasi labil; perlu kajian geoteknik lebih dulu."})],
        [(Stage.TRANSFERRED, 1, {"agency": Agency.objects.get(regency=ctx.langkat,
                                                             abbreviation="Dinkes")})],
    ]  # fmt: skip
    lat, lon = 3.7634, 98.4531  # Stabat
    for index, (fu, plan) in enumerate(zip(agency_owned, plans, strict=False)):
        for to, n, kw in plan:
            if to == Stage.DONE:
                taken = timezone.make_aware(dt.datetime.combine(on(n), dt.time(10, 15)))
                milestone_add(
                    actor=petugas, follow_up=fu, date=on(n), title="Serah terima pekerjaan",
                    progress=100, photos=[photo(f"{fu.proposal.title} selesai",
                                                lat=lat + index / 1000, lon=lon, taken=taken)],
                )  # fmt: skip
            if to == Stage.RUNNING and kw["progress"] >= 45:
                taken = timezone.make_aware(dt.datetime.combine(on(n), dt.time(9, 0)))
                milestone_add(
                    actor=petugas, follow_up=fu, date=on(n),
                    title=f"Pekerjaan {kw['progress']}%", progress=kw["progress"],
                    photos=[photo(f"{fu.proposal.title} {kw['progress']}%",
                                  lat=lat + index / 1000, lon=lon + 0.002, taken=taken)],
                )  # fmt: skip
            fu = move(fu, to, n, **kw)
    if reserves:
        followup_move(
            actor=camat, follow_up=reserves[0], to=Stage.NOT_FUNDED, date=on(2),
            reason_category="ditunda",
            reason_text="Diusulkan kembali tahun depan bersama usulan desa lain.",
        )  # fmt: skip
    # Two follow-ups not touched for months, so the agency page and reminders show them.
    FollowUp.objects.filter(pk__in=[agency_owned[0].pk, agency_owned[1].pk]).update(
        updated_at=timezone.now() - dt.timedelta(days=75)
    )
