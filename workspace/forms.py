"""The sheet form, laid out like the published sheet, and its inline lines.

One ``ActionForm`` holds the sheet's own fields in the order of ``actions.sections``; three
inline formsets hold its partners, funding lines and attachments. ``ActionForms`` bundles them
so that the view validates and the service saves them as one.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from actions.enums import ActionStatus
from actions.models import Action, ActionPartner, Attachment, Funding, Partner
from actions.sections import SECTIONS_BY_FIELD
from actions.services.partners import find_partner
from actions.services.publication import REQUIRED_FOR_SUBMISSION
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
        fields = [
            "title",
            "year",
            "structure",
            "status",
            "end_reason",
            "dimension",
            "themes",
            "summary",
            "initiatives",
            "territory_scale",
            "experience",
            "publics",
            "description",
            "financial_resources",
            "total_budget",
            "people_mobilised",
            "staff_count",
            "volunteer_count",
            "participant_count",
            "result_territory",
            "result_centre",
            "result_residents",
            "limits",
            "perspectives",
        ]
        labels = {
            "title": _("Titre de l'action"),
            "year": _("Année de l'action"),
            "status": _("Statut de l'action"),
            "end_reason": _("Raisons pour lesquelles l'action est terminée"),
            "themes": _("Mots clés associés à l'action"),
            "initiatives": _("Qui est à l'initiative de l'action ?"),
            "publics": _("Public"),
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
            "status": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "initiatives": forms.CheckboxSelectMultiple,
            "publics": forms.CheckboxSelectMultiple,
            "year": forms.NumberInput(attrs={"min": 1950, "max": 2100}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "end_reason": forms.Textarea(attrs={"rows": 2}),
            "experience": forms.Textarea(attrs={"rows": 6}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "financial_resources": forms.Textarea(attrs={"rows": 3}),
            "people_mobilised": forms.Textarea(attrs={"rows": 2}),
            "result_territory": forms.Textarea(attrs={"rows": 3}),
            "result_centre": forms.Textarea(attrs={"rows": 3}),
            "result_residents": forms.Textarea(attrs={"rows": 3}),
            "limits": forms.Textarea(attrs={"rows": 3}),
            "perspectives": forms.Textarea(attrs={"rows": 3}),
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
        for name in ("dimension", "territory_scale"):
            self.fields[name].empty_label = _("— non renseigné —")
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
        for name, _label in REQUIRED_FOR_SUBMISSION:
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

    def _helper(self) -> FormHelper:
        def section(field: str, *content) -> Fieldset:
            # A one-field section: the legend already names the field, its label is only
            # kept for screen readers (see workspace.css).
            single = len(content) == 1 and not isinstance(content[0], HTML)
            return Fieldset(
                SECTIONS_BY_FIELD[field].heading,
                *content,
                css_class="sheet-fieldset border-top pt-3 mt-3",
                data_section=field,
                data_single="1" if single else "0",
                data_counts="1" if SECTIONS_BY_FIELD[field].counts_for_completeness else "0",
            )

        def lines(formset: str) -> HTML:
            return HTML(f'{{% include "workspace/includes/formset.html" with formset={formset} %}}')

        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            "version",
            *(["form_token"] if "form_token" in self.fields else []),
            Fieldset(
                _("Titre"),
                "title",
                Field("year", css_class="w-auto"),
                css_class="sheet-fieldset",
                data_section="title",
            ),
            section("structure", "structure"),
            section("attachments", lines("attachment_formset")),
            section("status", "status"),
            section("end_reason", "end_reason"),
            section("dimension", "dimension"),
            section("themes", Field("themes", wrapper_class="checkbox-columns")),
            section("summary", "summary"),
            section("initiatives", "initiatives"),
            section("territory_scale", "territory_scale"),
            section("experience", "experience"),
            section("publics", Field("publics", wrapper_class="checkbox-columns")),
            section("partners", lines("partner_formset")),
            section("description", "description"),
            section(
                "financial_resources",
                "financial_resources",
                Field("total_budget", css_class="w-auto"),
                lines("funding_formset"),
            ),
            section(
                "people_mobilised",
                "people_mobilised",
                Row(
                    Column("staff_count", css_class="col-sm-4"),
                    Column("volunteer_count", css_class="col-sm-4"),
                    Column("participant_count", css_class="col-sm-4"),
                ),
            ),
            section("result_territory", "result_territory"),
            section("result_centre", "result_centre"),
            section("result_residents", "result_residents"),
            section("limits", "limits"),
            section("perspectives", "perspectives"),
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
            for name, _label in REQUIRED_FOR_SUBMISSION:
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
    """Inline lines sharing one list of partner choices, so that rendering many lines costs
    one query rather than one per line.

    The choices are the partners ``user`` may see (``PartnerQuerySet.visible_to``): a partner
    typed in another federation's draft is neither listed nor accepted.
    """

    partner_field: str = ""

    def __init__(self, *args, user, queryset=None, **kwargs):
        if queryset is None and self.partner_field:
            queryset = self.model._default_manager.select_related(self.partner_field)
        super().__init__(*args, queryset=queryset, **kwargs)
        if self.partner_field:
            partners = Partner.objects.visible_to(user, sheet=self.instance).order_by("name")
            choices = [("", _("— choisir —")), *partners.values_list("pk", "name")]
            self.form_kwargs = {
                **self.form_kwargs,
                "partners": partners,
                "partner_choices": choices,
            }


class PartnerLineForm(forms.ModelForm):
    """A partner chosen from the list or typed as a new name (matched against existing ones)."""

    partner_field = "partner"
    new_name_field = "new_partner"
    new_partner = forms.CharField(
        label=_("ou nouveau partenaire"),
        max_length=255,
        required=False,
        help_text=_("Nom d'un partenaire absent de la liste."),
    )

    class Meta:
        model = ActionPartner
        fields = ["partner", "new_partner", "role"]
        labels = {"partner": _("Partenaire")}

    def __init__(self, *args, partners=None, partner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.partner_field]
        field.required = False
        if partners is not None:
            field.queryset = partners
            field.widget.choices = partner_choices

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get(self.partner_field)
        name = " ".join((cleaned.get(self.new_name_field) or "").split())
        cleaned[self.new_name_field] = name
        if chosen and name:
            self.add_error(
                self.new_name_field,
                _("Choisissez dans la liste ou saisissez un nouveau nom, pas les deux."),
            )
        elif name:
            existing = find_partner(name)
            if existing:
                cleaned[self.partner_field] = existing
                cleaned[self.new_name_field] = ""
        elif not chosen and self.partner_field not in self.errors:
            self.add_error(
                self.partner_field,
                _("Choisissez dans la liste ou saisissez le nom d'un nouveau partenaire."),
            )
        return cleaned

    def line_key(self) -> tuple | None:
        """What makes two lines the same partner, for duplicate detection."""
        chosen = self.cleaned_data.get(self.partner_field)
        name = self.cleaned_data.get(self.new_name_field)
        if chosen:
            return ("pk", chosen.pk)
        if name:
            return ("name", name_key(name))
        return None


class FundingLineForm(PartnerLineForm):
    partner_field = "funder"
    new_name_field = "new_funder"
    new_partner = None
    new_funder = forms.CharField(
        label=_("ou nouveau financeur"),
        max_length=255,
        required=False,
        help_text=_("Nom d'un financeur absent de la liste."),
    )

    class Meta:
        model = Funding
        fields = ["funder", "new_funder", "amount", "year", "note"]
        labels = {"funder": _("Financeur")}
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

    def context(self) -> dict:
        return {
            "form": self.form,
            "partner_formset": self.partners,
            "funding_formset": self.fundings,
            "attachment_formset": self.attachments,
        }


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
        form=ActionForm(
            data, files, instance=instance, user=user, submitting=submitting, initial=initial
        ),
        partners=PartnerLines(data, instance=instance, prefix="partenaires", user=user),
        fundings=FundingLines(data, instance=instance, prefix="financements", user=user),
        attachments=AttachmentLines(data, files, instance=instance, prefix="fichiers"),
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
