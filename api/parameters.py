"""The catalogue's filters as OpenAPI query parameters, read from ``ActionFilterSet`` itself.

The API never parses these parameters: it hands the query string to the filter set, as the
catalogue page does (malformed values are ignored, the rest applies). This module only
describes them, so the document lists the catalogue's filters, whatever they are today.
"""

from django import forms
from django.utils.translation import override

from catalogue.facets.declaration import Choices, MostFrequent, Reference
from catalogue.filters import ActionFilterSet, FacetFilter
from catalogue.records import collection


def _values_note(filter_) -> str:
    if isinstance(filter_, FacetFilter):
        options = filter_.facet.options
        if isinstance(options, Reference | MostFrequent):
            return (
                f" Valeurs : le `{options.value_field}` des entrées de "
                f"`{collection(options.model)}/`."
            )
    if filter_.field_name == "structure__slug":
        return " Valeur : le `slug` d'une entrée de `structures/`."
    return ""


def _schema(filter_, field: forms.Field) -> dict:
    if isinstance(filter_, FacetFilter) and isinstance(filter_.facet.options, Choices):
        values = list(filter_.facet.options.choices.values)
        schema = {"type": "string", "enum": values}
    elif getattr(field, "choices", None) and not isinstance(filter_, FacetFilter):
        schema = {"type": "string", "enum": [value for value, _ in field.choices]}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": schema}
    return schema


def filter_parameters() -> list[dict]:
    """Every filter of the catalogue (and its sort), as OpenAPI query parameters."""
    parameters = []
    with override("fr"):
        filterset = ActionFilterSet()
        for name, filter_ in filterset.filters.items():
            field = filter_.field
            multiple = isinstance(field, forms.MultipleChoiceField)
            description = f"{filter_.label}." + _values_note(filter_)
            if multiple:
                description += " Répéter le paramètre pour plusieurs valeurs (alternatives)."
            parameter = {
                "in": "query",
                "name": name,
                "required": False,
                "description": description,
                "schema": _schema(filter_, field),
            }
            if multiple:
                parameter.update(style="form", explode=True)
            parameters.append(parameter)
    return parameters
