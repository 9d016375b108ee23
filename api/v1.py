"""Version 1 of the public API (/api/v1/): the published catalogue, read-only.

Built with django-ninja: the operations below, their schemas (api/schemas.py) and the OpenAPI 3
document (/api/v1/openapi.json) with its browsable docs (/api/v1/docs, Swagger UI as ninja
ships it, served from the portal). Its description is docs/api.md, the stability policy
included.

Every read goes through the catalogue's own read side: the sheets' filters are
``ActionFilterSet`` (the query string as the catalogue page reads it), the search
``catalogue.search``, the facets ``count_facets``, the counts of the network pages
``option_counts``/``count_per``, the records ``catalogue.records``. Only published sheets are
read (``Action.objects.published()``); partners only when a published sheet names them.

Around every operation: a rate per client (api/throttling.py), ETag and Last-Modified with
304 answers and public caching for a minute (api/conditional.py), CORS for GET
(django-cors-headers, ``CORS_URLS_REGEX``), errors as problem details (api/problems.py).
"""

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router, Swagger
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer

from actions.models import Action, Partner
from catalogue.facets.counting import Within, count_facets, count_per, option_counts
from catalogue.facets.declared import DEPARTEMENT, FEDERATION, REGION
from catalogue.filters import ActionFilterSet
from catalogue.records import (
    STRUCTURE_FIELDS,
    Links,
    collection,
    department_record,
    federation_record,
    partner_ref,
    sheet_records,
    structure_record,
    vocabulary_facets,
    vocabulary_record,
)
from federations.models import Structure

from . import schemas
from .conditional import revalidated
from .pagination import InvalidCursor, Keyset
from .parameters import filter_parameters
from .problems import PROBLEM_TYPE, problem
from .throttling import ClientRateThrottle

logger = logging.getLogger("django.request")

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


def problem_responses(*statuses: int) -> dict:
    """The documented error answers of an operation (problem details, api/problems.py)."""
    content = {PROBLEM_TYPE: {"schema": schemas.Problem.model_json_schema()}}
    descriptions = {
        400: "Paramètre invalide.",
        404: "Rien de publié à cette adresse.",
        429: "Débit dépassé : attendre `Retry-After` secondes.",
    }
    return {
        "responses": {
            str(status): {"description": descriptions[status], "content": content}
            for status in (*statuses, 429)
        }
    }


CATALOGUE_PARAMETERS = {"parameters": filter_parameters(), **problem_responses(400)}


class Renderer(JSONRenderer):
    """JSON in UTF-8 as it is (accents unescaped): smaller, and readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Fiches action des centres sociaux",
    version="1",
    description=(settings.BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8"),
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[ClientRateThrottle()],
    renderer=Renderer(),
)
router = Router()
router.add_decorator(revalidated, mode="view")


# Errors as problem details ---------------------------------------------------------------------


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    errors = [
        {"parameter": ".".join(str(p) for p in error["loc"][1:]), "message": error["msg"]}
        for error in exc.errors
    ]
    return problem(request, 400, _("Paramètre invalide."), errors=errors)


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    return problem(request, 429, _("Trop de requêtes : réessayez dans quelques secondes."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return problem(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem(request, 404, _("Aucune donnée publiée à cette adresse."))


@api.exception_handler(Exception)
def server_error(request, exc):
    """Logged as Django logs an error of a page (the error reports see it), then answered as
    a problem detail rather than the HTML error page."""
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return problem(request, 500, _("Erreur du serveur : elle a été signalée."))


def unknown_address(request, *args, **kwargs) -> HttpResponse:
    """Any other address under /api/: a 404 problem detail, not the HTML page."""
    return problem(request, 404, _("Aucune ressource de l'API à cette adresse."))


# The sheets ------------------------------------------------------------------------------------


def selection(request: HttpRequest) -> ActionFilterSet:
    """The catalogue's selection for this query string, exactly as the catalogue page reads
    it (``catalogue.views.BoundFilterMixin``): bound even without parameters, malformed and
    unknown values dropped and reported."""
    return ActionFilterSet(data=request.GET, queryset=Action.objects.published())


def ignored(filterset: ActionFilterSet) -> dict[str, list[str]]:
    """The values the filter set ignored (``ActionFilterSet.ignored``), by parameter."""
    by_name = {}
    for value in filterset.ignored:
        by_name.setdefault(value.name, []).append(str(value))
    return by_name


def next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def keyset_page(request, queryset, cursor: str | None, limit: int):
    try:
        return Keyset(queryset).page(cursor, limit)
    except InvalidCursor:
        raise HttpError(400, _("Curseur invalide : reprenez la pagination à son début.")) from None


def published_language():
    """Labels of the data (statuses, kinds, roles, facets) in the language of the published
    format, whatever the client's: the same request always gets the same document."""
    return translation.override(settings.LANGUAGE_CODE)


@router.get(
    "/actions/",
    response=schemas.ActionPage,
    summary="Les fiches publiées d'une sélection du catalogue",
    description="Les filtres du catalogue (`/actions/?theme=…`), mêmes noms et même sens ; "
    "pagination par curseur (`next`).",
    openapi_extra=CATALOGUE_PARAMETERS,
    tags=["fiches"],
)
def list_actions(
    request,
    cursor: str | None = Query(None, description="La valeur `next` de la page précédente."),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Fiches par page."),
):
    filterset = selection(request)
    page = keyset_page(request, filterset.qs, cursor, limit)
    with published_language():
        results = sheet_records(page.ids, Links.for_request(request))
    return {
        "count": filterset.qs.count(),
        "next": next_url(request, page.next_cursor),
        "ignored": ignored(filterset),
        "results": results,
    }


