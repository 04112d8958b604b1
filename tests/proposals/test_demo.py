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
    assert Transition.objects.filter(proposal__in=stabat).count() == stabat.count() * 4
    before = Proposal.objects.count()
    demo.seed(ctx)
    assert Proposal.objects.count() == before
