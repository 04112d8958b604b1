"""Backup and restore of one forum as a self-describing zip archive.

It sits in the top layer (``reports``) because it reads every app: master data, proposals,
the forum, scoring and documents.

``forum_export`` collects everything a forum needs to stand on its own in an empty database:
the master data it points to (kabupaten/kota, its kecamatan and desa, bidang, OPD, priorities,
the planning year and ceiling, the users who acted), every proposal of the kecamatan and year
with attachments and status history, the forum and every row that hangs from it (agenda,
commissions, items, participants, delegates, criteria, scores, results, archived documents,
uploads, distribution), and the stored files. The rows are Django's JSON serialization with
their primary keys; ``manifest.json`` lists the counts and the SHA-256 of every file.

Password hashes are not exported: restored users must set a new password. The audit history
tables of django-simple-history are not exported either; the status history of proposals
(``Transition``) is.
"""

import hashlib
import io
import json
import zipfile
from collections import defaultdict

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import (
    Agency,
    BudgetCeiling,
    DevelopmentPriority,
    Instrument,
    KamusEntry,
    Nomenclature,
    PlanningYear,
    Regency,
    RegionalTarget,
    Sector,
    Subdistrict,
    Unit,
    User,
    Village,
)
from proposals.models import Proposal
from scoring.services import fill_missing_averages
from sessions.models import Forum

FORMAT = "musrenbang-forum/1"
FORUM_APPS = ("forum", "scoring", "reports")


# Not part of a forum's record: history rows, and the queue's bookkeeping of documents
# (a job is a request of one server; its file is made again on demand).
TRANSIENT_MODELS = ("reports.DocumentJob",)


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical") or model._meta.label in TRANSIENT_MODELS


def _collect_hanging(roots: dict[type, set[int]]) -> dict[type, set[int]]:
    """Add rows of the forum apps that point (by foreign key) to rows already collected."""
    collected = defaultdict(set, {m: set(ids) for m, ids in roots.items()})
    candidates = [
        m
        for label in FORUM_APPS + ("proposals",)
        for m in apps.get_app_config(label).get_models()
        if not _is_history(m)
    ]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey):
                    continue
                target = field.remote_field.model
                if target not in collected or target in (User,):
                    continue
                if model is target:
                    continue
                ids = set(
                    model.objects.filter(**{f"{field.name}_id__in": collected[target]}).values_list(
                        "pk", flat=True
                    )
                )
                if ids - collected[model]:
                    collected[model] |= ids
                    changed = True
    return collected


def _users_referenced(objects: list[models.Model]) -> set[int]:
    ids = set()
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.remote_field.model is User:
                value = getattr(obj, field.attname)
                if value:
                    ids.add(value)
    return ids


def forum_export(*, subdistrict_code: str, year: int) -> bytes:
    """Return the zip archive of a forum (and its kecamatan's proposals of the year)."""
    forum = (
        Forum.objects.select_related("subdistrict__regency")
        .filter(subdistrict__code=subdistrict_code, year=year)
        .first()
    )
    if forum is None:
        raise DomainError(f"Forum Kecamatan {subdistrict_code} tahun {year} tidak ditemukan.")
    proposals = set(
        Proposal.objects.filter(subdistrict=forum.subdistrict, year=year).values_list(
            "pk", flat=True
        )
    )
    collected = _collect_hanging({Forum: {forum.pk}, Proposal: proposals})
    master = _master_rows(forum, proposals)
    rows: list[models.Model] = []
    for model, ids in collected.items():
        rows += list(model.objects.filter(pk__in=ids).order_by("pk"))
    users = _users_with_places(master, rows, forum.subdistrict)
    ordered = _dependency_order(master + users + rows)
    _detach_outside_references(ordered)
    return _write_archive(forum, ordered)


def _master_rows(forum: Forum, proposal_ids: set[int]) -> list[models.Model]:
    """The master data the forum and its proposals point to (regions first)."""
    subdistrict, year = forum.subdistrict, forum.year
    regency = subdistrict.regency
    master: list[models.Model] = [regency, subdistrict]
    master += list(Village.objects.filter(subdistrict=subdistrict))
    master += list(Sector.objects.filter(regency=regency))
    master += list(Agency.objects.filter(regency=regency))
    master += list(DevelopmentPriority.objects.filter(regency=regency))
    master += list(PlanningYear.objects.filter(regency=regency, year=year))
    master += list(BudgetCeiling.objects.filter(subdistrict=subdistrict, year=year))
    master += list(Unit.objects.all())
    master += _kamus_rows(regency, proposal_ids)
    return master


def _users_with_places(
    master: list[models.Model], rows: list[models.Model], subdistrict: Subdistrict
) -> list[User]:
    """Return the users the rows point to, without password hashes; add their kecamatan and
    desa to ``master`` when they belong elsewhere in the kabupaten."""
    users = list(User.objects.filter(pk__in=_users_referenced(master + rows)).order_by("pk"))
    extra_places = {u.subdistrict_id for u in users if u.subdistrict_id} - {subdistrict.pk}
    master[2:2] = list(Subdistrict.objects.filter(pk__in=extra_places))
    master += list(
        Village.objects.filter(pk__in={u.village_id for u in users if u.village_id}).exclude(
            subdistrict=subdistrict
        )
    )
    for user in users:
        user.password = ""  # never export password hashes
    return users


