"""The sheet form, laid out like the published sheet, and its inline lines.

One ``ActionForm`` holds the sheet's own fields in the order of ``actions.sections``; three
inline formsets hold its partners, funding lines and attachments. ``ActionForms`` bundles them
so that the view validates and the service saves them as one.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _

from actions import sections
from actions.enums import ActionStatus
from actions.models import Action, ActionPartner, Attachment, Funding
from actions.services.partners import NAME_MAX_LENGTH, find_partner
from federations.enums import MembershipRole
from federations.models import Department, Federation, Structure
from federations.perms import is_moderator
from federations.text import name_key

from .duplicates import similar_actions
from .uploads import ACCEPT, validate_attachment

REQUIRED_TO_SUBMIT = _("Section obligatoire pour soumettre la fiche à la modération.")


def _is_empty(value) -> bool:
    if hasattr(value, "exists"):  # a queryset of chosen themes or publics
        return not value.exists()
    if isinstance(value, str):
        return not value.strip()
    return not value


# The inline lines of a section, by kind: the formset's name in the template context, its
# prefix, and the field of a line that makes the section filled (None: it does not count).
LINES = {
    sections.ATTACHMENTS: ("attachment_formset", "fichiers", None),
    sections.PARTNERS: ("partner_formset", "partenaires", "partner_name"),
    sections.FUNDING: ("funding_formset", "financements", "funder_name"),
}


def sheet_fields() -> list[str]:
    """The sheet's fields the form edits: its title and year, then the columns of the
    current format's sections, in their order."""
    columns = [c for section in sections.current_sections() for c in section.columns]
    return [sections.TITLE, "year", *columns]


def section_labels() -> dict[str, str]:
    return {section.field: section.heading for section in sections.current_sections()}


def section_widgets() -> dict[str, forms.Widget]:
    widgets = {}
    for section in sections.current_sections():
        if section.kind == sections.CHOICE:
            widgets[section.field] = forms.RadioSelect
        elif section.kind == sections.TERMS:
            widgets[section.field] = forms.CheckboxSelectMultiple
        elif section.kind in sections.TEXT_KINDS:
            widgets[section.field] = forms.Textarea(attrs={"rows": section.rows})
    return widgets


def counted_inputs(section: sections.Section) -> str:
    """The inputs that make ``section`` filled, for the live completeness of workspace.js
    (the rule of ``actions.sections.is_filled``): its own, its details', and the named
    partner of its lines ("*" stands for a line's number)."""
    names = list(section.columns)
    if section.kind in LINES and (name := LINES[section.kind][2]):
        names.append(f"{LINES[section.kind][1]}-*-{name}")
    return " ".join(names)


