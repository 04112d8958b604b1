"""Role x phase grid of the documents' actions (Berita Acara, uploads, distribution register).

The reports services trusted their views before; now each checks its actor first and writes
an audit row to the forum's log instead of a log line.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from musrenbang.exceptions import DomainError
from reports import services
from reports.models import ArchivedDocument, Distribution, ForumUpload
from sessions.models import Forum
from tests import pdfs
from tests.rulebook_grid import ALL, CAMAT, KECAMATAN, Case, build_world, cells, check_cell
from tests.rulebook_grid import persona as get_persona

pytestmark = pytest.mark.django_db

PREP, RUNNING, SENT = Forum.State.PREPARATION, Forum.State.RUNNING, Forum.State.SENT
PDF = pdfs.plain()
DOCUMENTS = "Hanya camat dan staf kecamatan ini yang dapat mengelola dokumen forum ini."
NOT_SENT = "Berita Acara hanya dapat difinalkan setelah hasil forum dikirim ke OPD."


def _upload(actor, w) -> ForumUpload:
    scan = SimpleUploadedFile("ba.pdf", PDF, content_type="application/pdf")
    return services.upload_create(
        forum=w.forum, actor=actor, kind=ForumUpload.Kind.MINUTES_SCAN, caption="Pindaian BA",
        file=scan,
    )  # fmt: skip


def _distribution(actor, w) -> Distribution:
    return services.distribution_record(
        forum=w.forum, actor=actor, number="005/1", document_title="Berita Acara",
        recipient_kind=Distribution.Recipient.BAPPEDA, sent_on=dt.date(2026, 2, 20),
    )  # fmt: skip


CASES = [
    Case(
        "reports.archive_minutes", CAMAT, {SENT},
        "Hanya camat kecamatan ini yang dapat memfinalkan Berita Acara.",
        {PREP: NOT_SENT, RUNNING: NOT_SENT},
        lambda actor, w: services.minutes_finalize(forum=w.forum, actor=actor, participant_count=3),
    ),
    Case("reports.upload_document", KECAMATAN, ALL, DOCUMENTS, {}, _upload),
    Case("reports.record_distribution", KECAMATAN, ALL, DOCUMENTS, {}, _distribution),
]  # fmt: skip


@pytest.mark.parametrize(("case", "name", "phase"), cells(CASES))
def test_documents_action_grid(
    request, case, name, phase, subdistrict, village, sector, agency, camat, clerk
):
    world = build_world(
        subdistrict=subdistrict, village=village, sector=sector, agency=agency,
        camat=camat, clerk=clerk, phase=phase, scored=case.scored,
    )  # fmt: skip
    check_cell(case, get_persona(request, name), name, phase, world)


# --- wrong actors of every reports service -------------------------------------------------


@pytest.fixture
def sent_world(subdistrict, village, sector, agency, camat, clerk):
    return build_world(
        subdistrict=subdistrict, village=village, sector=sector, agency=agency,
        camat=camat, clerk=clerk, phase=SENT,
    )  # fmt: skip


@pytest.mark.parametrize("name", ["clerk", "other_clerk", "operator", "bappeda", "superuser"])
def test_a_wrong_actor_cannot_finalise_the_minutes(request, name, sent_world):
    with pytest.raises(DomainError, match="Hanya camat kecamatan ini"):
        services.minutes_finalize(
            forum=sent_world.forum, actor=get_persona(request, name), participant_count=3
        )
    assert not ArchivedDocument.objects.exists()
    assert Forum.objects.get(pk=sent_world.forum.pk).participant_count is None


@pytest.mark.parametrize("name", ["other_clerk", "operator", "opd_reader", "bappeda", "superuser"])
def test_a_wrong_actor_cannot_upload_or_register(request, name, sent_world, clerk):
    actor = get_persona(request, name)
    with pytest.raises(DomainError, match="Hanya camat dan staf kecamatan ini"):
        _upload(actor, sent_world)
    with pytest.raises(DomainError, match="Hanya camat dan staf kecamatan ini"):
        _distribution(actor, sent_world)
    entry = _distribution(clerk, sent_world)
    with pytest.raises(DomainError, match="Hanya camat dan staf kecamatan ini"):
        services.distribution_receive(
            distribution=entry, actor=actor, received_by="Sekretariat",
            received_on=dt.date(2026, 2, 21),
        )  # fmt: skip
    assert not ForumUpload.objects.exists()
    assert Distribution.objects.get().received_by == ""


def test_reports_services_write_audit_rows(sent_world, camat, clerk):
    _upload(clerk, sent_world)
    entry = _distribution(clerk, sent_world)
    services.distribution_receive(
        distribution=entry, actor=clerk, received_by="Sekretariat", received_on=dt.date.today()
    )
    archived = services.minutes_finalize(forum=sent_world.forum, actor=camat, participant_count=3)
    rows = list(sent_world.forum.events.order_by("id").values_list("action", "actor__username"))
    assert rows == [
        ("unggahan", "clerk"),
        ("distribusi", "clerk"),
        ("distribusi", "clerk"),
        ("berita_acara", "camat"),
    ]
    assert archived.code in sent_world.forum.events.get(action="berita_acara").message
