"""Object permissions of the master data, as `rules` predicates (deny by default).

Each app adds its own permissions in its ``rules.py`` from the same predicates.
"""

import rules

from musrenbang.models import Agency, Regency, Role, Subdistrict, Village
from musrenbang.rulebook import add_rule
from musrenbang.year_closure import year_sent


def regency_id_of(obj) -> int | None:
    """Return the kabupaten/kota id an object belongs to."""
    if isinstance(obj, Regency):
        return obj.pk
    if isinstance(obj, Subdistrict | Agency):
        return obj.regency_id
    if isinstance(obj, Village):
        return obj.subdistrict.regency_id
    return getattr(obj, "regency_id", None)


def subdistrict_id_of(obj) -> int | None:
    """Return the kecamatan id an object belongs to (None for kabupaten-wide objects)."""
    if isinstance(obj, Subdistrict):
        return obj.pk
    if isinstance(obj, Village):
        return obj.subdistrict_id
    return getattr(obj, "subdistrict_id", None)


@rules.predicate
def is_bappeda(user) -> bool:
    return user.is_authenticated and user.role == Role.BAPPEDA


@rules.predicate
def is_kecamatan_user(user) -> bool:
    return user.is_authenticated and user.role in (Role.CAMAT, Role.STAFF)


@rules.predicate
def is_camat(user) -> bool:
    return user.is_authenticated and user.role == Role.CAMAT


@rules.predicate
def is_operator(user) -> bool:
    return user.is_authenticated and user.role == Role.OPERATOR


@rules.predicate
def is_opd(user) -> bool:
    return user.is_authenticated and user.role == Role.OPD


@rules.predicate
def is_bappeda_of(user, obj) -> bool:
    return is_bappeda(user) and obj is not None and user.regency_id == regency_id_of(obj)


@rules.predicate
def is_kecamatan_of(user, obj) -> bool:
    return (
        is_kecamatan_user(user)
        and obj is not None
        and user.subdistrict_id == subdistrict_id_of(obj)
    )


@rules.predicate
def is_camat_of(user, obj) -> bool:
    return is_camat(user) and obj is not None and user.subdistrict_id == subdistrict_id_of(obj)


@rules.predicate
def is_operator_of(user, obj) -> bool:
    if not is_operator(user) or obj is None:
        return False
    village_id = obj.pk if isinstance(obj, Village) else getattr(obj, "village_id", None)
    return village_id is not None and user.village_id == village_id


@rules.predicate
def is_superuser(user) -> bool:
    return user.is_authenticated and user.is_superuser


rules.add_perm("musrenbang.view_regency_overview", is_superuser | is_bappeda_of)
rules.add_perm("musrenbang.view_subdistrict", is_superuser | is_bappeda_of | is_kecamatan_of)
rules.add_perm("musrenbang.manage_subdistrict", is_kecamatan_of)
rules.add_perm(
    "musrenbang.view_village", is_superuser | is_bappeda_of | is_kecamatan_of | is_operator_of
)
rules.add_perm("musrenbang.manage_village", is_operator_of)


# --- Kamus usulan and nomenclature ---


@rules.predicate
def kamus_year_open(user, obj) -> bool:
    """A kamus year may change until a forum of that kabupaten and year was sent to the OPDs
    (its proposals then keep the entries they used). The forum app answers through
    ``musrenbang.year_closure``: master data imports no workflow app."""
    return not year_sent(regency_id=regency_id_of(obj), year=getattr(obj, "year", None))


@rules.predicate
def belongs_to_regency(user, obj) -> bool:
    return (
        user.is_authenticated
        and bool(user.role)
        and obj is not None
        and user.regency_id == regency_id_of(obj)
    )


KAMUS_REFUSED = "Anda tidak berwenang mengubah kamus usulan atau nomenklatur ini."
add_rule(
    "musrenbang.manage_kamus",
    who=is_superuser | is_bappeda_of,
    when=kamus_year_open,
    who_message=KAMUS_REFUSED,
    when_message=(
        "Forum tahun ini sudah dikirim ke OPD; usulannya memakai kamus ini, jadi kamus tahun "
        "ini tidak dapat diubah lagi. Ubah kamus tahun berikutnya."
    ),
)
# The national nomenclature: Bappeda admins (of any kabupaten/kota) load the instrument's list.
add_rule("musrenbang.manage_nomenclature", who=is_superuser | is_bappeda, who_message=KAMUS_REFUSED)
rules.add_perm("musrenbang.search_kamus", is_superuser | belongs_to_regency)

# Reading what was sent to one's own OPD (the OPD dashboard, the OPD's DSP): its readers.
add_rule(
    "musrenbang.read_as_agency",
    who=is_opd,
    who_message="Halaman ini khusus pembaca OPD.",
)