class ActionForm(forms.ModelForm):
    """The sheet itself. ``submitting`` adds the sections moderation needs as required."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Version de la fiche illisible : rechargez la page."),
            "min_value": _("Version de la fiche illisible : rechargez la page."),
        },
    )
    create_anyway = forms.BooleanField(
        required=False,
        label=_("Ce n'est pas un doublon : créer quand même cette nouvelle fiche"),
    )
    # A new sheet's form is posted once: a second post of it (a double click) lands on the
    # sheet the first one created (actions.services.content).
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = sheet_fields()
        labels = {
            "title": _("Titre de l'action"),
            "year": _("Année de l'action"),
            **section_labels(),
            "financial_resources": _("Ressources financières mobilisées (texte libre)"),
            "people_mobilised": _("Personnes mobilisées (texte libre)"),
        }
        help_texts = {
            "end_reason": _("Seulement pour une action terminée."),
            "financial_resources": _(
                "Le texte tel que rédigé ; les financements chiffrés se saisissent ligne par "
                "ligne ci-dessous."
            ),
        }
        widgets = {
            "year": forms.NumberInput(attrs={"min": 1950, "max": 2100}),
            **section_widgets(),
        }

    def __init__(self, *args, user, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.submitting = submitting
        self.similar: list[Action] = []
        self.already_created: Action | None = None
        self.fields["structure"].queryset = Structure.objects.editable_by(user).order_by("name")
        self.fields["structure"].empty_label = _("— choisir la structure —")
        if self.instance.pk is None and not self.initial.get("structure"):
            reachable = list(self.fields["structure"].queryset.values_list("pk", flat=True)[:2])
            if len(reachable) == 1:
                self.initial["structure"] = reachable[0]
        for section in sections.current_sections():
            if section.kind == sections.TERM:
                self.fields[section.field].empty_label = _("— non renseigné —")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _(
                "Version de la fiche manquante : rechargez la page."
            )
            del self.fields["create_anyway"]
            del self.fields["form_token"]
        else:
            self.fields["form_token"].initial = uuid.uuid4
        for name, _heading in sections.required_for_submission():
            field = self.fields[name]
            if not field.required:
                field.widget.attrs["data-required-to-submit"] = "true"
                field.help_text = (
                    f"{field.help_text} {REQUIRED_TO_SUBMIT}"
                    if field.help_text
                    else REQUIRED_TO_SUBMIT
                )
        self.helper = self._helper()

    @property
    def is_creation(self) -> bool:
        return self.instance.pk is None

    @property
    def required_to_submit(self) -> list[str]:
        """The headings of what a sheet needs before it is submitted (for the page's note)."""
        return [str(heading) for _name, heading in sections.required_for_submission()]

    def _helper(self) -> FormHelper:
        """The layout of the published sheet: a fieldset per section of the current format,
        with its own field, its details and its lines."""

        def lines(formset: str) -> HTML:
            return HTML(f'{{% include "workspace/includes/formset.html" with formset={formset} %}}')

        def fieldset(section: sections.Section) -> Fieldset:
            content = []
            if section.kind == sections.TERMS:
                content.append(Field(section.field, wrapper_class="checkbox-columns"))
            elif section.kind not in sections.LINE_KINDS:
                content.append(section.field)
            if section.details:
                content.append(
                    Row(*(Column(name, css_class="col-sm-4") for name in section.details))
                )
            if section.kind in LINES:
                content.append(lines(LINES[section.kind][0]))
            # A one-field section: the legend already names the field, its label is only
            # kept for screen readers (see workspace.css).
            single = len(content) == 1 and not isinstance(content[0], HTML)
            legend = conditional_escape(section.heading)
            if single and self.fields[section.field].required:
                # Its label, starred by crispy-forms like every required field's, is hidden.
                legend = format_html('{}<span class="asteriskField">*</span>', legend)
            return Fieldset(
                legend,
                *content,
                css_class="sheet-fieldset border-top pt-3 mt-3",
                data_section=section.field,
                data_single="1" if single else "0",
                data_counts="1" if section.counts_for_completeness else "0",
                data_counted=counted_inputs(section),
            )

        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            "version",
            *(["form_token"] if "form_token" in self.fields else []),
            Fieldset(
                sections.TITLE_HEADING,
                sections.TITLE,
                Field("year", css_class="w-auto"),
                css_class="sheet-fieldset",
                data_section=sections.TITLE,
            ),
            *(fieldset(section) for section in sections.current_sections()),
        )
        return helper

    def clean_form_token(self):
        """A form posted twice: ``already_created`` is the sheet its first post created."""
        token = self.cleaned_data.get("form_token")
        if token is not None:
            self.already_created = (
                Action.objects.editable_by(self.user).created_with(token).only("pk").first()
            )
        return token

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        end_reason = (cleaned.get("end_reason") or "").strip()
        cleaned["end_reason"] = end_reason
        if status == ActionStatus.FINISHED and not end_reason:
            self.add_error("end_reason", _("Indiquez pourquoi l'action est terminée."))
        elif status == ActionStatus.ONGOING and end_reason:
            self.add_error(
                "end_reason",
                _(
                    "Une action en cours n'a pas de raison de fin : videz ce champ ou choisissez "
                    "le statut « Terminée »."
                ),
            )
        if self.submitting:
            for name, _heading in sections.required_for_submission():
                if name in self.errors:
                    continue
                if _is_empty(cleaned.get(name)):
                    self.add_error(name, REQUIRED_TO_SUBMIT)
        if self.is_creation and not cleaned.get("create_anyway"):
            title, structure = cleaned.get("title"), cleaned.get("structure")
            if title and structure:
                self.similar = similar_actions(structure=structure, title=title)
                if self.similar:
                    self.add_error(
                        "title",
                        forms.ValidationError(
                            _(
                                "Cette structure a déjà une fiche au titre très proche : "
                                "vérifiez qu'il ne s'agit pas d'un doublon, puis cochez "
                                "« créer quand même » pour confirmer."
                            ),
                            code="possible_duplicate",
                        ),
                    )
        return cleaned


class LineFormSet(BaseInlineFormSet):
    """Inline lines naming a partner: the partners are read with the lines (one query)."""

    partner_field: str = ""

    def __init__(self, *args, queryset=None, **kwargs):
        if queryset is None and self.partner_field:
            queryset = self.model._default_manager.select_related(self.partner_field)
        super().__init__(*args, queryset=queryset, **kwargs)


