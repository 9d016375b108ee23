from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import invitations
from .models import Department, Federation, Invitation, Membership, Region, Structure


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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """The admin invites like federation staff do, through ``federations.invitations`` (which
    sends the e-mail); an invitation is never edited afterwards."""

    list_display = ["email", "federation", "role", "structure", "created_at", "accepted_at"]
    list_filter = ["role", "federation"]
    list_select_related = ["federation", "structure"]
    search_fields = ["email", "federation__name", "structure__name"]
    autocomplete_fields = ["federation", "structure"]
    fields = ["email", "federation", "role", "structure"]
    history_fields = ["invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CheckedForm(form):
            def clean(self):
                cleaned = super().clean()
                if self.errors:
                    return cleaned
                try:
                    invitations.check_grant(
                        inviter=request.user,
                        federation=cleaned.get("federation"),
                        role=cleaned.get("role"),
                        structure=cleaned.get("structure"),
                    )
                except invitations.InvitationRefused as refusal:
                    raise ValidationError(str(refusal)) from refusal
                return cleaned

        return CheckedForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            *self.fields,
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "accepted_by",
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = invitations.invite(
            inviter=request.user,
            email=obj.email,
            federation=obj.federation,
            role=obj.role,
            structure=obj.structure,
        )
        obj.pk = created.pk

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)
