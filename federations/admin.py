from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Department, Federation, Membership, Region, Structure


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "department_count"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(department_total=Count("departments"))

    @admin.display(description=_("départements"), ordering="department_total")
    def department_count(self, obj):
        return obj.department_total


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin):
    list_display = ["name", "department_codes", "structure_count", "email"]
    list_filter = ["departments__region"]
    search_fields = ["name", "departments__name", "departments__code"]
    autocomplete_fields = ["departments"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(structure_total=Count("structures", distinct=True))
            .prefetch_related("departments")
        )

    @admin.display(description=_("départements"))
    def department_codes(self, obj):
        return ", ".join(department.code for department in obj.departments.all())

    @admin.display(description=_("structures"), ordering="structure_total")
    def structure_count(self, obj):
        return obj.structure_total


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    """The identity card in the groups of the observatory's directory (``import_structures``
    fills them in)."""

    list_display = ["name", "kind", "department", "federation", "commune"]
    list_filter = ["kind", "federation", "in_priority_area", "department__region", "department"]
    list_select_related = ["department", "federation"]
    search_fields = ["name", "commune", "postcode", "siret"]
    autocomplete_fields = ["department", "federation"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "department", "federation"]}),
        (
            _("Fiche identité"),
            {"fields": ["address", "postcode", "commune", "email", "website", "siret"]},
        ),
        (_("Historique"), {"fields": ["first_agrement_date", "population", "history"]}),
        (
            _("Axes du projet en cours"),
            {"fields": Structure.PROJECT_AXES},
        ),
        (
            _("Gestion et territoire d'intervention"),
            {
                "fields": [
                    "management_mode",
                    "territory_type",
                    "territory_size",
                    "priority_geography",
                    "in_priority_area",
                ]
            },
        ),
        (_("Adhésion à une fédération"), {"fields": ["federation_membership", "other_federation"]}),
        (
            _("Spécificités de la structure"),
            {"fields": ["for_travellers", "multi_site", "itinerant"]},
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "federation", "role", "structure", "created_at"]
    list_filter = ["role", "federation"]
    list_select_related = ["user", "federation", "structure"]
    search_fields = ["user__username", "user__email", "federation__name", "structure__name"]
    autocomplete_fields = ["user", "federation", "structure"]