@router.get(
    "/actions/{slug}/",
    response=schemas.Action,
    summary="Une fiche publiée",
    openapi_extra=problem_responses(404),
    tags=["fiches"],
)
def get_action(request, slug: str, response: HttpResponse):
    with published_language():
        ids = list(Action.objects.published().filter(slug=slug).values_list("pk", flat=True))
        found = sheet_records(ids, Links.for_request(request))
    if not found:
        raise Http404
    (record,) = found
    response["Last-Modified"] = http_date(record["updated_at"].timestamp())
    return record


@router.get(
    "/facets/",
    response=schemas.Facets,
    summary="Les effectifs des filtres d'une sélection (ceux du catalogue)",
    description="Pour chaque filtre, chaque valeur et le nombre de fiches que la sélection "
    "compterait avec elle : les mêmes nombres que la colonne des filtres du catalogue.",
    openapi_extra=CATALOGUE_PARAMETERS,
    tags=["fiches"],
)
def facets(request):
    filterset = selection(request)
    counted = count_facets(filterset.selection)
    with published_language():
        return {
            "count": counted.total if counted.total is not None else filterset.qs.count(),
            "ignored": ignored(filterset),
            "facets": [
                {
                    "name": facet.name,
                    "label": str(facet.label),
                    "options": [
                        {
                            "value": option.value,
                            "label": option.label,
                            "count": option.count,
                            "selected": option.selected,
                        }
                        for option in facet.options
                    ],
                }
                for facet in counted.facets
            ],
        }


# The network and the vocabularies --------------------------------------------------------------


def counted_structures(queryset) -> dict:
    """{pk: row} of ``queryset``'s structures: their published fields and ``action_count``."""
    rows = count_per(queryset, "structure", Within.catalogue())
    return {row["pk"]: row for row in rows.values("pk", *STRUCTURE_FIELDS, "action_count")}


@router.get(
    "/structures/",
    response=schemas.StructurePage,
    summary="Les structures (centres sociaux, espaces de vie sociale), par slug",
    openapi_extra=problem_responses(400),
    tags=["réseau"],
)
def list_structures(
    request,
    cursor: str | None = Query(None, description="La valeur `next` de la page précédente."),
    limit: int = Query(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    page = keyset_page(request, Structure.objects.order_by("slug", "pk"), cursor, limit)
    rows = counted_structures(Structure.objects.filter(pk__in=page.ids))
    links = Links.for_request(request)
    with published_language():
        return {
            "next": next_url(request, page.next_cursor),
            "results": [
                {**structure_record(rows[pk], links), "action_count": rows[pk]["action_count"]}
                for pk in page.ids
            ],
        }


@router.get(
    "/structures/{slug}/",
    response=schemas.Structure,
    summary="Une structure",
    openapi_extra=problem_responses(404),
    tags=["réseau"],
)
def get_structure(request, slug: str):
    rows = counted_structures(Structure.objects.filter(slug=slug))
    if not rows:
        raise Http404
    (row,) = rows.values()
    with published_language():
        record = structure_record(row, Links.for_request(request))
    return {**record, "action_count": row["action_count"]}


@router.get(
    "/federations/",
    response=list[schemas.Federation],
    summary="Les fédérations et les départements qu'elles couvrent",
    tags=["réseau"],
)
def list_federations(request):
    links = Links.for_request(request)
    rows = option_counts(FEDERATION, Within.catalogue()).prefetch_related("departments")
    return [{**federation_record(row, links), "action_count": row.action_count} for row in rows]


@router.get(
    "/departements/",
    response=list[schemas.Department],
    summary="Les départements (codes INSEE)",
    tags=["réseau"],
)
def list_departments(request):
    links = Links.for_request(request)
    rows = option_counts(DEPARTEMENT, Within.catalogue()).select_related("region")
    return [{**department_record(row, links), "action_count": row.action_count} for row in rows]


@router.get(
    "/regions/", response=list[schemas.Region], summary="Les régions (codes INSEE)", tags=["réseau"]
)
def list_regions(request):
    rows = option_counts(REGION, Within.catalogue())
    return [{"code": r.code, "name": r.name, "action_count": r.action_count} for r in rows]


@router.get(
    "/partners/",
    response=schemas.PartnerPage,
    summary="Les partenaires et financeurs que nomment des fiches publiées, par slug",
    openapi_extra=problem_responses(400),
    tags=["réseau"],
)
def list_partners(
    request,
    cursor: str | None = Query(None, description="La valeur `next` de la page précédente."),
    limit: int = Query(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    page = keyset_page(request, Partner.objects.public().order_by("slug", "pk"), cursor, limit)
    rows = (
        Partner.objects.public().filter(pk__in=page.ids).values_list("pk", "slug", "name", "kind")
    )
    by_pk = {pk: values for pk, *values in rows}
    with published_language():
        results = [partner_ref(*by_pk[pk]) for pk in page.ids]
    return {"next": next_url(request, page.next_cursor), "results": results}


def vocabulary_endpoint(facet) -> None:
    """``GET /<values of the filter>/``: one vocabulary of the published format, in its
    order, with the number of published sheets of each entry."""
    name = collection(facet.options.model)

    def list_entries(request):
        rows = option_counts(facet, Within.catalogue())
        return [{**vocabulary_record(row), "action_count": row.action_count} for row in rows]

    router.get(
        f"/{name}/",
        response=list[schemas.VocabularyEntry],
        summary=f"Vocabulaire : {facet.options.model._meta.verbose_name_plural}",
        description=f"Les valeurs du filtre `{facet.name}`.",
        operation_id=f"list_{name}",
        url_name=f"list_{name}",
        tags=["vocabulaires"],
    )(list_entries)


for vocabulary_facet in vocabulary_facets():
    vocabulary_endpoint(vocabulary_facet)

api.add_router("", router)
