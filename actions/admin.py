import uuid
from datetime import datetime
from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from federations.people import person_name
from federations.perms import is_moderator

from . import admin_views, sections
from .attachments import DownloadLinkFileInput
from .conflicts import differences
from .enums import PublicationStatus
from .formatting import format_day, format_euros
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
    SheetProvenance,
    TerritoryScale,
    Theme,
)
from .services import content, files, publication
from .services.content import AlreadyCreated
from .services.versions import EditConflict


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


for vocabulary in (Theme, Public, Dimension, Initiative, TerritoryScale):
    admin.site.register(vocabulary, VocabularyAdmin)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "private_to"]
    list_filter = ["kind", ("private_to", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# Files are linked through the protected download view, never MEDIA_ROOT.
DOWNLOAD_LINKS = {models.FileField: {"widget": DownloadLinkFileInput}}


class LabelledLines(BaseInlineFormSet):
    """Lines whose every input is named for assistive technologies: a tabular inline shows
    its labels as column headers only, which screen readers do not tie to the inputs (axe:
    ``label``, ``select-name``)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(field.label or name))


class BoundedInline(admin.TabularInline):
    """An inline that never builds more than ``max_num`` forms, whatever TOTAL_FORMS a request
    claims (the admin leaves a formset's ``absolute_max`` at ``max_num`` + 1,000). The workspace
    allows 30 lines; moderators may go further."""

    extra = 0
    max_num = 100
    formset = LabelledLines

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.max_num)
        return super().get_formset(request, obj, **kwargs)


class ActionPartnerInline(BoundedInline):
    model = ActionPartner
    autocomplete_fields = ["partner"]


class FundingInline(BoundedInline):
    model = Funding
    autocomplete_fields = ["funder"]


class AttachmentInline(BoundedInline):
    model = Attachment
    formfield_overrides = DOWNLOAD_LINKS
    fields = ["title", "file", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["content_type", "size", "uploaded_by", "uploaded_at"]


# What needs attention first: submitted sheets, then published sheets changed since.
MODERATION_PRIORITY = Case(
    When(publication_status=PublicationStatus.SUBMITTED, then=Value(0)),
    When(
        publication_status=PublicationStatus.PUBLISHED,
        modified_since_publication=True,
        then=Value(1),
    ),
    default=Value(2),
    output_field=IntegerField(),
)


def format_fieldsets() -> list[tuple[str, dict]]:
    """The fieldsets of the sheet's content: the sections' columns, by ``Section.group`` in the
    order of the published format, with the title, slug and year among the identification and
    the total of the funding lines after the budget."""
    groups: dict[str, list[str]] = {}
    for section in sections.sections():
        groups.setdefault(section.group, []).extend(section.columns)
    identification = groups.setdefault(sections.IDENTIFICATION, [])
    identification[:0] = [sections.TITLE, "slug"]
    identification.append("year")
    for fields in groups.values():
        if "total_budget" in fields:
            fields.insert(fields.index("total_budget") + 1, "funding_total_display")
    return [(group, {"fields": fields}) for group, fields in groups.items() if fields]


# Recent changes shown on the change page (the whole list is on the "Historique" page).
RECENT_CHANGES = 10


class ActionHistoryContextHelper(HistoricalRecordContextHelper):
    """Show changed values as people read them: choice labels, local dates, "oui"/"non",
    names joined by commas, "—" for nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            return ", ".join(str(item) for item in value) or "—"
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        if isinstance(value, datetime):
            return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
        return value


class ActionAdminForm(forms.ModelForm):
    """The change form carries the version it was loaded at (``loaded_version``), which the
    save claims (``actions.services.versions``): a save made after someone else saved the
    sheet, in the workspace or here, is refused and shown as a conflict instead of overwriting
    their work. The add form carries a creation token: posted twice, it creates one sheet.

    ``conflict`` is the sheet as saved by the other person, when the form is shown again after
    a conflict (``ActionAdmin.changeform_view``): it then refuses to save, once.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    conflict: Action | None = None

    class Meta:
        model = Action
        fields = "__all__"  # noqa: DJ007 - the admin takes its fields from the fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "loaded_version" in self.fields:
            self.fields["loaded_version"].initial = self.instance.version
        if "form_token" in self.fields:
            self.fields["form_token"].initial = uuid.uuid4

    def clean(self):
        cleaned_data = super().clean()
        if "loaded_version" in self.fields and cleaned_data.get("loaded_version") is None:
            # Hidden: said at the top of the form rather than next to an invisible field.
            self.errors.pop("loaded_version", None)
            raise ValidationError(
                _("Version de la fiche illisible : rechargez la page."), code="no_version"
            )
        if self.conflict is not None:
            raise ValidationError(
                _(
                    "Vos modifications n'ont pas été enregistrées : %(user)s a enregistré "
                    "cette fiche le %(date)s, après l'ouverture de ce formulaire. Votre saisie "
                    "est conservée ci-dessous et les différences sont indiquées en haut de la "
                    "page ; enregistrer de nouveau remplacera la version enregistrée."
                ),
                code="edit_conflict",
                params={
                    "user": person_name(self.conflict.updated_by) or _("quelqu'un"),
                    "date": date_format(localtime(self.conflict.updated_at), "DATETIME_FORMAT"),
                },
            )
        return cleaned_data


# The sheet's people, shown read-only by their names (``federations.people``) rather than by
# their accounts' logins.
PEOPLE_FIELDS = {
    "submitted_by": "submitted_by_name",
    "created_by": "created_by_name",
    "updated_by": "updated_by_name",
}

# Fields of the admin form that are not the sheet's content.
FORM_ONLY_FIELDS = ("loaded_version", "form_token")


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    """Moderation of the action sheets.

    The publication columns are read-only here: they change only through
    ``actions.services.publication``, which the moderation actions call, so the admin follows
    the same rules as the rest of the portal. A moderation decision is taken on the version
    the moderator's page showed (each row of the list, and the change page, carry it). Content
    is saved through ``actions.services.content``, like the workspace's. Reverting to an old
    version from the history is disabled for the same reason (it would restore the old
    publication state).
    """

    # Narrow columns, so that the queue reads at 1280 px without scrolling sideways: the
    # structure with its department's code, the federation's short name (the whole name in the
    # filter), the state as a badge, completeness as a number.
    list_display = [
        "title",
        "structure_display",
        "federation",
        "moderation_state",
        "submission",
        "completeness_display",
        "funding_column",
    ]
    list_filter = [
        "publication_status",
        "modified_since_publication",
        "modified_during_review",
        ("submitted_at", admin.DateFieldListFilter),
        ("structure__federation", admin.RelatedOnlyFieldListFilter),
        ("structure__department", admin.RelatedOnlyFieldListFilter),
        ("themes", admin.RelatedOnlyFieldListFilter),
        "status",
        "dimension",
    ]
    show_facets = admin.ShowFacets.ALWAYS
    list_select_related = ["structure__department", "structure__federation", "submitted_by"]
    search_fields = [
        "title",
        "structure__name",
        "structure__commune",
        "summary",
        "description",
        "experience",
    ]
    autocomplete_fields = ["structure", "dimension", "territory_scale"]
    filter_horizontal = ["themes", "publics", "initiatives"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        *publication.PUBLICATION_FIELDS,
        "completeness_display",
        "provenance_display",
        "funding_total_display",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "version",
    ]
    fieldsets = [
        (
            _("Publication"),
            {
                "description": _(
                    "Ces informations changent par les décisions de modération : les actions "
                    "de la liste des fiches (« Publier », « Refuser », « Repasser en "
                    "brouillon ») et les boutons « Publier cette version » et « Refuser cette "
                    "version… » de cette page."
                ),
                "fields": [
                    *publication.PUBLICATION_FIELDS,
                    "completeness_display",
                    "provenance_display",
                ],
            },
        ),
        *format_fieldsets(),
        (
            _("Suivi"),
            {
                "classes": ["collapse"],
                "fields": [
                    "created_by",
                    "created_at",
                    "updated_by",
                    "updated_at",
                    "version",
                ],
            },
        ),
    ]
    inlines = [ActionPartnerInline, FundingInline, AttachmentInline]
    form = ActionAdminForm
    date_hierarchy = "created_at"
    actions = ["publish_selected", "reject_selected", "back_to_draft"]

    def get_fieldsets(self, request, obj=None):
        """The hidden field of the form's kind (see ``ActionAdminForm``) in the last set; the
        people who submitted, created and saved the sheet named as everywhere else
        (``PEOPLE_FIELDS``)."""
        *fieldsets, (title, options) = super().get_fieldsets(request, obj)
        hidden = "loaded_version" if obj is not None else "form_token"
        fieldsets = [*fieldsets, (title, {**options, "fields": [*options["fields"], hidden]})]
        return [
            (title, {**options, "fields": [PEOPLE_FIELDS.get(f, f) for f in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *PEOPLE_FIELDS.values()]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        conflict = getattr(request, "edit_conflict", None)
        if conflict is None:
            return form
        return type(form.__name__, (form,), {"conflict": conflict})

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_funding_total()
            .prefetch_related(*sections.completeness_prefetch())
        )

    def get_ordering(self, request):
        """Sheets awaiting moderation first, the longest waiting first; then the latest
        updated.

        Expressions rather than annotations: other admins order their choices of sheets with
        this ordering on a plain queryset.
        """
        return [
            MODERATION_PRIORITY.asc(),
            F("submitted_at").asc(nulls_last=True),
            "-updated_at",
        ]

    def view_on_site(self, obj):
        """Only a published sheet has a public page to show."""
        return obj.get_absolute_url() if obj.is_published else None

    # Columns

    @admin.display(description=_("structure (département)"), ordering="structure__name")
    def structure_display(self, obj):
        return format_html(
            '{} <span class="quiet">({})</span>',
            obj.structure.name,
            obj.structure.department.code,
        )

    @admin.display(description=_("fédération"), ordering="structure__federation__name")
    def federation(self, obj):
        federation = obj.structure.federation
        if federation is None:
            return "—"
        return format_html('<span title="{}">{}</span>', federation.name, federation.short_name)

    @admin.display(description=_("état"), ordering=MODERATION_PRIORITY)
    def moderation_state(self, obj):
        """The state as a badge, and what the moderator should know about it."""
        notes = []
        if obj.is_published and obj.modified_since_publication:
            notes.append(_("modifiée"))
        if obj.modified_during_review:
            notes.append(_("modifiée depuis votre lecture"))
        return format_html(
            '<span class="state-badge state-{}">{}</span>{}',
            obj.publication_status,
            obj.get_publication_status_display(),
            format_html_join("", '<span class="state-note">{}</span>', ((n,) for n in notes)),
        )

    def action_checkbox(self, obj):
        """The row's checkbox, with the version the row shows: the moderation actions decide
        on that version (``admin_views.reviewed_versions``)."""
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">',
            super().action_checkbox(obj),
            admin_views.reviewed_version_name(obj.pk),
            obj.version,
        )

    @admin.display(description=_("soumise par, le"), ordering="submitted_at")
    def submission(self, obj):
        if not (obj.submitted_by_id or obj.submitted_at):
            return "—"
        return format_html(
            "{}<br>{}",
            person_name(obj.submitted_by) if obj.submitted_by_id else "—",
            date_format(localtime(obj.submitted_at), "SHORT_DATETIME_FORMAT")
            if obj.submitted_at
            else "",
        )

    @admin.display(description=Action._meta.get_field("submitted_by").verbose_name)
    def submitted_by_name(self, obj):
        return person_name(obj.submitted_by) or "—"

    @admin.display(description=Action._meta.get_field("created_by").verbose_name)
    def created_by_name(self, obj):
        return person_name(obj.created_by) or "—"

    @admin.display(description=Action._meta.get_field("updated_by").verbose_name)
    def updated_by_name(self, obj):
        return person_name(obj.updated_by) or "—"

    @admin.display(description=_("complétude"))
    def completeness_display(self, obj):
        return f"{obj.completeness()}\u202f%" if obj.pk else "—"

    @admin.display(description=_("provenance d'import"))
    def provenance_display(self, obj):
        """Where an imported sheet comes from, and the section its page cut (incomplete)."""
        provenance = SheetProvenance.objects.filter(action_id=obj.pk).first() if obj.pk else None
        if provenance is None:
            return "—"
        text = _("%(source)s, importée le %(date)s") % {
            "source": provenance.source,
            "date": format_day(provenance.imported_at),
        }
        if provenance.cut_section:
            cut = sections.section(provenance.cut_section)
            text += " — " + _("incomplète : la page s'arrêtait dans « %s »") % (
                (cut.label or cut.legacy_labels[0]) if cut else _("le titre")
            )
        return text

    @admin.display(description=_("total des financements"), ordering="funding_total")
    def funding_total_display(self, obj):
        if hasattr(obj, "funding_total"):
            total = obj.funding_total
        else:  # the change form's read-only field, for one object
            total = obj.fundings.aggregate(total=Sum("amount"))["total"] if obj.pk else 0
        return format_euros(total or 0)

    @admin.display(description=_("financements"), ordering="funding_total")
    def funding_column(self, obj):
        """``funding_total_display`` under a header as narrow as its figures."""
        return self.funding_total_display(obj)

    # Moderation: bulk actions through actions.services.publication

    def has_moderate_permission(self, request):
        return is_moderator(request.user) and self.has_change_permission(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Publier"), permissions=["moderate"])
    def publish_selected(self, request, queryset):
        result = publication.apply_to_each(
            publication.publish_action,
            queryset.prefetch_related(None),
            user=request.user,
            reviewed_versions=admin_views.reviewed_versions(request),
        )
        count = len(result.done)
        admin_views.report(
            self,
            request,
            result,
            ngettext("%(count)d fiche publiée.", "%(count)d fiches publiées.", count),
        )

    @admin.action(description=_("Refuser"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        return admin_views.reject_selected(self, request, queryset.prefetch_related(None))

    @admin.action(description=_("Repasser en brouillon"), permissions=["moderate"])
    def back_to_draft(self, request, queryset):
        result = publication.apply_to_each(
            publication.back_to_draft, queryset.prefetch_related(None), user=request.user
        )
        count = len(result.done)
        admin_views.report(
            self,
            request,
            result,
            ngettext(
                "%(count)d fiche repassée en brouillon.",
                "%(count)d fiches repassées en brouillon.",
                count,
            ),
        )

    # Change form: content through actions.services.content, conflicts shown, histories shown

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save refused because someone saved meanwhile shows the form again with what was
        typed, what the other person saved and the differences (status 409); saving again
        then overwrites knowingly (the form carries the current version). A creation form
        posted twice goes to the sheet its first post created."""
        if request.method == "POST" and object_id is None:
            created = Action.objects.created_with(request.POST.get("form_token")).first()
            if created is not None and self.has_view_or_change_permission(request, created):
                return self.land_on(request, created)
        try:
            # Around the admin's transaction, which goes on after ``save_related``.
            with files.discarding_unsaved_files():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except AlreadyCreated as created:
            return self.land_on(request, created.action)
        except EditConflict as conflict:
            request.edit_conflict = conflict.current
            data = request.POST.copy()
            data["loaded_version"] = str(conflict.current.version)
            request.POST = data
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 409
            return response

    def land_on(self, request, action: Action):
        self.message_user(
            request,
            _("Ce formulaire avait déjà été envoyé : la fiche créée alors est ci-dessous."),
            messages.INFO,
        )
        return redirect(reverse("admin:actions_action_change", args=[action.pk]))

    def save_model(self, request, obj, form, change):
        """Nothing here: ``save_related`` writes the sheet with its choices and lines, in one
        ``actions.services.content.saving``."""

    def save_related(self, request, form, formsets, change):
        fields = [name for name in form.fields if name not in FORM_ONLY_FIELDS]
        with content.saving(
            form.instance,
            user=request.user,
            fields=fields,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
            creation_token=None if change else form.cleaned_data.get("form_token"),
        ) as save:
            form.save_m2m()
            for formset in formsets:
                save.save_lines(formset, label=str(formset.model._meta.verbose_name_plural))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        current = getattr(request, "edit_conflict", None)
        if obj is not None and obj.pk:
            context["moderation_events"] = obj.moderation_events.select_related("actor")
            context["recent_changes"] = self.recent_changes(request, obj)
            # Not while the page shows what was typed rather than the version saved.
            context["moderation"] = None if current else self.moderation_of(request, obj)
        if current is not None:
            context["conflict"] = {
                "current": current,
                "differences": differences(current, context["adminform"].form),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def moderation_of(self, request, obj) -> dict | None:
        """The decisions the change page offers on the version it shows, if any."""
        if not self.has_moderate_permission(request):
            return None
        can_publish = publication.can_publish(obj) is None
        can_reject = publication.can_reject(obj) is None
        if not (can_publish or can_reject):
            return None
        return {
            "version": obj.version,
            "version_field": admin_views.reviewed_version_name(obj.pk),
            "can_publish": can_publish,
            "can_reject": can_reject,
            "changelist_url": reverse("admin:actions_action_changelist"),
        }

    def recent_changes(self, request, obj):
        """The latest historical records with the values that changed in each.

        One more record than shown is read so that the oldest shown one has a predecessor to
        be compared with.
        """
        records = list(
            self.get_history_queryset(request, Action.history, "id", obj.pk)[: RECENT_CHANGES + 1]
        )
        self.set_history_delta_changes(request, records)
        return records[:RECENT_CHANGES]

    def get_historical_record_context_helper(self, request, historical_record):
        return ActionHistoryContextHelper(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        """A 404 rather than simple-history's crash for an id that is not a number."""
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Old versions can be looked at, not restored (see the class docstring)."""
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["action", "funder", "amount", "year"]
    list_filter = ["funder__kind", "year"]
    list_select_related = ["action", "funder"]
    search_fields = ["action__title", "funder__name", "note"]
    autocomplete_fields = ["action", "funder"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Every file of every sheet, to find one; read-only. A sheet's files are added, replaced
    and removed on the sheet's own page, through the write path (``actions.services``): its
    version guard, its history and the files following its transaction."""

    list_display = ["title", "action", "content_type", "size", "uploaded_at"]
    list_select_related = ["action"]
    search_fields = ["title", "action__title"]
    fields = ["title", "action", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download"]

    @admin.display(description=_("fichier"))
    def download(self, attachment):
        url = reverse("attachments:download", args=[attachment.pk])
        return format_html('<a href="{}">{}</a>', url, PurePath(attachment.file.name).name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
