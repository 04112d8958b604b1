"""One rich world for the security tests: a sent forum of kecamatan A1 with everything in it.

- ``world.forum``: the forum of A1 (2027), sent, with commission, items, results (PUPR),
  participants, delegates, a criterion, a scorer, a score, an agenda item, a team member,
  a guideline file, a forum upload, an archived Berita Acara and a distribution entry;
- ``world.draft``: a draft proposal of desa A1-a with an attachment;
- ``world.far_forum``: a forum of kecamatan A2 (in preparation) with an upload and a draft of
  desa A2-a with an attachment, for id guessing from A1.
"""

import hashlib
import types

import pytest
from django.core.files.base import ContentFile

from proposals.models import Attachment
from reports.models import (
    ArchivedDocument,
    Distribution,
    DocumentJob,
    ForumUpload,
    SipdReconciliation,
)
from scoring.models import Score, Scorer
from sessions.models import AgendaItem, TeamMember
from tests import factories as f
from tests.forums import send
from tests.reports.conftest import pdf_text  # noqa: F401  (the PDF text helper)
from tests.reports.factories import sent_forum

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attachment(proposal, user) -> Attachment:
    attachment = Attachment(
        proposal=proposal,
        kind=Attachment.Kind.DOCUMENT,
        original_name="usulan.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=user,
    )
    attachment.file.save("lampiran.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def _upload(forum, user) -> ForumUpload:
    upload = ForumUpload(
        forum=forum,
        kind=ForumUpload.Kind.MINUTES_SCAN,
        caption="Pindaian Berita Acara",
        original_name="ba.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=user,
    )
    upload.file.save("ba.pdf", ContentFile(PDF), save=False)
    upload.save()
    return upload


def _archived(forum, user) -> ArchivedDocument:
    archived = ArchivedDocument(
        forum=forum,
        subdistrict=forum.subdistrict,
        year=forum.year,
        kind=ArchivedDocument.Kind.MINUTES,
        title="Berita Acara Musrenbang Kecamatan",
        code="a1b2c3d4e5f6a7b8c9d0",
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        participant_count=9,
        created_by=user,
    )
    archived.file.save("ba.pdf", ContentFile(PDF), save=False)
    archived.save()
    return archived


def _job(forum, user) -> DocumentJob:
    """A finished Daftar Hadir made by the worker (its waiting page and file are guarded)."""
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.ATTENDANCE, forum=forum, key="security-world-job",
        requested_by=user, state=DocumentJob.State.DONE, progress=100,
        filename="daftar-hadir.pdf", content_type="application/pdf",
    )  # fmt: skip
    job.file.save("daftar-hadir.pdf", ContentFile(PDF))
    return job


@pytest.fixture
def world(
    regency, other_regency, year, subdistrict, other_subdistrict, village, other_village,
    far_village, agency, sector, camat, clerk, other_clerk, operator, other_operator,
    bappeda, outside_bappeda, opd_reader, no_role,
):  # fmt: skip
    data = sent_forum(subdistrict, villages=[village, other_village], state="berlangsung")
    forum = data.forum
    forum.guideline_file.save("pedoman.pdf", ContentFile(PDF), save=False)
    forum.guideline_file_name = "pedoman.pdf"
    forum.save()
    items = [r.item for r in data.priority + data.reserve]
    criterion = f.CriterionFactory(forum=forum, name="Urgensi", order=1)
    scorer = Scorer.objects.create(forum=forum, user=camat)
    Score.objects.create(item=items[0], criterion=criterion, scorer=camat, value=3)
    draft = f.ProposalFactory(village=village, year=2027, sector=sector, title="Usulan draf")
    far_forum = f.ForumFactory(subdistrict=other_subdistrict, year=2027)
    far_draft = f.ProposalFactory(village=far_village, year=2027, title="Usulan desa jauh")
    world = types.SimpleNamespace(
        regency=regency,
        other_regency=other_regency,
        subdistrict=subdistrict,
        other_subdistrict=other_subdistrict,
        village=village,
        other_village=other_village,
        far_village=far_village,
        agency=agency,
        forum=forum,
        items=items,
        results=data.priority + data.reserve,
        commission=items[0].commission,
        participants=data.participants,
        delegates=data.delegates,
        criterion=criterion,
        scorer=scorer,
        agenda_item=AgendaItem.objects.create(
            forum=forum, order=1, title="Pembukaan", planned_minutes=15
        ),
        team_member=TeamMember.objects.create(forum=forum, name="Ketua Tim", role="Ketua"),
        upload=_upload(forum, clerk),
        archived=_archived(forum, camat),
        job=_job(forum, clerk),
        distribution=Distribution.objects.create(
            forum=forum,
            number="005/001/2026",
            document_title="Berita Acara",
            recipient_kind=Distribution.Recipient.BAPPEDA,
            sent_on="2026-02-20",
            sent_by=clerk,
        ),
        draft=draft,
        sipd_record=SipdReconciliation.objects.create(
            forum=forum,
            file_name="sipd.xlsx",
            file_sha256="0" * 64,
            matched=0,
            different=0,
            missing_in_sipd=0,
            missing_in_musrenbang=0,
        ),  # fmt: skip
        attachment=_attachment(draft, operator),
        far_forum=far_forum,
        far_upload=_upload(far_forum, other_clerk),
        far_draft=far_draft,
        far_attachment=_attachment(far_draft, other_clerk),
        users={
            "anon": None,
            "op_a": operator,
            "op_b": other_operator,
            "staff1": clerk,
            "staff2": other_clerk,
            "camat": camat,
            "opd": opd_reader,
            "bappeda_b": outside_bappeda,
            "bappeda": bappeda,
        },
    )
    # Sent last, through the services: a sent forum refuses every later write, even the
    # fixture's.
    world.forum = forum = send(forum, actor=camat)
    _followups(world, opd_reader)
    return world


def _followups(world, petugas) -> None:
    """The follow-ups of the sent forum: a PUPR one with a public milestone photo."""
    import datetime as dt

    from reports.followup.services import followups_open, milestone_add
    from reports.models import FollowUp
    from tests.reports.followup_factories import jpeg

    followups_open(forum=world.forum)
    world.followup = FollowUp.objects.filter(forum=world.forum, agency=world.agency).first()
    world.reserve_followup = FollowUp.objects.filter(forum=world.forum, agency=None).first()
    milestone = milestone_add(
        actor=petugas, follow_up=world.followup, date=dt.date.today(), title="Survei",
        photos=[jpeg()],
    )  # fmt: skip
    world.milestone_file = milestone.files.get()
