import pytest
from django.core.management import CommandError, call_command

from musrenbang.models import Regency, Subdistrict, Village

pytestmark = pytest.mark.django_db


def test_load_wilayah_loads_kota_tangerang_and_is_idempotent(capsys):
    call_command("load_wilayah", "36.71")
    regency = Regency.objects.get(code="36.71")
    assert regency.name == "Kota Tangerang"
    assert regency.kind == Regency.Kind.KOTA
    assert regency.province_name == "Banten"
    assert Subdistrict.objects.filter(regency=regency).count() == 13
    larangan = Subdistrict.objects.get(code="36.71.13")
    assert larangan.villages.count() == 8
    assert Village.objects.get(code="36.71.13.1006").name == "Gaga"
    assert Village.objects.get(code="36.71.13.1006").kind == Village.Kind.KELURAHAN
    counts = (Subdistrict.objects.count(), Village.objects.count())
    ids = set(Village.objects.values_list("id", flat=True))

    call_command("load_wilayah", "36.71")
    out = capsys.readouterr().out
    assert "baru 0, diperbarui 0" in out.splitlines()[-1]
    assert (Subdistrict.objects.count(), Village.objects.count()) == counts
    assert set(Village.objects.values_list("id", flat=True)) == ids


def test_load_wilayah_marks_desa_by_code():
    call_command("load_wilayah", "12.05")
    assert Village.objects.get(code="12.05.07.2001").kind == Village.Kind.DESA
    assert Village.objects.get(code="12.05.07.1004").kind == Village.Kind.KELURAHAN


@pytest.mark.parametrize("code", ["99.99", "36", "abc"])
def test_load_wilayah_rejects_unknown_code_in_indonesian(code):
    with pytest.raises(CommandError, match="Kode kabupaten/kota"):
        call_command("load_wilayah", code)
    assert not Regency.objects.exists()
