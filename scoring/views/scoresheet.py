"""The scoring sheet: the menu entry, the sheet, one cell (htmx), a development priority."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang.access import get_for_user
from musrenbang.exceptions import DomainError
from musrenbang.models import DevelopmentPriority, Subdistrict, User
from musrenbang.views_toolkit import run
from scoring import selectors, services
from scoring.forms import CellParams, PriorityParams, SheetParams
from scoring.views._common import MANAGE, SCORE, get_forum, page_context, query_without_page
from sessions.models import Forum

SHEET_PER_PAGE = 50


def latest_forum(request: HttpRequest, code: str) -> Forum | None:
    """The newest forum of the kecamatan ``code`` the user may see (404 / 403 otherwise)."""
    subdistrict = get_for_user(
        request.user, "musrenbang.view_subdistrict", Subdistrict.objects.all(), code=code
    )
    return selectors.latest_forum(subdistrict)


def entry(request: HttpRequest, code: str) -> HttpResponse:
    """Menu entry "Skoring": the latest forum's sheet (or its criteria while none exist)."""
    forum = latest_forum(request, code)
    if forum is None:
        return render(request, "scoring/no_forum.html", status=200)
    if not forum.criteria.exists():
        return redirect("scoring:criteria", pk=forum.pk)
    return redirect("scoring:sheet", pk=forum.pk)


def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk)
    context = page_context(request, forum)
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
        query=query_without_page(request),
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
    forum = get_forum(request, pk, SCORE)
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
    forum = get_forum(request, pk, MANAGE)
    chosen = params.read(request, PriorityParams, source=request.POST, quiet=True)
    item = get_object_or_404(forum.items.select_related("proposal"), pk=chosen["item"])
    priority = (
        get_object_or_404(
            DevelopmentPriority, pk=chosen["priority"], regency_id=forum.subdistrict.regency_id
        )
        if chosen["priority"]
        else None
    )
    if not request.htmx:
        run(
            request,
            services.proposal_set_development_priority,
            "Prioritas pembangunan daerah disimpan.",
            proposal=item.proposal,
            priority=priority,
        )
        return redirect("scoring:sheet", pk=forum.pk)
    try:
        services.proposal_set_development_priority(
            proposal=item.proposal, priority=priority, actor=request.user
        )
    except DomainError as error:
        return HttpResponse(str(error))
    return HttpResponse("Prioritas pembangunan daerah disimpan.")
