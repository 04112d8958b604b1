"""Test data of the reports app: a sent forum with attendance, results and delegates."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from scoring.models import Result
from sessions.models import Delegate, Forum, Participant
from tests import factories as f
from tests.forums import send


@dataclass
class SentForum:
    forum: object
    priority: list = field(default_factory=list)
    reserve: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    delegates: list = field(default_factory=list)


def sent_forum(subdistrict, *, priority: int = 3, reserve: int = 2, present: int = 6,
               state: str = "terkirim", villages=None, year: int = 2027) -> SentForum:  # fmt: skip
    """Build a forum of ``subdistrict`` with decisions, attendance, DPRD, Bappeda and delegates.

    ``state`` "terkirim": sent through the services (``tests.forums.send``); "berlangsung":
    left running.
    """
    regency = subdistrict.regency
    forum = f.ForumFactory(
        subdistrict=subdistrict,
        year=year,
        date=dt.date(2026, 2, 16),
        venue="Aula Kantor Camat",
        chair_name=subdistrict.camat_name,
    )
    villages = villages or [f.VillageFactory(subdistrict=subdistrict)]
    sector = f.SectorFactory(regency=regency, name="Sarana dan Prasarana")
    agency = f.AgencyFactory(regency=regency, abbreviation="PUPR", name="Dinas PUPR Uji")
    dev = f.DevelopmentPriorityFactory(regency=regency, name="Pembangunan Infrastruktur")
    commission = f.CommissionFactory(forum=forum, name="Komisi Fisik", sector=sector)
    data = SentForum(forum=forum)

    for index in range(priority + reserve):
        rank = index + 1
        village = villages[index % len(villages)]
        proposal = f.ProposalFactory(
            village=village, year=year, status="terverifikasi", sector=sector,
            development_priority=dev, title=f"Rehabilitasi jalan usulan nomor {rank:03d}",
            cost=10_000_000 * rank,
        )  # fmt: skip
        item = f.ForumItemFactory(
            forum=forum, proposal=proposal, commission=commission, commission_rank=rank
        )
        is_priority = index < priority
        result = f.ResultFactory(
            item=item,
            rank=rank,
            total=100 - rank,
            decision=Result.Decision.PRIORITY if is_priority else Result.Decision.RESERVE,
            reason="" if is_priority else f"Melebihi pagu indikatif (alasan {rank:03d})",
            responsible_agency=agency,
        )
        (data.priority if is_priority else data.reserve).append(result)
    now = timezone.now()
    for index in range(present):
        data.participants.append(
            f.ParticipantFactory(
                forum=forum,
                name=f"Warga Hadir {index:03d}",
                village=villages[0],
                present_at=now,
                gender="P" if index % 3 == 0 else "L",
            )  # fmt: skip
        )
    data.participants.append(
        f.ParticipantFactory(
            forum=forum,
            name="Hj. Ani DPRD",
            category=Participant.Category.DPRD,
            gender="P",
            present_at=now,
            institution="DPRD",
        )  # fmt: skip
    )
    data.participants.append(
        f.ParticipantFactory(
            forum=forum,
            name="Bambang Bappeda",
            category="bappeda",
            gender="L",
            present_at=now,
            position="Kepala Bidang",
        )  # fmt: skip
    )
    data.participants.append(
        f.ParticipantFactory(forum=forum, name="Undangan Tidak Datang", gender="L")
    )
    data.delegates = [
        f.DelegateFactory(participant=data.participants[0], body=Delegate.Body.FORUM_OPD),
        f.DelegateFactory(participant=data.participants[1], body=Delegate.Body.MUSRENBANG),
    ]
    f.BudgetCeilingFactory(subdistrict=subdistrict, year=year, amount=1_000_000_000)
    forum.state = Forum.State.RUNNING
    forum.save()
    if state == Forum.State.SENT:
        data.forum = send(forum)
    return data