PARTNER_NAMES_LIST = "partner-names"


def partner_name_field(*, label, help_text, required_message) -> forms.CharField:
    """The text input of a line's partner; the page's ``<datalist>`` of suggestions is
    ``PARTNER_NAMES_LIST`` (filled by workspace.js)."""
    return forms.CharField(
        label=label,
        max_length=NAME_MAX_LENGTH,
        help_text=help_text,
        error_messages={"required": required_message},
        widget=forms.TextInput(
            attrs={"list": PARTNER_NAMES_LIST, "autocomplete": "off", "data-partner-name": ""}
        ),
    )


class PartnerSearchForm(forms.Form):
    """What the partner suggestions are asked for: part of a name, as typed."""

    q = forms.CharField(max_length=NAME_MAX_LENGTH, required=False)


class PartnerLineForm(forms.ModelForm):
    """A partner named by typing it: an existing one (spelling aside, see
    ``actions.services.partners.find_partner``) or a new one, which the save creates.

    The page lists no partner: a line is one text input, and the browser suggests names
    from ``workspace:partner_suggestions`` (the partners the user may see) as they type.
    Listing every partner on every line made one page of 30 lines weigh megabytes.
    """

    partner_field = "partner"
    name_field = "partner_name"
    partner_name = partner_name_field(
        label=_("Partenaire"),
        help_text=_("Commencez à taper son nom : les partenaires connus sont proposés."),
        required_message=_("Saisissez le nom du partenaire."),
    )

    class Meta:
        model = ActionPartner
        fields = ["partner_name", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.instance, f"{self.partner_field}_id", None):
            partner = getattr(self.instance, self.partner_field)
            self.initial.setdefault(self.name_field, partner.name)
        self.new_name = ""

    def clean(self):
        """The line's partner when the name is known; otherwise ``new_name`` is kept for the
        save, which creates the partner (``workspace.services``)."""
        cleaned = super().clean()
        name = " ".join((cleaned.get(self.name_field) or "").split())
        if not name:
            return cleaned
        cleaned[self.name_field] = name
        existing = find_partner(name)
        if existing is not None:
            setattr(self.instance, self.partner_field, existing)
        else:
            self.new_name = name
        return cleaned

    def line_key(self) -> tuple | None:
        """What makes two lines the same partner, for duplicate detection."""
        name = self.cleaned_data.get(self.name_field)
        return ("name", name_key(name)) if name else None


class FundingLineForm(PartnerLineForm):
    partner_field = "funder"
    name_field = "funder_name"
    partner_name = None
    funder_name = partner_name_field(
        label=_("Financeur"),
        help_text=_("Commencez à taper son nom : les financeurs connus sont proposés."),
        required_message=_("Saisissez le nom du financeur."),
    )

    class Meta:
        model = Funding
        fields = ["funder_name", "amount", "year", "note"]
        widgets = {"amount": forms.NumberInput(attrs={"min": 0, "step": "0.01"})}


class PartnerFormSet(LineFormSet):
    partner_field = "partner"

    def clean(self):
        """Refuse a partner listed twice with one role, in words rather than with the
        generic unique-together message (checked before it)."""
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            key = form.line_key()
            if key is None:
                continue
            key = (*key, form.cleaned_data.get("role"))
            if key in seen:
                raise forms.ValidationError(
                    _("Le même partenaire figure deux fois avec le même rôle."),
                    code="duplicate_partner",
                )
            seen.add(key)
        super().clean()


class FundingFormSet(LineFormSet):
    partner_field = "funder"


