"""The demo seed makes proposals in mixed states through the services, once."""

import pytest

from musrenbang.demo import AGENCIES, SECTORS, DemoContext
from proposals import demo
from proposals.models import Proposal, Status, Transition
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(regency, year, subdistrict, other_subdistrict, village, other_village, far_village,
        operator, other_operator, clerk):  # fmt: skip
    for name in SECTORS:
        f.SectorFactory(regency=regency, name=name)
    for name, abbreviation in AGENCIES:
        f.AgencyFactory(regency=regency, name=name, abbreviation=abbreviation)
    camat_far = f.UserFactory(username="camat.far", role="camat", subdistrict=other_subdistrict)
    return DemoContext(
        year=2027, tangerang=regency, langkat=regency, larangan=subdistrict,
        stabat=other_subdistrict,
        users={"operator.gaga": operator, "operator.kreo": other_operator, "staf.larangan": clerk,
               "camat.stabat": camat_far},
    )  # fmt: skip


def test_demo_seed_is_mixed_for_larangan_and_verified_for_stabat(ctx, village, far_village):
    demo.seed(ctx)
    larangan = Proposal.objects.filter(subdistrict=ctx.larangan)
    assert 10 <= larangan.count() <= 20
    assert 5 <= larangan.filter(village=village).count() <= 10
    assert {Status.DRAFT, Status.SUBMITTED, Status.RECEIVED, Status.VERIFIED, Status.RETURNED,
            Status.REJECTED} <= set(larangan.values_list("status", flat=True))  # fmt: skip
    assert all(p.status_reason for p in larangan.filter(status__in=["ditolak", "dikembalikan"]))
    stabat = Proposal.objects.filter(subdistrict=ctx.stabat)
    assert 3 <= stabat.count() <= 5
    assert set(stabat.values_list("status", flat=True)) == {Status.VERIFIED}
    # Stabat's proposals come from the SIPD-shaped demo workbook: imported, then verified.
    assert Transition.objects.filter(proposal__in=stabat).count() == stabat.count() * 2
    assert all(p.sipd_key and p.sipd_usulan for p in stabat)
    assert any(p.latitude for p in stabat) and all(p.suggested_agency for p in stabat)
    before = Proposal.objects.count()
    demo.seed(ctx)
    assert Proposal.objects.count() == before


def test_shipped_sipd_workbook_holds_the_generated_rows_for_stabat():
    """The file shipped with the demo is the generator's output for Stabat's 12 desa."""
    import gzip
    from io import BytesIO

    from openpyxl import load_workbook

    from musrenbang.services import WILAYAH_FILE

    with gzip.open(WILAYAH_FILE, "rt") as fh:
        villages = sorted(
            tuple(line.strip().split(",", 1)) for line in fh if line.startswith("12.05.07.")
        )
    shipped = load_workbook(BytesIO(demo.SIPD_DEMO_FILE.read_bytes()), read_only=True)
    rows = [list(r) for r in shipped.active.iter_rows(min_row=5, values_only=True)]
    expected = demo.sipd_demo_rows(villages)
    assert len(rows) == len(expected) > 30
    assert [r[:1] + r[2:] for r in rows] == [
        [None if v == "" else v for v in r[:1] + r[2:]] for r in expected
    ]
