"""Criteria templates, the forum's own criteria (frozen at the first score), priorities."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from musrenbang.exceptions import DomainError
from musrenbang.models import DevelopmentPriority, User
from proposals.models import Proposal
from scoring.models import CriteriaTemplate, Criterion, Score, TemplateCriterion
from scoring.services._common import Action, forum_action
from sessions.models import Forum

EDIT = "scoring.edit_criteria"

DEFAULT_TEMPLATE_NAME = "Kriteria skoring bawaan"
DEFAULT_TEMPLATE_DESCRIPTION = (
    "Delapan kriteria skoring dari SOP Musrenbang Kecamatan Kabupaten Langkat, dipakai sebagai "
    "bawaan bila Bappeda belum mengatur kriteria sendiri. Bappeda dapat mengubah nama, bobot "
    "dan kriteria templat ini."
)
DEFAULT_CRITERIA = [
    (
        "Keterdesakan",
        "Seberapa mendesak masalah yang ditangani usulan ini.",
        ["Tidak mendesak", "Kurang mendesak", "Cukup mendesak", "Mendesak", "Sangat mendesak"],
    ),
    (
        "Dampak terhadap pertumbuhan ekonomi masyarakat",
        "Pengaruh kegiatan terhadap pendapatan dan kegiatan ekonomi warga.",
        ["Tidak berdampak", "Dampak kecil", "Dampak sedang", "Dampak besar", "Dampak sangat besar"],
    ),
    (
        "Pengembangan potensi lokal kecamatan",
        "Sejauh mana usulan mengembangkan potensi lokal kecamatan.",
        ["Tidak terkait", "Sedikit terkait", "Cukup terkait", "Terkait", "Sangat terkait"],
    ),
    (
        "Penanggulangan kemiskinan",
        "Sumbangan usulan bagi pengurangan kemiskinan.",
        ["Tidak ada", "Kecil", "Sedang", "Besar", "Sangat besar"],
    ),
    (
        "Manfaat/dampak",
        "Banyaknya penerima manfaat dan luasnya dampak.",
        ["Sangat sedikit", "Sedikit", "Sedang", "Banyak", "Sangat banyak"],
    ),
    (
        "Partisipasi/keterlibatan masyarakat",
        "Kesediaan warga ikut serta (swadaya, gotong royong, pemeliharaan).",
        ["Tidak ada", "Rendah", "Sedang", "Tinggi", "Sangat tinggi"],
    ),
    (
        "Kemudahan pelaksanaan",
        "Kesiapan lahan, teknis dan perizinan.",
        ["Sangat sulit", "Sulit", "Sedang", "Mudah", "Sangat mudah"],
    ),
    (
        "Kelengkapan dokumen/bukti pendukung",
        "Foto, proposal, RAB dan bukti pendukung lain.",
        ["Tidak ada", "Sangat kurang", "Kurang lengkap", "Lengkap", "Sangat lengkap"],
    ),
]


# --- Criteria ---------------------------------------------------------------------------


@transaction.atomic
def template_get_default(*, regency, year: int) -> CriteriaTemplate:
    """Return the kabupaten's template for a year, creating the default eight (from the
    Langkat SOP, said in its description) on first use."""
    template = CriteriaTemplate.objects.filter(regency=regency, year=year).order_by("pk").first()
    if template is not None:
        return template
    template, created = CriteriaTemplate.objects.get_or_create(
        regency=regency,
        year=year,
        name=DEFAULT_TEMPLATE_NAME,
        defaults={"description": DEFAULT_TEMPLATE_DESCRIPTION},
    )
    if created:
        TemplateCriterion.objects.bulk_create(
            TemplateCriterion(
                template=template,
                name=name,
                description=description,
                weight=Decimal("1"),
                levels={str(i): meaning for i, meaning in enumerate(levels, 1)},
                order=order,
            )
            for order, (name, description, levels) in enumerate(DEFAULT_CRITERIA, 1)
        )
    return template


def criteria_frozen(*, forum: Forum) -> bool:
    """Return True once any score was entered: the forum's criteria may not change."""
    return Score.objects.filter(criterion__forum=forum).exists()


def _ensure_not_frozen(forum: Forum) -> None:
    if criteria_frozen(forum=forum):
        raise DomainError("Kriteria sudah dibekukan karena penilaian sudah dimulai.")