def _write_archive(forum: Forum, ordered: list[models.Model]) -> bytes:
    """Zip ``data.json``, every stored file the rows name and ``manifest.json``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", serializers.serialize("json", ordered, indent=1))
        files = _write_files(archive, ordered)
        counts = defaultdict(int)
        for obj in ordered:
            counts[obj._meta.label] += 1
        subdistrict, regency = forum.subdistrict, forum.subdistrict.regency
        manifest = {
            "format": FORMAT,
            "kecamatan": {"kode": subdistrict.code, "nama": subdistrict.name},
            "kabupaten": {"kode": regency.code, "nama": regency.name},
            "tahun": forum.year,
            "tahap_forum": forum.state,
            "dibuat": timezone.now().isoformat(),
            "jumlah_baris": dict(sorted(counts.items())),
            "berkas": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def _write_files(archive: zipfile.ZipFile, ordered: list[models.Model]) -> dict[str, str]:
    """Write each stored file once under ``files/``; return {name: SHA-256}."""
    files = {}
    for obj in ordered:
        for field in obj._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            name = getattr(obj, field.attname)
            name = getattr(name, "name", name)
            if name and name not in files and default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                files[name] = hashlib.sha256(content).hexdigest()
                archive.writestr(f"files/{name}", content)
    return files


def _kamus_rows(regency: Regency, proposal_ids: set[int]) -> list[models.Model]:
    """The kamus entries, sasaran daerah and nomenclature (with their ancestors and
    instruments) that the proposals point to."""
    links = Proposal.objects.filter(pk__in=proposal_ids).values_list("kamus_id", "sub_activity_id")
    kamus = list(KamusEntry.objects.filter(pk__in={k for k, _ in links if k}))
    targets = list(RegionalTarget.objects.filter(priority__regency=regency))
    wanted = {s for _, s in links if s} | {k.sub_activity_id for k in kamus if k.sub_activity_id}
    nodes: dict[int, Nomenclature] = {}
    while wanted:
        found = list(Nomenclature.objects.filter(pk__in=wanted))
        nodes.update({n.pk: n for n in found})
        wanted = {n.parent_id for n in found if n.parent_id} - set(nodes)
    instruments = list(Instrument.objects.filter(pk__in={n.instrument_id for n in nodes.values()}))
    ordered_nodes = sorted(nodes.values(), key=lambda n: len(n.code.split(".")))
    return [*instruments, *ordered_nodes, *targets, *kamus]


def _detach_outside_references(objects: list[models.Model]) -> None:
    """Clear optional links to rows outside the archive (e.g. last year's proposal)."""
    exported = {(type(o), o.pk) for o in objects}
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            value = getattr(obj, field.attname)
            target = field.remote_field.model
            if value is None or (target, value) in exported:
                continue
            if not field.null:
                raise DomainError(
                    f"{obj._meta.verbose_name} {obj.pk} menunjuk data di luar arsip "
                    f"({field.verbose_name}); arsip tidak dapat dibuat."
                )
            setattr(obj, field.attname, None)


def _dependency_order(objects: list[models.Model]) -> list[models.Model]:
    by_model = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    order = serializers.sort_dependencies([(None, list(by_model))], allow_cycles=True)
    seen = set()
    result = []
    for model in order:
        for obj in by_model.get(model, []):
            key = (model, obj.pk)
            if key not in seen:
                seen.add(key)
                result.append(obj)
    return result


@transaction.atomic
def forum_import(*, archive_bytes: bytes) -> dict:
    """Restore a forum archive into an empty database; return its manifest.

    Refuses (``DomainError``) a file that is not such an archive, or a database that already
    holds the archive's kabupaten/kota. Everything is restored in one transaction.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
        manifest = json.loads(archive.read("manifest.json"))
        data = archive.read("data.json").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise DomainError("Berkas bukan arsip forum Musrenbang yang sah.")
    if manifest.get("format") != FORMAT:
        raise DomainError(f"Format arsip {manifest.get('format')!r} tidak dikenal.")
    if Regency.objects.filter(code=manifest["kabupaten"]["kode"]).exists():
        raise DomainError(
            f"Basis data tujuan sudah berisi {manifest['kabupaten']['nama']}; "
            "pemulihan hanya ke basis data kosong."
        )
    for name, digest in manifest.get("berkas", {}).items():
        content = archive.read(f"files/{name}")
        if hashlib.sha256(content).hexdigest() != digest:
            raise DomainError(f"Berkas {name} dalam arsip rusak (SHA-256 tidak cocok).")
    touched = set()
    for deserialized in serializers.deserialize("json", data):
        deserialized.save()
        touched.add(type(deserialized.object))
    for name in manifest.get("berkas", {}):
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(archive.read(f"files/{name}")))
            if saved != name:
                raise DomainError(f"Berkas {name} tidak dapat dipulihkan dengan nama aslinya.")
    statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    if _made_before_result_averages(data):
        for forum in Forum.objects.filter(subdistrict__regency__code=manifest["kabupaten"]["kode"]):
            fill_missing_averages(forum=forum)
    return manifest


def _made_before_result_averages(data: str) -> bool:
    """True when the archive's results carry no ``averages`` (made before scoring/0007): the
    restore gives them the averages of their stored scores, as the migration did in place."""
    return any(
        row.get("model") == "scoring.result" and "averages" not in row.get("fields", {})
        for row in json.loads(data)
    )
