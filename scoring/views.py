"""Pages of the scoring app: criteria, scoring sheet, Hasil Skoring, decisions, Kirim ke OPD."""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang.access import get_for_user, require_perm, safe_next
from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, DevelopmentPriority, Role, Subdistrict, User
from proposals.models import Attachment
from proposals.views import attachment_response
from scoring import selectors, services
from scoring.export import agency_priorities_workbook, ranking_workbook
from scoring.forms import (
    AgencyListParams,
    AgencyParams,
    CellParams,
    CriterionAddForm,
    CriterionWeightForm,
    DecisionForm,
    MoveForm,
    PriorityParams,
    ScorerParams,
    SheetParams,
)
from scoring.models import Criterion, Result, Scorer
from sessions.models import Forum

VIEW, MANAGE, SCORE = "scoring.view_forum", "scoring.manage_forum", "scoring.score_forum"
RESULTS_PER_PAGE = 100
SHEET_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _forum(request: HttpRequest, pk: int, perm: str = VIEW) -> Forum:
    return get_for_user(request.user, perm, selectors.forums(), pk=pk)


def _result(request: HttpRequest, pk: int) -> Result:
    qs = Result.objects.select_related("item__forum__subdistrict__regency", "item__proposal")
    return get_for_user(request.user, MANAGE, qs, pk=pk)


def _error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error))


def _back_to_results(result: Result) -> HttpResponse:
    url = reverse("scoring:results", args=[result.item.forum_id])
    page = ((result.rank or 1) - 1) // RESULTS_PER_PAGE + 1
    return redirect(f"{url}?halaman={page}#hasil-{result.pk}")


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("halaman", None)
    return query.urlencode()


def _latest_forum(request: HttpRequest, code: str) -> Forum | None:
    subdistrict = get_for_user(
        request.user, "musrenbang.view_subdistrict", Subdistrict.objects.all(), code=code
    )
    return selectors.forums().filter(subdistrict=subdistrict).order_by("-year").first()


def entry(request: HttpRequest, code: str) -> HttpResponse:
    """Menu entry "Skoring": the latest forum's sheet (or its criteria while none exist)."""
    forum = _latest_forum(request, code)
    if forum is None:
        return render(request, "scoring/no_forum.html", status=200)
    if not forum.criteria.exists():
        return redirect("scoring:criteria", pk=forum.pk)
    return redirect("scoring:sheet", pk=forum.pk)


def entry_results(request: HttpRequest, code: str) -> HttpResponse:
    """Menu entry "Hasil Skoring": the latest forum's ranking."""
    forum = _latest_forum(request, code)
    if forum is None:
        return render(request, "scoring/no_forum.html", status=200)
    return redirect("scoring:results", pk=forum.pk)


def _page_context(request: HttpRequest, forum: Forum) -> dict:
    user = request.user
    can_manage = user.has_perm(MANAGE, forum)
    return {
        "forum": forum,
        "can_manage": can_manage,
        "can_edit": can_manage and not forum.is_locked,
        "can_score": user.has_perm(SCORE, forum)
        and forum.state == Forum.State.RUNNING
        and services.can_score(forum=forum, user=user),
    }


# --- Criteria ---------------------------------------------------------------------------


