"""Reference numbers and public tracking codes of proposals (shared by every creator)."""

import secrets

from django.db.models.functions import Length

from musrenbang.models import Subdistrict

# No 0/O, 1/I/L: a code read aloud or copied from paper stays unambiguous.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 8


def new_tracking_code() -> str:
    """Return a random public tracking code such as ``K7M2QX9A`` (unique check by the caller)."""
    from proposals.models import Proposal

    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        if not Proposal.objects.filter(tracking_code=code).exists():
            return code


def next_number(*, subdistrict: Subdistrict, field: str, prefix: str, width: int = 4) -> str:
    """Return ``prefix`` + the next number after the highest one of ``field`` with that prefix.

    The one numbering routine of proposals (reference numbers, register numbers). Must run
    inside a transaction: the kecamatan row is locked so that two clerks numbering proposals
    of the same kecamatan at the same moment never get the same number. Numbers are padded to
    ``width`` digits and keep growing past it (``…/9999`` is followed by ``…/10000``).
    """
    from proposals.models import Proposal

    Subdistrict.objects.select_for_update().filter(pk=subdistrict.pk).first()
    last = (
        Proposal.objects.filter(**{f"{field}__startswith": prefix})
        # Longest first: "…/10000" sorts before "…/9999" as text.
        .order_by(Length(field).desc(), f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    number = int(tail) + 1 if tail.isdigit() else 1
    return f"{prefix}{number:0{width}d}"


def next_reference(*, subdistrict: Subdistrict, year: int) -> str:
    """Return the next reference number of a kecamatan and year: ``2027/36.71.13/0042``."""
    return next_number(
        subdistrict=subdistrict, field="reference", prefix=f"{year}/{subdistrict.code}/"
    )


def next_register_number(*, subdistrict: Subdistrict, year: int) -> str:
    """Return the next register number of the kecamatan's intake: ``REG/2027/36.71.13/0007``."""
    return next_number(
        subdistrict=subdistrict, field="register_number", prefix=f"REG/{year}/{subdistrict.code}/"
    )


def fresh_tracking_codes(count: int) -> list[str]:
    """Return ``count`` new unique tracking codes with one query per batch (for the import)."""
    from proposals.models import Proposal

    codes: set[str] = set()
    while len(codes) < count:
        batch = {
            "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
            for _ in range(count - len(codes))
        }
        taken = set(
            Proposal.objects.filter(tracking_code__in=batch).values_list("tracking_code", flat=True)
        )
        codes |= batch - taken
    return list(codes)
