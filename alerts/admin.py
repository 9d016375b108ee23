from django.contrib import admin

from .models import Alert, Digest, ModeratorDigest


class DigestInline(admin.TabularInline):
    model = Digest
    fields = ["period", "since", "until", "sheet_count", "sent_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-period"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["email", "label", "frequency", "confirmed_at", "covered_until", "created_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "label", "query"]
    readonly_fields = ["email", "user", "query", "created_at", "confirmed_at", "covered_until"]
    fields = ["email", "user", "label", "query", "frequency", *readonly_fields[3:]]
    inlines = [DigestInline]

    def has_add_permission(self, request):
        return False


@admin.register(ModeratorDigest)
class ModeratorDigestAdmin(admin.ModelAdmin):
    list_display = ["period", "waiting", "claimed_at", "sent_at"]
    readonly_fields = ["period", "waiting", "claimed_at", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
