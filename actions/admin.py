from django.contrib import admin
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .formatting import format_euros
from .models import (
    Action,
    ActionPartner,
    Attachment,
    Dimension,
    Funding,
    Initiative,
    ModerationEvent,
    Partner,
    Public,
    TerritoryScale,
    Theme,
)


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


for vocabulary in (Theme, Public, Dimension, Initiative, TerritoryScale):
    admin.site.register(vocabulary, VocabularyAdmin)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ActionPartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0
    autocomplete_fields = ["partner"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["funder"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "file", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "structure",
        "department",
        "federation",
        "status",
        "publication_status",
        "funding_total_display",
        "updated_at",
    ]
    list_filter = [
        "publication_status",
        "status",
        "themes",
        "structure__department",
        "structure__federation",
        "dimension",
    ]
    list_select_related = ["structure__department", "structure__federation"]
    search_fields = ["title", "structure__name", "summary"]
    autocomplete_fields = ["structure", "dimension", "territory_scale"]
    filter_horizontal = ["themes", "publics", "initiatives"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["funding_total_display", "created_at", "updated_at", "version"]
    inlines = [ActionPartnerInline, FundingInline, AttachmentInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).with_funding_total()

    @admin.display(description=_("département"), ordering="structure__department__code")
    def department(self, obj):
        return obj.structure.department.code

    @admin.display(description=_("fédération"), ordering="structure__federation__name")
    def federation(self, obj):
        return obj.structure.federation

    @admin.display(description=_("total des financements"), ordering="funding_total")
    def funding_total_display(self, obj):
        if hasattr(obj, "funding_total"):
            total = obj.funding_total
        else:  # the change form's read-only field, for one object
            total = obj.fundings.aggregate(total=Sum("amount"))["total"] if obj.pk else 0
        return format_euros(total or 0)


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["action", "funder", "amount", "year"]
    list_filter = ["funder__kind", "year"]
    list_select_related = ["action", "funder"]
    search_fields = ["action__title", "funder__name", "note"]
    autocomplete_fields = ["action", "funder"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "action", "content_type", "size", "uploaded_at"]
    list_select_related = ["action"]
    search_fields = ["title", "action__title"]
    autocomplete_fields = ["action"]
    readonly_fields = ["content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ["action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    list_select_related = ["action", "actor"]
    search_fields = ["action__title", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
