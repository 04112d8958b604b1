"""What the OPD readers and Bappeda read: the priorities sent, one proposal, its attachments."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from musrenbang import params
from musrenbang.access import get_for_user, require_perm
from musrenbang.views_toolkit import xlsx_response
from proposals.models import Attachment
from proposals.views import attachment_response
from scoring import selectors
from scoring.export import agency_priorities_workbook
from scoring.forms import AgencyListParams
from scoring.models import Result
from scoring.views._common import query_without_page


def _agency_scope(request: HttpRequest):
    user = request.user
    if not user.has_perm("scoring.read_agency_priorities"):
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
    subdistricts, years = selectors.agency_filter_options(base)
    context = {
        "page": page,
        "filters": filters,
        "subdistricts": subdistricts,
        "years": years,
        "query": query_without_page(request),
        "agency": (
            request.user.agency if request.user.has_perm("musrenbang.read_as_agency") else None
        ),
    }
    return render(request, "scoring/agency_priorities.html", context)


def agency_priorities_xlsx(request: HttpRequest) -> HttpResponse:
    _base, qs, _filters = _agency_scope(request)
    return xlsx_response(agency_priorities_workbook(qs), "prioritas-opd.xlsx")


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
