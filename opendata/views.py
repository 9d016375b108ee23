"""/donnees/: the latest bulk download (its files, sizes, date, licence, and the schema of
every table as a readable page), and its files."""

import json
from datetime import datetime

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe
from django.views.generic import TemplateView

from .export import DCAT, LICENCE, PACKAGE

TYPE_LABELS = {
    "string": _("texte"),
    "integer": _("nombre entier"),
    "number": _("nombre décimal"),
    "datetime": _("date et heure (UTC)"),
}
CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8; header=present",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
}


def latest_package() -> dict | None:
    """The package of the export /donnees/ serves, or None before the first one."""
    try:
        return json.loads((settings.OPEN_DATA_DIR / PACKAGE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def published_files(package: dict) -> set[str]:
    return {resource["path"] for resource in package["resources"]} | {PACKAGE, DCAT}


def _in_language(descriptor: dict, key: str) -> str:
    """A title or a description in the page's language (French or English)."""
    if get_language() == "en" and f"{key}_en" in descriptor:
        return descriptor[f"{key}_en"]
    return descriptor.get(key, "")


def _field(field: dict, schema: dict) -> dict:
    references = {
        key["fields"][0]: f"{key['reference']['resource']}.{key['reference']['fields'][0]}"
        for key in schema.get("foreignKeys", [])
    }
    constraints = field.get("constraints", {})
    return {
        "name": field["name"],
        "type": TYPE_LABELS.get(field["type"], field["type"]),
        "format": field.get("format", ""),
        "title": _in_language(field, "title"),
        "description": _in_language(field, "description"),
        "required": constraints.get("required", False),
        "unique": constraints.get("unique", False),
        "enum": constraints.get("enum", []),
        "primary": field["name"] in schema.get("primaryKey", []),
        "reference": references.get(field["name"], ""),
    }


def _resource(resource: dict) -> dict:
    schema = resource.get("schema")
    return {
        "name": resource["name"],
        "path": resource["path"],
        "format": resource["format"].upper(),
        "bytes": resource["bytes"],
        "rows": resource.get("rows"),
        "title": _in_language(resource, "title"),
        "description": _in_language(resource, "description"),
        "fields": [_field(field, schema) for field in schema["fields"]] if schema else [],
    }


class OpenDataView(TemplateView):
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        package = latest_package()
        context = {"licence": LICENCE, "package": package, **kwargs}
        if package is not None:
            directory = settings.OPEN_DATA_DIR
            context.update(
                title=_in_language(package, "title"),
                description=_in_language(package, "description"),
                created=datetime.fromisoformat(package["created"]),
                resources=[_resource(resource) for resource in package["resources"]],
                descriptions=[
                    {"path": name, "bytes": (directory / name).stat().st_size}
                    for name in (PACKAGE, DCAT)
                ],
            )
        return super().get_context_data(**context)


def _last_change(request, name: str) -> datetime | None:
    package = latest_package()
    return datetime.fromisoformat(package["created"]) if package else None


@require_safe
@condition(last_modified_func=_last_change)
def download(request, name: str):
    """A file of the latest export: only those its package lists."""
    package = latest_package()
    if package is None or name not in published_files(package):
        raise Http404
    path = settings.OPEN_DATA_DIR / name
    return FileResponse(open(path, "rb"), content_type=CONTENT_TYPES[path.suffix])


class RobotsView(TemplateView):
    """Crawlers: every public page (sitemap.xml) but the catalogue's endless combinations of
    filters, the exports, the API's answers, and the private areas."""

    template_name = "opendata/robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap_url = self.request.build_absolute_uri(reverse("opendata:sitemap"))
        return super().get_context_data(sitemap_url=sitemap_url, **kwargs)
