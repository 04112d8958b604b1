"""Pages of proposals: the desa operator's list and forms, a proposal's detail and actions."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang import selectors as master
from musrenbang.access import get_for_user, require_perm, safe_next
from musrenbang.exceptions import DomainError
from musrenbang.views_toolkit import run, show_form_errors
from proposals import selectors, services
from proposals.forms import (
    AttachmentForm,
    ProposalForm,
    ReasonForm,
    ReceiveForm,
    RejectForm,
)
from proposals.models import Attachment, Proposal, Status


def _year(request: HttpRequest, regency):
    requested = params.year(request, source=request.POST) or params.year(request)
    year = master.current_year(regency, requested)
    if year is None:
        raise Http404("Belum ada tahun perencanaan.")
    return year


def _proposal(request: HttpRequest, pk: int, perm: str = "proposals.see_proposal") -> Proposal:
    proposal = get_for_user(
        request.user, "proposals.see_proposal", selectors.proposal_detail(pk), pk=pk
    )
    if perm != "proposals.see_proposal":
        require_perm(request.user, perm, proposal)
    return proposal


def village_list(request: HttpRequest) -> HttpResponse:
    """The operator's proposals for the year, in the desa's priority order, with the forum's
    outcome of each once the year is closed (then no control is offered)."""
    require_perm(request.user, "proposals.use_village_list")
    village = request.user.village
    regency = village.subdistrict.regency
    year = _year(request, regency)
    proposals = list(selectors.village_proposals(village=village, year=year.year))
    closure = selectors.year_closure(subdistrict_id=village.subdistrict_id, year=year.year)
    is_open = closure is None
    outcomes = selectors.forum_outcomes(proposals) if closure else {}
    rows = [
        {
            "p": p,
            "can_change": is_open and p.status in services.EDITABLE,
            "has_receipt": not p.is_draft,
            "outcome": outcomes.get(p.pk),
        }
        for p in proposals
    ]
    deadline_passed = services.deadline_passed(subdistrict=village.subdistrict, year=year.year)
    context = {
        "village": village,
        "year": year,
        "years": master.planning_years(regency),
        "rows": rows,
        "closure": closure,
        "counts": selectors.status_counts(Proposal.objects.filter(village=village, year=year.year)),
        "statuses": Status,
        "pending": sum(1 for row in rows if row["can_change"]),
        "deadline_passed": is_open and deadline_passed,
        "can_add": is_open and not deadline_passed,
        "carry_over_list": (
            list(
                services.carry_over_candidates(village=village, year=year.year).select_related(
                    "sector"
                )
            )
            if is_open and not deadline_passed
            else []
        ),
    }
    return render(request, "proposals/proposal_village_list.html", context)


def proposal_create(request: HttpRequest) -> HttpResponse:
    """A new draft: an operator for their desa, the kecamatan for any desa or itself."""
    user = request.user
    if not (user.is_operator or user.is_kecamatan):
        raise PermissionDenied("Anda tidak berwenang menambah usulan.")
    subdistrict = user.subdistrict
    year = _year(request, subdistrict.regency)
    if not selectors.year_is_open(subdistrict_id=subdistrict.pk, year=year.year):
        messages.error(
            request, f"Forum tahun {year.year} sudah dikirim ke OPD; usulan tidak dapat ditambah."
        )
        return redirect(f"{reverse('home')}?tahun={year.year}")
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        subdistrict=subdistrict,
        kecamatan=user.is_kecamatan,
        creating=True,
        year=year.year,
    )
    if request.method == "POST" and form.is_valid():
        village = user.village if user.is_operator else form.cleaned_data.get("village")
        proposal = run(
            request,
            services.proposal_create,
            lambda created: f"Usulan {created.reference} disimpan sebagai draf.",
            year=year.year,
            village=village,
            subdistrict=subdistrict,
            data=form.service_data(),
        )
        if proposal is not None:
            _attach_from_form(request, proposal, form)
            return redirect(proposal)
    context = {"form": form, "year": year, "proposal": None}
    return render(request, "proposals/proposal_form.html", context)


def _attach_from_form(request: HttpRequest, proposal: Proposal, form: ProposalForm) -> None:
    """Store the optional attachment of the form; a refused file leaves the proposal saved."""
    upload = form.cleaned_data.get("attachment")
    if not upload:
        return
    try:
        services.attachment_add(
            actor=request.user,
            proposal=proposal,
            upload=upload,
            kind=form.cleaned_data.get("attachment_kind") or "lain",
        )
    except DomainError as error:
        messages.error(request, f"Lampiran tidak disimpan: {error}")


def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk, "proposals.act_proposal")
    if not request.user.has_perm("proposals.act_in_open_year", proposal):
        messages.error(request, "Forum tahun ini sudah dikirim ke OPD; usulan tidak dapat diubah.")
        return redirect(proposal)
    kecamatan = services.side_of(request.user, proposal) == services.KECAMATAN
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=proposal,
        subdistrict=proposal.subdistrict,
        kecamatan=kecamatan,
        creating=False,
        initial={"agreed_volume": proposal.agreed_volume, "agreed_cost": proposal.agreed_cost},
    )
    if request.method == "POST" and form.is_valid():
        saved = run(
            request,
            services.proposal_update,
            "Perubahan usulan disimpan.",
            proposal=Proposal.objects.get(pk=pk),
            data=form.service_data(),
        )
        if saved:
            _attach_from_form(request, proposal, form)
            return redirect(proposal)
    context = {"form": form, "proposal": proposal, "year": None}
    return render(request, "proposals/proposal_form.html", context)


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    side = services.side_of(request.user, proposal)
    closure = selectors.year_closure(subdistrict_id=proposal.subdistrict_id, year=proposal.year)
    may_change = closure is None and request.user.has_perm("proposals.act_in_open_year", proposal)
    targets = services.allowed_targets(proposal.status, side) if may_change else set()
    editable = services.EDITABLE if side == services.DESA else services.KECAMATAN_EDITABLE
    duplicates = []
    if side == services.KECAMATAN and may_change:
        ids = selectors.duplicates_of([proposal]).get(proposal.pk, [])
        duplicates = list(Proposal.objects.filter(pk__in=ids))
    context = {
        "proposal": proposal,
        "side": side,
        "can_process": request.user.has_perm("proposals.process_proposal", proposal),
        "closure": closure,
        "outcome": selectors.public_outcome(proposal) if closure else None,
        "can_edit": may_change and proposal.status in editable,
        "kamus_flags": master.kamus_flags(proposal) if side == services.KECAMATAN else [],
        "can_submit": Status.SUBMITTED in targets,
        "can_receive": Status.RECEIVED in targets,
        "can_verify": Status.VERIFIED in targets,
        "can_return": Status.RETURNED in targets,
        "can_reject": Status.REJECTED in targets,
        "has_receipt": not proposal.is_draft,
        "receive_form": ReceiveForm(),
        "return_form": ReasonForm(auto_id="id_return_%s"),
        "reject_form": RejectForm(auto_id="id_reject_%s"),
        "attachment_form": AttachmentForm(),
        "duplicates": duplicates,
    }
    return render(request, "proposals/proposal_detail.html", context)


def _act(
    request: HttpRequest, pk: int, perm: str, service, success: str, form_class=None
) -> HttpResponse:
    """Check ``perm`` on the proposal, read the POST through ``form_class``, run ``service``."""
    proposal = _proposal(request, pk, perm)
    back = redirect(safe_next(request, proposal.get_absolute_url()))
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            show_form_errors(request, form)
            return back
        data = form.cleaned_data
    run(request, service, success.format(ref=proposal.reference), proposal=proposal, **data)
    return back


@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "proposals.act_proposal",
        services.proposal_submit,
        "Usulan {ref} diajukan ke kecamatan.",
    )


@require_POST
def proposal_receive(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "proposals.process_proposal",
        services.proposal_receive,
        "Usulan {ref} diterima dan diregister.",
        ReceiveForm,
    )


@require_POST
def proposal_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "proposals.process_proposal",
        services.proposal_verify,
        "Usulan {ref} terverifikasi.",
    )


@require_POST
def proposal_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "proposals.process_proposal",
        services.proposal_return,
        "Usulan {ref} dikembalikan ke desa/kelurahan.",
        ReasonForm,
    )


@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "proposals.process_proposal",
        services.proposal_reject,
        "Usulan {ref} ditolak.",
        RejectForm,
    )


@require_POST
def proposal_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    proposal = _proposal(request, pk, "proposals.act_proposal")
    if proposal.village_id is None:
        raise Http404
    offset = -1 if direction == "naik" else 1
    run(
        request,
        services.proposal_move,
        "Urutan prioritas diperbarui.",
        proposal=proposal,
        offset=offset,
    )
    return redirect(f"{reverse('proposals:village_list')}?tahun={proposal.year}")


@require_POST
def submit_all(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "proposals.use_village_list")
    village = request.user.village
    year = _year(request, village.subdistrict.regency)
    run(
        request,
        services.proposals_submit_all,
        lambda count: f"{count} usulan diajukan ke kecamatan.",
        village=village,
        year=year.year,
    )
    return redirect(f"{reverse('proposals:village_list')}?tahun={year.year}")


@require_POST
def carry_over(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "proposals.use_village_list")
    village = request.user.village
    year = _year(request, village.subdistrict.regency)
    run(
        request,
        services.proposals_carry_over,
        lambda created: f"{len(created)} usulan tahun {year.year - 1} dilanjutkan sebagai draf.",
        village=village,
        year=year.year,
    )
    return redirect(f"{reverse('proposals:village_list')}?tahun={year.year}")


def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Tanda terima: printable proof of submission with reference and tracking code."""
    proposal = _proposal(request, pk)
    if proposal.is_draft:
        messages.error(request, "Tanda terima tersedia setelah usulan diajukan.")
        return redirect(proposal)
    track_url = request.build_absolute_uri(
        reverse("proposals:track", args=[proposal.tracking_code])
    )
    qr = segno.make(track_url, error="m").svg_inline(scale=3)
    context = {"proposal": proposal, "track_url": track_url, "qr_svg": mark_safe(qr)}  # noqa: S308 - SVG made by segno from our own URL
    return render(request, "proposals/proposal_receipt.html", context)


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk, "proposals.act_proposal")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Pilih jenis dan berkas lampiran.")
        return redirect(proposal)
    run(
        request,
        services.attachment_add,
        "Lampiran diunggah.",
        proposal=proposal,
        upload=form.cleaned_data["file"],
        kind=form.cleaned_data["kind"],
    )
    return redirect(proposal)


def _attachment(request: HttpRequest, pk: int, perm: str) -> Attachment:
    attachment = Attachment.objects.select_related("proposal").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    require_perm(request.user, perm, attachment.proposal)
    return attachment


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment after the permission check (never from /media/ directly)."""
    return attachment_response(_attachment(request, pk, "proposals.see_proposal"))


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file of an attachment whose reader was already checked: images inline, PDFs
    downloaded, never sniffed."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk, "proposals.act_proposal")
    proposal = attachment.proposal
    run(request, services.attachment_delete, "Lampiran dihapus.", attachment=attachment)
    return redirect(proposal)