def criteria_copy_from_template(
    *, forum: Forum, actor: User, template: CriteriaTemplate | None = None
) -> list[Criterion]:
    """Replace the forum's criteria with a copy of a template (the default when none given)."""
    with forum_action(actor=actor, forum=forum, perm=EDIT, action=Action.CRITERIA) as step:
        forum = step.forum
        _ensure_not_frozen(forum)
        regency = forum.subdistrict.regency
        if template is None:
            template = template_get_default(regency=regency, year=forum.year)
        elif template.regency_id != regency.pk:
            raise DomainError("Templat kriteria bukan milik kabupaten/kota ini.")
        forum.criteria.all().delete()
        criteria = Criterion.objects.bulk_create(
            Criterion(
                forum=forum,
                name=tc.name,
                description=tc.description,
                weight=tc.weight,
                scale_min=tc.scale_min,
                scale_max=tc.scale_max,
                levels=tc.levels,
                order=tc.order,
            )
            for tc in template.criteria.all()
        )
        step.say(f"Kriteria disalin dari templat {template}.")
    return criteria


def criterion_update(
    *, criterion: Criterion, actor: User, weight: Decimal, name: str | None = None
) -> Criterion:
    """Change a forum criterion's weight (and name) until the first score."""
    forum = criterion.forum
    with forum_action(actor=actor, forum=forum, perm=EDIT, action=Action.CRITERIA) as step:
        _ensure_not_frozen(step.forum)
        if weight is None or weight <= 0:
            raise DomainError("Bobot harus lebih dari nol.")
        old = criterion.weight
        criterion.weight = weight
        fields = ["weight"]
        if name:
            criterion.name = name
            fields.append("name")
        criterion.full_clean()
        criterion.save(update_fields=fields)
        step.say(f"Bobot {criterion.name}: {old} -> {weight}.")
    return criterion


def criterion_add(
    *,
    forum: Forum,
    actor: User,
    name: str,
    weight: Decimal = Decimal("1"),
    description: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
) -> Criterion:
    """Add a criterion the forum agreed, until the first score."""
    with forum_action(actor=actor, forum=forum, perm=EDIT, action=Action.CRITERIA) as step:
        forum = step.forum
        _ensure_not_frozen(forum)
        if scale_max <= scale_min:
            raise DomainError("Nilai tertinggi harus lebih besar dari nilai terendah.")
        order = (forum.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
        criterion = Criterion(
            forum=forum,
            name=name.strip(),
            description=description,
            weight=weight,
            scale_min=scale_min,
            scale_max=scale_max,
            levels={str(v): "" for v in range(scale_min, scale_max + 1)},
            order=order,
        )
        criterion.full_clean()
        criterion.save()
        step.say(f"Kriteria ditambah: {criterion.name}.")
    return criterion


def criterion_remove(*, criterion: Criterion, actor: User) -> None:
    """Remove a forum criterion, until the first score."""
    forum = criterion.forum
    with forum_action(actor=actor, forum=forum, perm=EDIT, action=Action.CRITERIA) as step:
        _ensure_not_frozen(step.forum)
        name = criterion.name
        criterion.delete()
        step.say(f"Kriteria dihapus: {name}.")


# --- Development priority of a proposal -------------------------------------------------


def proposal_set_development_priority(
    *, proposal: Proposal, priority: DevelopmentPriority | None, actor: User
) -> Proposal:
    """Link a proposal of the forum to one of the kabupaten's development priorities (or
    unlink it)."""
    item = getattr(proposal, "forum_item", None) if proposal.pk else None
    if item is None:
        raise DomainError("Usulan ini belum masuk forum.")
    perm, action = "scoring.set_development_priority", Action.PRIORITY
    with forum_action(actor=actor, forum=item.forum, perm=perm, action=action) as step:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if priority is not None and priority.regency_id != proposal.subdistrict.regency_id:
            raise DomainError("Prioritas pembangunan bukan milik kabupaten/kota usulan ini.")
        proposal.development_priority = priority
        proposal.save(update_fields=["development_priority", "updated_at"])
        step.say(f"Prioritas pembangunan daerah: {priority or '-'}.", item=item)
    return proposal