def criteria(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    context = _page_context(request, forum)
    frozen = services.criteria_frozen(forum=forum)
    context.update(
        criteria=selectors.criteria_of(forum),
        frozen=frozen,
        criteria_editable=context["can_edit"] and not frozen,
        add_form=CriterionAddForm(),
        multiple=forum.scoring_mode == Forum.ScoringMode.MULTIPLE,
        scorers=selectors.scorers_of(forum),
        candidates=selectors.candidate_scorers(forum) if context["can_edit"] else [],
        events=selectors.events_of(forum),
    )
    return render(request, "scoring/criteria.html", context)


@require_POST
def criteria_copy(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    try:
        services.criteria_copy_from_template(forum=forum, actor=request.user)
        messages.success(request, "Kriteria disalin dari templat kabupaten/kota.")
    except DomainError as error:
        _error(request, error)
    return redirect("scoring:criteria", pk=forum.pk)


@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    form = CriterionAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Periksa isian kriteria baru: nama, bobot dan nilai tertinggi.")
        return redirect("scoring:criteria", pk=forum.pk)
    try:
        services.criterion_add(
            forum=forum,
            actor=request.user,
            name=form.cleaned_data["name"],
            weight=form.cleaned_data["weight"],
            scale_max=form.cleaned_data["scale_max"],
        )
        messages.success(request, "Kriteria ditambahkan.")
    except DomainError as error:
        _error(request, error)
    return redirect("scoring:criteria", pk=forum.pk)


def _criterion(request: HttpRequest, pk: int) -> Criterion:
    qs = Criterion.objects.select_related("forum__subdistrict__regency")
    return get_for_user(request.user, MANAGE, qs, pk=pk)


@require_POST
def criterion_weight(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    form = CriterionWeightForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bobot harus angka lebih dari nol.")
    else:
        try:
            services.criterion_update(
                criterion=criterion, actor=request.user, weight=form.cleaned_data["weight"]
            )
            messages.success(request, f"Bobot {criterion.name} disimpan.")
        except DomainError as error:
            _error(request, error)
    return redirect("scoring:criteria", pk=criterion.forum_id)


@require_POST
def criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    forum_id = criterion.forum_id
    try:
        services.criterion_remove(criterion=criterion, actor=request.user)
        messages.success(request, "Kriteria dihapus.")
    except DomainError as error:
        _error(request, error)
    return redirect("scoring:criteria", pk=forum_id)


@require_POST
def scorer_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    chosen = params.read(request, ScorerParams, source=request.POST, quiet=True)["user"]
    user = User.objects.filter(pk=chosen).first() if chosen else None
    if user is None:
        messages.error(request, "Pilih pengguna yang akan menjadi penilai.")
        return redirect("scoring:criteria", pk=forum.pk)
    try:
        services.scorer_add(forum=forum, user=user, actor=request.user)
        messages.success(request, f"{user.get_full_name() or user.username} menjadi penilai.")
    except DomainError as error:
        _error(request, error)
    return redirect("scoring:criteria", pk=forum.pk)


@require_POST
def scorer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    qs = Scorer.objects.select_related("forum__subdistrict", "user")
    scorer = get_for_user(request.user, MANAGE, qs, pk=pk)
    try:
        services.scorer_remove(scorer=scorer, actor=request.user)
        messages.success(request, "Penilai dihapus.")
    except DomainError as error:
        _error(request, error)
    return redirect("scoring:criteria", pk=scorer.forum_id)


# --- Scoring sheet ----------------------------------------------------------------------


def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    context = _page_context(request, forum)
    query = params.read(request, SheetParams)
    commission_id = query["komisi"]
    owner = request.user
    if not context["can_score"] and forum.scoring_mode == Forum.ScoringMode.SINGLE:
        # Staff, Bappeda and the projector follow the camat's sheet, read-only.
        camat_ids = services.scorer_ids(forum=forum)
        owner = User.objects.filter(pk__in=camat_ids[:1]).first() or request.user
    context.update(
        sheet_owner=owner,
        sheet=selectors.sheet(
            forum=forum,
            user=owner,
            commission_id=commission_id,
            search=query["q"] or "",
            page=query["halaman"],
            per_page=SHEET_PER_PAGE,
        ),
        query=_query_without_page(request),
        progress=services.progress(forum=forum, user=owner),
        commissions=selectors.commissions_of(forum),
        commission_id=commission_id,
        priorities=selectors.development_priorities(forum) if context["can_edit"] else [],
        multiple=forum.scoring_mode == Forum.ScoringMode.MULTIPLE,
    )
    return render(request, "scoring/sheet.html", context)


@require_POST
def score_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one cell (htmx): returns the cell with its message and the progress (out of band)."""
    forum = _forum(request, pk, SCORE)
    cell = params.read(request, CellParams, source=request.POST, quiet=True)
    item = get_object_or_404(forum.items.select_related("forum", "proposal"), pk=cell["item"])
    criterion = get_object_or_404(forum.criteria, pk=cell["criterion"])
    raw = request.POST.get("value", "").strip()[:20]
    error, value = "", cell["value"]
    if value is None:
        error = f"Isi angka {criterion.scale_min}–{criterion.scale_max}."
    if not error:
        try:
            services.score_save(item=item, criterion=criterion, scorer=request.user, value=value)
        except DomainError as exc:
            error = str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("scoring:sheet", pk=forum.pk)
    context = {
        "forum": forum,
        "item": item,
        "cell": {"criterion": criterion, "value": raw if error else value},
        "error": error,
        "saved": not error,
        "progress": services.progress(forum=forum, user=request.user),
        "oob": True,
        "can_score": True,
    }
    return render(request, "scoring/_cell.html", context, status=200)


@require_POST
def development_priority(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    chosen = params.read(request, PriorityParams, source=request.POST, quiet=True)
    item = get_object_or_404(forum.items.select_related("proposal"), pk=chosen["item"])
    priority = (
        get_object_or_404(
            DevelopmentPriority, pk=chosen["priority"], regency_id=forum.subdistrict.regency_id
        )
        if chosen["priority"]
        else None
    )
    try:
        services.proposal_set_development_priority(
            proposal=item.proposal, priority=priority, actor=request.user
        )
        message = "Prioritas pembangunan daerah disimpan."
        if not request.htmx:
            messages.success(request, message)
    except DomainError as error:
        message = str(error)
        if not request.htmx:
            _error(request, error)
    if request.htmx:
        return HttpResponse(message)
    return redirect("scoring:sheet", pk=forum.pk)


# --- Hitung and Hasil Skoring -----------------------------------------------------------


@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    try:
        count = services.forum_compute(forum=forum, actor=request.user)
        messages.success(request, f"Hitung selesai: {count} usulan diperingkat.")
        return redirect("scoring:results", pk=forum.pk)
    except DomainError as error:
        _error(request, error)
    return redirect(safe_next(request, reverse("scoring:sheet", args=[forum.pk])))


def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking. Everything below the tabs is one fragment cached under the forum's version
    (and the viewer's flags and the query), so the reads are lazy: a hit runs none of them."""
    forum = _forum(request, pk)
    context = _page_context(request, forum)
    query = params.read(request, SheetParams)
    commission_id = query["komisi"]
    show_all = query["semua"] == "1"
    can_edit = context["can_edit"]
    data = SimpleLazyObject(
        lambda: selectors.ranking(
            forum=forum,
            commission_id=commission_id,
            page=query["halaman"],
            per_page=None if show_all else RESULTS_PER_PAGE,
        )
    )
    stale = SimpleLazyObject(
        lambda: bool(
            can_edit
            and data["count"]
            and services.results_stale(forum=forum, computed_at=data["computed_at"])
        )
    )
    context.update(
        show_all=show_all,
        query=_query_without_page(request),
        ranking=data,
        commissions=SimpleLazyObject(lambda: selectors.commissions_of(forum)),
        commission_id=commission_id,
        agencies=SimpleLazyObject(lambda: selectors.agencies(forum) if can_edit else []),
        decisions_open=can_edit and forum.state == Forum.State.RUNNING,
        stale=stale,
        problems=SimpleLazyObject(
            lambda: services.send_problems(forum=forum, stale=stale) if can_edit else []
        ),
        page_version=(
            forum.pk,
            forum.version,
            context["can_manage"],
            can_edit,
            request.get_full_path(),
        ),
    )
    return render(request, "scoring/results.html", context)


def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    data = selectors.ranking(forum=forum)
    return _xlsx(
        ranking_workbook(forum, data), f"hasil-skoring-{forum.subdistrict.code}-{forum.year}"
    )


def _xlsx(workbook, name: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_POST
def apply_ceiling(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    try:
        count = services.results_apply_ceiling(forum=forum, actor=request.user)
        messages.success(request, f"Usulan pagu diterapkan pada {count} usulan.")
    except DomainError as error:
        _error(request, error)
    return redirect("scoring:results", pk=forum.pk)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih keputusan prioritas atau cadangan.")
        return _back_to_results(result)
    agency = None
    if form.cleaned_data["agency"]:
        agency = get_object_or_404(Agency, pk=form.cleaned_data["agency"])
    try:
        result = services.result_decide(
            result=result,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            agency=agency,
            actor=request.user,
        )
        messages.success(
            request, f"{result.item.proposal.reference}: {result.get_decision_display()}."
        )
    except DomainError as error:
        _error(request, error)
    return _back_to_results(result)


@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    try:
        services.result_undo(result=result, actor=request.user)
        messages.success(request, f"Keputusan {result.item.proposal.reference} dibatalkan.")
    except DomainError as error:
        _error(request, error)
    return _back_to_results(result)


@require_POST
def set_agency(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    chosen = params.read(request, AgencyParams, source=request.POST, quiet=True)["agency"]
    agency = get_object_or_404(Agency, pk=chosen) if chosen else None
    try:
        services.result_set_agency(result=result, agency=agency, actor=request.user)
        messages.success(request, f"OPD {result.item.proposal.reference}: {agency or '-'}.")
    except DomainError as error:
        _error(request, error)
    return _back_to_results(result)


@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi peringkat baru dan alasan mengubah urutan.")
        return _back_to_results(result)
    try:
        services.result_move(
            result=result,
            new_rank=form.cleaned_data["rank"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        messages.success(request, "Urutan diubah dan dicatat.")
    except DomainError as error:
        _error(request, error)
    return _back_to_results(result)


@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    try:
        if services.forum_send(forum=forum, actor=request.user):
            messages.success(request, "Hasil skoring dikirim ke OPD. Data forum kini terkunci.")
        else:
            messages.info(request, "Hasil skoring sudah dikirim sebelumnya; tidak ada yang diubah.")
    except DomainError as error:
        _error(request, error)
    return redirect("scoring:results", pk=forum.pk)


# --- OPD readers and Bappeda ------------------------------------------------------------


def _agency_scope(request: HttpRequest):
    user = request.user
    if not (user.is_superuser or user.role in (Role.OPD, Role.BAPPEDA)):
        raise PermissionDenied("Halaman ini untuk pembaca OPD dan Bappeda.")
    qs = selectors.agency_priorities(user=user)
    query = params.read(request, AgencyListParams)
    filters = {
        "subdistrict": query["kecamatan"] or "",
        "year": query["tahun"],
        "search": query["q"] or "",
        "sort": query["urut"] or "",
    }
    filtered = selectors.filter_agency_priorities(qs, **filters)
    # The page shows the filters as text (selected options compare strings).
    return qs, filtered, filters | {"year": str(query["tahun"] or ""), "page": query["halaman"]}


def agency_priorities(request: HttpRequest) -> HttpResponse:
    """The priorities sent to the reader's OPD (Bappeda: every OPD of the kabupaten)."""
    base, qs, filters = _agency_scope(request)
    page = Paginator(qs, 25).get_page(filters.pop("page"))
    options = (
        base.order_by()
        .values_list(
            "item__forum__subdistrict__code", "item__forum__subdistrict__name", "item__forum__year"
        )
        .distinct()
    )
    subdistricts = sorted({(code, name) for code, name, _y in options}, key=lambda p: p[1])
    years = sorted({y for _c, _n, y in options}, reverse=True)
    context = {
        "page": page,
        "filters": filters,
        "subdistricts": subdistricts,
        "years": years,
        "query": _query_without_page(request),
        "agency": request.user.agency if request.user.role == Role.OPD else None,
    }
    return render(request, "scoring/agency_priorities.html", context)


def agency_priorities_xlsx(request: HttpRequest) -> HttpResponse:
    _base, qs, _filters = _agency_scope(request)
    return _xlsx(agency_priorities_workbook(qs), "prioritas-opd")


def agency_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal sent to the reader's OPD: what the agency needs to act on it."""
    result = get_for_user(
        request.user,
        "scoring.view_sent_proposal",
        selectors.sent_proposal(proposal_id=pk),
        item__proposal_id=pk,
    )
    context = {"result": result, "proposal": result.item.proposal, "forum": result.item.forum}
    return render(request, "scoring/agency_proposal.html", context)


def agency_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment of a proposal sent to the reader's OPD."""
    attachment = get_object_or_404(Attachment.objects.select_related("proposal"), pk=pk)
    result = get_object_or_404(
        Result.objects.select_related("item__forum__subdistrict"),
        item__proposal_id=attachment.proposal_id,
    )
    require_perm(request.user, "scoring.view_sent_proposal", result)
    return attachment_response(attachment)
