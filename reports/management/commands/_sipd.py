"""Shared by ``export_sipd`` and ``sipd_reconcile``: find the forum of a kecamatan and year."""

from django.core.management.base import CommandError

from musrenbang.models import Subdistrict
from sessions.models import Forum


def forum_of(kecamatan: str, tahun: int) -> Forum:
    subdistrict = Subdistrict.objects.filter(code=kecamatan).first()
    if subdistrict is None:
        raise CommandError(f"Kecamatan dengan kode {kecamatan} tidak ditemukan.")
    forum = (
        Forum.objects.select_related("subdistrict__regency")
        .filter(subdistrict=subdistrict, year=tahun)
        .first()
    )
    if forum is None:
        raise CommandError(f"Forum musrenbang {subdistrict} tahun {tahun} belum dibentuk.")
    return forum