class AttachmentForm(forms.ModelForm):
    """A new file (checked by content) or an existing one (renamed or removed, not replaced)."""

    class Meta:
        model = Attachment
        fields = ["title", "file"]
        labels = {"title": _("Titre du fichier"), "file": _("Fichier")}
        help_texts = {
            "file": _(
                "PDF, image (JPEG, PNG, WebP) ou document bureautique, 10 Mo au plus. "
                "Le titre reprend le nom du fichier s'il est laissé vide."
            )
        }
        widgets = {"file": forms.FileInput(attrs={"accept": ACCEPT})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = None
        self.fields["title"].required = False
        if self.instance.pk:
            del self.fields["file"]

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and not self.instance.pk:
            self.kind = validate_attachment(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title"):
            uploaded = cleaned.get("file")
            if uploaded is not None and not self.instance.pk:
                cleaned["title"] = uploaded.name.rsplit(".", 1)[0][:255] or uploaded.name
            elif self.instance.pk:
                self.add_error("title", _("Donnez un titre au fichier."))
        if not self.instance.pk and cleaned.get("file") is None and "file" not in self.errors:
            self.add_error("file", _("Choisissez un fichier."))
        return cleaned

    def save(self, commit=True):
        if self.kind is not None:
            self.instance.content_type = self.kind.mime
            self.instance.size = self.cleaned_data["file"].size
        return super().save(commit)


LINE_LIMIT = 30

PartnerLines = inlineformset_factory(
    Action,
    ActionPartner,
    form=PartnerLineForm,
    formset=PartnerFormSet,
    extra=1,
    can_delete=True,
    max_num=LINE_LIMIT,
    absolute_max=LINE_LIMIT,
    validate_max=True,
)
FundingLines = inlineformset_factory(
    Action,
    Funding,
    form=FundingLineForm,
    formset=FundingFormSet,
    extra=1,
    can_delete=True,
    max_num=LINE_LIMIT,
    absolute_max=LINE_LIMIT,
    validate_max=True,
)
AttachmentLines = inlineformset_factory(
    Action,
    Attachment,
    form=AttachmentForm,
    extra=1,
    can_delete=True,
    max_num=LINE_LIMIT,
    absolute_max=LINE_LIMIT,
    validate_max=True,
)


@dataclass
class ActionForms:
    """The sheet form and its inline lines, validated and saved together."""

    form: ActionForm
    partners: PartnerFormSet
    fundings: FundingFormSet
    attachments: BaseInlineFormSet

    def __iter__(self) -> Iterator:
        return iter((self.form, self.partners, self.fundings, self.attachments))

    def is_valid(self) -> bool:
        # Validate every part (no short-circuit) so that all errors show at once.
        results = [part.is_valid() for part in self]
        return all(results)

    def line_errors(self) -> list[str]:
        """What the error summary says of the lines: which kinds of lines have errors (each
        line shows its own)."""
        kinds = [
            (self.partners, _("Partenaires : des lignes sont à corriger.")),
            (self.fundings, _("Financements : des lignes sont à corriger.")),
            (self.attachments, _("Fichiers : des lignes sont à corriger.")),
        ]
        return [str(note) for formset, note in kinds if formset.total_error_count()]

    def context(self) -> dict:
        return {
            "form": self.form,
            "partner_formset": self.partners,
            "funding_formset": self.fundings,
            "attachment_formset": self.attachments,
        }


# The published format ``ActionForm`` was made from.
FORM_FORMAT = sections.sections()


@cache
def sheet_form_class(declared: tuple[sections.Section, ...]) -> type[ActionForm]:
    """``ActionForm`` for the published format ``declared``: itself for the declaration it was
    made from, a subclass with that format's fields and widgets for another (a test's)."""
    if declared == FORM_FORMAT:
        return ActionForm
    return forms.modelform_factory(
        Action,
        form=ActionForm,
        fields=sheet_fields(),
        labels={**ActionForm._meta.labels, **section_labels()},
        widgets={**ActionForm._meta.widgets, **section_widgets()},
    )


def action_forms(
    *,
    user,
    instance: Action,
    data=None,
    files=None,
    submitting: bool = False,
    initial: dict | None = None,
) -> ActionForms:
    return ActionForms(
        form=sheet_form_class(sections.sections())(
            data, files, instance=instance, user=user, submitting=submitting, initial=initial
        ),
        partners=PartnerLines(data, instance=instance, prefix=LINES[sections.PARTNERS][1]),
        fundings=FundingLines(data, instance=instance, prefix=LINES[sections.FUNDING][1]),
        attachments=AttachmentLines(
            data, files, instance=instance, prefix=LINES[sections.ATTACHMENTS][1]
        ),
    )


class StructureForm(forms.ModelForm):
    """A structure added by federation staff to a federation they work for."""

    website = forms.URLField(
        label=_("Site web"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Structure
        fields = [
            "federation",
            "name",
            "kind",
            "department",
            "commune",
            "postcode",
            "address",
            "siret",
            "first_agrement_date",
            "website",
            "email",
        ]
        widgets = {"first_agrement_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        federations = Federation.objects.order_by("name")
        if not is_moderator(user):
            federations = federations.filter(
                memberships__user=user, memberships__role=MembershipRole.STAFF
            ).distinct()
        self.fields["federation"].queryset = federations
        self.fields["federation"].required = True
        if federations.count() == 1:
            self.fields["federation"].empty_label = None
        else:
            self.fields["federation"].empty_label = _("— choisir la fédération —")
        self.fields["department"].queryset = Department.objects.order_by("code")
        self.fields["department"].empty_label = _("— choisir le département —")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
