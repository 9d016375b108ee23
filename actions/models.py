import secrets
import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from federations.models import Federation, SlugManager, Structure
from federations.perms import is_moderator
from federations.text import bounded_text, name_key, normalize

from . import sections
from .enums import ActionStatus, PartnerKind, PartnerRole, PublicationStatus

MONEY_FIELD = models.DecimalField(max_digits=14, decimal_places=2)


class VocabularyQuerySet(models.QuerySet):
    def match(self, label: str):
        """The entry whose name, slug or alias equals ``label`` ignoring case and accents."""
        return self.by_match_key().get(normalize(label))

    def by_match_key(self) -> dict:
        """Each entry under its ``match_keys`` (a key two entries share: the first in order),
        for matching many labels against entries read once."""
        entries = {}
        for entry in self:
            for key in entry.match_keys():
                entries.setdefault(key, entry)
        return entries


class Vocabulary(models.Model):
    """A reference list of the published format (themes, publics, dimensions...).

    ``aliases`` keeps the spellings met in published sheets (e.g. "Viellissement") so that
    imports map them onto the correct entry.
    """

    name = models.CharField(_("nom"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)
    aliases = models.JSONField(_("variantes d'écriture"), default=list, blank=True)

    objects = SlugManager.from_queryset(VocabularyQuerySet)()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def match_keys(self) -> set[str]:
        return {normalize(self.name), normalize(self.slug), *(normalize(a) for a in self.aliases)}


class Theme(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes (mots clés)")


class Public(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("public")
        verbose_name_plural = _("publics")


class Dimension(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")


class Initiative(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives (qui est à l'initiative)")


class TerritoryScale(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("territoire concerné")
        verbose_name_plural = _("territoires concernés")


class PartnerQuerySet(models.QuerySet):
    """Who may read a partner's name.

    A partner typed into a federation's draft is private to that federation (``private_to``)
    until a published sheet names it (``actions.services.partners.reveal_names_of``): from
    then on its name is public, like the rest of that sheet. Partners added otherwise (the
    admin, the importer of published sheets, demo data) are not private.
    """

    def matching(self, name: str):
        """The partner whose name is ``name`` to ``federations.text.name_key``."""
        return self.filter(match_key=name_key(name))

    def public(self):
        """Partners a public page may name."""
        return self.filter(private_to__isnull=True)

    def visible_to(self, user, *, sheet=None):
        """What ``user`` may choose from in the workspace: the public partners and those
        private to their federations (every partner for moderators); with ``sheet``, also
        those its own lines name (a sheet keeps its partners, whoever edits it)."""
        if is_moderator(user):
            return self
        visible = Q(private_to__isnull=True)
        if user.is_authenticated:
            visible |= Q(private_to__in=user.memberships.values("federation"))
        if sheet is not None and sheet.pk is not None:
            visible |= Q(pk__in=self.named_by(sheet).values("pk"))
        return self.filter(visible)

    def named_by(self, sheet):
        """The partners the lines of ``sheet`` name, as an action partner or as a funder."""
        return self.filter(
            Q(pk__in=ActionPartner.objects.filter(action=sheet).values("partner"))
            | Q(pk__in=Funding.objects.filter(action=sheet).values("funder"))
        )


class Partner(models.Model):
    """An organisation that runs or funds actions (a Caf, a commune, a foundation...).

    ``match_key`` is the name as ``federations.text.name_key`` reads it: unique, so that two
    spellings of one name ("Caf de l'Ain", "CAF DE L’AIN") are one partner even when two
    people type it at the same instant. It is written by ``save()`` (and by the bulk loader of
    ``actions.services.partners``). ``private_to``: see ``PartnerQuerySet``.
    """

    name = models.CharField(_("nom"), max_length=255, unique=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    match_key = models.TextField(_("clé de rapprochement"), editable=False)
    private_to = models.ForeignKey(
        Federation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privé à la fédération"),
        help_text=_(
            "Saisi dans un brouillon de cette fédération : les autres ne le voient pas tant "
            "qu'aucune fiche publiée ne le nomme."
        ),
    )

    objects = SlugManager.from_queryset(PartnerQuerySet)()

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["match_key"],
                name="partner_match_key_unique",
                violation_error_message=_("Un partenaire porte déjà ce nom."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.match_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "match_key"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        """Refuse a name that another partner already has, spelling aside (the form does not
        hold ``match_key``, so Django would not check its constraint)."""
        super().clean()
        other = Partner.objects.matching(self.name).exclude(pk=self.pk).first()
        if self.name and other is not None:
            raise ValidationError(
                {"name": _("Le partenaire « %(name)s » porte déjà ce nom.") % {"name": other}}
            )


class ActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def awaiting_moderation(self):
        """Sheets a moderator must look at: submitted ones, and published ones changed since
        their publication."""
        return self.filter(
            models.Q(publication_status=PublicationStatus.SUBMITTED)
            | models.Q(
                publication_status=PublicationStatus.PUBLISHED, modified_since_publication=True
            )
        )

    def editable_by(self, user):
        """Sheets ``user`` may edit: those of the structures within their reach."""
        return self.filter(structure__in=Structure.objects.editable_by(user))

    def created_with(self, token):
        """The sheet that the creation form carrying ``token`` (a UUID, or its text as
        posted) created; none for no token or a malformed one."""
        try:
            token = token if isinstance(token, uuid.UUID) else uuid.UUID(str(token))
        except ValueError:
            return self.none()
        return self.filter(creation_token=token)

    def with_funding_total(self):
        """Annotate ``funding_total`` with a subquery, so joins made by filters on themes or
        publics cannot multiply the sum."""
        funding_model = self.model._meta.get_field("fundings").related_model
        totals = (
            funding_model.objects.filter(action=OuterRef("pk"))
            .order_by()
            .values("action")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(
            funding_total=Coalesce(
                Subquery(totals, output_field=MONEY_FIELD),
                Value(Decimal(0)),
                output_field=MONEY_FIELD,
            )
        )

    # Public catalogue. Every reader below costs a fixed number of queries, whatever the
    # number of sheets: related rows come through select_related/prefetch_related. (The
    # counts of the public pages: catalogue/facets/counting.py.)

    def catalogue(self):
        """Published sheets with what a result card shows (structure, place, themes)."""
        return (
            self.published()
            .select_related("structure__department__region", "structure__federation")
            .prefetch_related("themes")
            .defer("search_vector")
        )

    def for_sheet(self):
        """Published sheets with everything their public page shows."""
        return (
            self.published()
            .select_related(
                "structure__department__region",
                "structure__federation",
                "dimension",
                "territory_scale",
            )
            .prefetch_related(
                "themes",
                "publics",
                "initiatives",
                models.Prefetch(
                    "partner_links", queryset=ActionPartner.objects.select_related("partner")
                ),
                models.Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
                "attachments",
            )
            .defer("search_vector")
        )

    def with_any(self, relation: str, values, *, value_field: str = "slug"):
        """Sheets linked through the many-to-many ``relation`` to any of ``values`` (of the
        related rows' ``value_field``).

        A semi-join (EXISTS) rather than a join: no duplicate rows, no DISTINCT needed.
        """
        field = self.model._meta.get_field(relation)
        through = field.remote_field.through
        return self.filter(
            models.Exists(
                through.objects.filter(
                    **{
                        field.m2m_field_name(): OuterRef("pk"),
                        f"{field.m2m_reverse_field_name()}__{value_field}__in": list(values),
                    }
                )
            )
        )

    def funded_by(self, slugs):
        """Sheets that any of the partners ``slugs`` funds: a funding line, or a financial
        partnership."""
        slugs = list(slugs)
        return self.filter(
            models.Exists(Funding.objects.filter(action=OuterRef("pk"), funder__slug__in=slugs))
            | models.Exists(
                ActionPartner.objects.filter(
                    action=OuterRef("pk"), partner__slug__in=slugs, role=PartnerRole.FINANCIAL
                )
            )
        )

    def funder_links(self):
        """(sheet id, funder id) of the sheets of this selection, once per funder of a sheet,
        by the rule of ``funded_by``."""
        sheets = self.order_by().values("pk")
        lines = (
            Funding.objects.filter(action__in=sheets)
            .order_by()
            .values_list("action_id", "funder_id")
        )
        partnerships = (
            ActionPartner.objects.filter(action__in=sheets, role=PartnerRole.FINANCIAL)
            .order_by()
            .values_list("action_id", "partner_id")
        )
        return lines.union(partnerships)

    def similar_to(self, action: "Action", limit: int = 4) -> list["Action"]:
        """Other sheets sharing themes with ``action``: same département first, then the most
        themes in common, then the newest. Reads ``action.themes`` (prefetch it).

        At most two queries, whatever the data: the sheets of the same département, then,
        only when they are fewer than ``limit``, the others. Ranking every sheet sharing a
        common theme at once would aggregate tens of thousands of rows at national scale.
        """
        theme_ids = [theme.pk for theme in action.themes.all()]
        department = action.structure.department_id
        ranked = (
            self.exclude(pk=action.pk)
            .filter(themes__in=theme_ids)
            .annotate(shared_themes=models.Count("themes"))
            .select_related("structure__department")
            # What the list shows: grouping and sorting whole 2 kB rows would cost more.
            .only(
                "title",
                "slug",
                "structure__name",
                "structure__department__name",
                "structure__department__code",
            )
            .order_by("-shared_themes", "-published_at", "-pk")
        )
        near = list(ranked.filter(structure__department_id=department)[:limit])
        if len(near) == limit:
            return near
        far = ranked.exclude(structure__department_id=department)
        return near + list(far[: limit - len(near)])


class SectionTexts(models.Model):
    """The free text columns of the sheet's sections, made from the published format's
    declaration (``actions.sections``: ``Section.text_column``), so that a new text section is
    one declaration there and the migration ``makemigrations`` writes."""

    class Meta:
        abstract = True


for _section in sections.text_sections():
    SectionTexts.add_to_class(_section.field, _section.text_column())
del _section


class Action(SectionTexts, models.Model):
    """An action sheet ("fiche action"): the sections of the published format (its text
    sections come from ``SectionTexts``), its numbers, and the bookkeeping of the write path."""

    title = models.CharField(_("titre"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("structure organisatrice"),
    )
    status = models.CharField(
        _("statut de l'action"),
        max_length=10,
        choices=ActionStatus.choices,
        default=ActionStatus.ONGOING,
    )
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("dimension"),
    )
    themes = models.ManyToManyField(
        Theme, related_name="actions", blank=True, verbose_name=_("mots clés")
    )
    initiatives = models.ManyToManyField(
        Initiative, related_name="actions", blank=True, verbose_name=_("qui est à l'initiative")
    )
    territory_scale = models.ForeignKey(
        TerritoryScale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("territoire concerné"),
    )
    publics = models.ManyToManyField(
        Public, related_name="actions", blank=True, verbose_name=_("publics")
    )
    partners = models.ManyToManyField(
        Partner,
        through="ActionPartner",
        related_name="actions",
        blank=True,
        verbose_name=_("partenaires"),
    )
    total_budget = models.DecimalField(
        _("budget total (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    staff_count = models.PositiveIntegerField(_("nombre de salariés"), null=True, blank=True)
    volunteer_count = models.PositiveIntegerField(_("nombre de bénévoles"), null=True, blank=True)
    participant_count = models.PositiveIntegerField(
        _("nombre de participants"), null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(
        _("année"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )

    publication_status = models.CharField(
        _("état de publication"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("soumise par"),
    )
    modified_since_publication = models.BooleanField(
        _("modifiée depuis la publication"),
        default=False,
        help_text=_("Une fiche publiée puis modifiée, à relire par la modération."),
    )
    rejection_reason = bounded_text(_("motif du refus"), blank=True)
    modified_during_review = models.BooleanField(
        _("modifiée depuis votre lecture"),
        default=False,
        help_text=_(
            "Une publication ou un refus n'a pas été appliqué : la fiche avait changé depuis "
            "que la modération l'avait lue. Signalée jusqu'à la prochaine décision."
        ),
    )
    # Optimistic locking: a save must carry the version it started from, and a moderation
    # decision the version it was taken on (see actions/services/versions.py).
    version = models.PositiveIntegerField(_("version"), default=1)
    # The random token of the form that created the sheet: a second post of that form (a
    # double click) finds the sheet instead of creating another (actions/services/content.py).
    creation_token = models.UUIDField(
        _("jeton de création"), null=True, blank=True, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    # Weighted French full-text vector, written by PostgreSQL triggers whenever the row or a name
    # it holds changes (bulk writes included) and GIN-indexed (migrations 0003 and 0007; see
    # catalogue/search.py). The index is created in SQL, not in Meta.indexes, so that SQLite
    # (which keeps this column empty) never has to build a GIN index when it rebuilds the table.
    search_vector = SearchVectorField(_("index de recherche"), null=True, editable=False)

    objects = SlugManager.from_queryset(ActionQuerySet)()
    history = HistoricalRecords(
        excluded_fields=["updated_at", "version", "creation_token", "search_vector"],
        m2m_fields=[themes, publics, initiatives],
    )

    class Meta:
        verbose_name = _("fiche action")
        verbose_name_plural = _("fiches action")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values),
                name="action_status_valid",
                violation_error_message=_("Statut d'action inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(publication_status__in=PublicationStatus.values),
                name="action_publication_status_valid",
                violation_error_message=_("État de publication inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.FINISHED) | Q(end_reason=""),
                name="action_end_reason_only_when_finished",
                violation_error_message=_(
                    "Seule une action terminée peut indiquer pourquoi elle s'est terminée."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(publication_status=PublicationStatus.PUBLISHED)
                | Q(published_at__isnull=False),
                name="action_published_has_date",
                violation_error_message=_("Une fiche publiée a une date de publication."),
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0),
                name="action_total_budget_non_negative",
                violation_error_message=_("Le budget ne peut pas être négatif."),
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1950, year__lte=2100),
                name="action_year_plausible",
                violation_error_message=_("L'année doit être comprise entre 1950 et 2100."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="action_version_positive",
                violation_error_message=_("La version commence à 1."),
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "title"], name="action_structure_title_idx"),
            # The catalogue's default order, newest published first: its pages, the last ones
            # included, are read from this index instead of sorting every published sheet.
            # Migration 0004 also adds a covering index for the facets (PostgreSQL only).
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(publication_status=PublicationStatus.PUBLISHED),
                name="action_published_newest_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:action_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED

    def completeness(self) -> int:
        """Share of the published format's sections that are filled, in percent
        (``actions.sections.completeness``)."""
        return sections.completeness(self)


class ActionPartner(models.Model):
    """A partner of an action, as an action partner or a financial partner."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="partner_links", verbose_name=_("action")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="action_links", verbose_name=_("partenaire")
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=PartnerRole.choices, default=PartnerRole.ACTION
    )

    class Meta:
        verbose_name = _("partenaire de l'action")
        verbose_name_plural = _("partenaires de l'action")
        ordering = ["role", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "partner", "role"],
                name="action_partner_unique_role",
                violation_error_message=_("Ce partenaire a déjà ce rôle dans cette action."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartnerRole.values),
                name="action_partner_role_valid",
                violation_error_message=_("Rôle de partenaire inconnu."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} ({self.get_role_display()})"


class Funding(models.Model):
    """One funding line of an action: who paid how much."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("action")
    )
    funder = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("financeur")
    )
    amount = models.DecimalField(
        _("montant (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    year = models.PositiveSmallIntegerField(
        _("année"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    note = models.CharField(_("précision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("lignes de financement")
        ordering = ["action", "-amount", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_non_negative",
                violation_error_message=_("Un montant ne peut pas être négatif."),
            ),
        ]

    def __str__(self):
        return f"{self.funder} : {self.amount} €"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """An unguessable name that keeps only the (lower-cased) extension of the upload."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{secrets.token_urlsafe(24)}{suffix}"


class Attachment(models.Model):
    """A file attached to an action ("Fichier(s) associé(s)")."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("action")
    )
    title = models.CharField(_("titre"), max_length=255)
    file = models.FileField(_("fichier"), upload_to=attachment_upload_to, max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fichier associé")
        verbose_name_plural = _("fichiers associés")
        ordering = ["title"]

    def __str__(self):
        return self.title


class ModerationEvent(models.Model):
    """One transition of an action's publication status: who, when, from, to, why."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="moderation_events", verbose_name=_("action")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    from_status = models.CharField(
        _("de"), max_length=10, choices=PublicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=10, choices=PublicationStatus.choices)
    reason = bounded_text(_("motif"), blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement de modération")
        verbose_name_plural = _("événements de modération")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.action} : {self.from_status or '∅'} → {self.to_status}"


class SheetProvenance(models.Model):
    """Where an imported sheet comes from: the page it was last imported from, and what the
    importer wrote then (``actions.importer.loader``).

    The sheet's hash recognises a page imported again (nothing to do); the version and the
    history record the import wrote tell what was edited in the portal since (the version
    moved; the record holds the values the importer wrote). A sheet the page cut short keeps
    the section the cut fell in until a complete copy is imported.
    """

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, related_name="provenance", verbose_name=_("fiche")
    )
    source = models.CharField(
        _("source"), max_length=500, help_text=_("Adresse de la page, ou nom du fichier importé.")
    )
    page_sha256 = models.CharField(_("empreinte de la page"), max_length=64)
    sheet_sha256 = models.CharField(_("empreinte de la fiche"), max_length=64)
    imported_at = models.DateTimeField(_("importée le"))
    version = models.PositiveIntegerField(_("version écrite par l'import"))
    history_id = models.PositiveBigIntegerField(
        _("enregistrement d'historique écrit par l'import"), null=True, blank=True
    )
    cut_section = models.CharField(
        _("section coupée"),
        max_length=100,
        blank=True,
        help_text=_("La page importée s'arrêtait dans cette section : la fiche est incomplète."),
    )

    class Meta:
        verbose_name = _("provenance d'import")
        verbose_name_plural = _("provenances d'import")

    def __str__(self):
        return f"{self.action} ← {self.source}"


class FacetKeysField(models.Field):
    """The facet keys of a sheet: a ``bigint[]`` on PostgreSQL (which maintains them, see
    actions/facet_index.py); other databases keep the column empty."""

    description = _("clés de facettes")

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"


class FacetEntry(models.Model):
    """A published sheet's place in every facet, as one array of keys, and its funding per group
    of funders, in cents (``facet_keys.FUNDER_GROUPS``; NULL: no line) (PostgreSQL only).

    Written by database triggers only (actions/sql/facet_index_v1.sql, v2), never by Django: see
    actions/facet_keys.py for the keys, catalogue/facets/indexed.py for why they exist.
    """

    action = models.OneToOneField(
        Action,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the triggers remove the entry with the sheet
        db_constraint=False,
        related_name="+",
    )
    keys = FacetKeysField()
    funding_caf = models.BigIntegerField(null=True)
    funding_etat = models.BigIntegerField(null=True)
    funding_collectivites = models.BigIntegerField(null=True)
    funding_autres = models.BigIntegerField(null=True)
    funding_total = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("entrée de l'index des facettes")
        verbose_name_plural = _("index des facettes")

    def __str__(self):
        return f"{self.action_id}: {self.keys}"


class FacetFundingTotal(models.Model):
    """The funding of all the published sheets, per group of funders of
    ``facet_keys.FUNDER_GROUPS`` (and in total): the sum of their entries' amounts, in cents,
    and how many sheets have a line of the group. One row (PostgreSQL only), written by
    database triggers only (actions/sql/facet_index_v2.sql); read by the observatory."""

    caf_cents = models.BigIntegerField()
    caf_sheets = models.IntegerField()
    etat_cents = models.BigIntegerField()
    etat_sheets = models.IntegerField()
    collectivites_cents = models.BigIntegerField()
    collectivites_sheets = models.IntegerField()
    autres_cents = models.BigIntegerField()
    autres_sheets = models.IntegerField()
    total_cents = models.BigIntegerField()
    total_sheets = models.IntegerField()

    class Meta:
        verbose_name = _("total des financements de l'index des facettes")
        verbose_name_plural = _("totaux des financements de l'index des facettes")

    def __str__(self):
        return f"{self.total_cents / 100} € ({self.total_sheets})"


class FacetFundingAmount(models.Model):
    """How many published sheets receive exactly ``cents`` from a group of funders of
    ``facet_keys.FUNDER_GROUPS`` (``funder_group``; ``total``: all of them), i.e. how many
    entries hold that amount in that group's column (PostgreSQL only).

    The whole catalogue's medians are read from these counts, walking the amounts in order
    until half the funded sheets are passed: grants are round sums, so there are far fewer
    amounts than sheets (1,342 for 83,393 funded sheets in the demo data). Written by database
    triggers only (actions/sql/funding_amounts_v1.sql); read by the observatory.
    """

    pk = models.CompositePrimaryKey("funder_group", "cents")
    funder_group = models.CharField(max_length=20)
    cents = models.BigIntegerField()
    sheets = models.IntegerField()

    class Meta:
        verbose_name = _("montant des financements de l'index des facettes")
        verbose_name_plural = _("montants des financements de l'index des facettes")

    def __str__(self):
        return f"{self.funder_group} {self.cents / 100} €: {self.sheets}"


class FacetPair(models.Model):
    """How many published sheets carry both ``filter_key`` and ``key`` (PostgreSQL only).

    ``filter_key`` 0 is on every sheet, so its rows are the counts of the whole catalogue.
    Written by database triggers only (actions/sql/facet_index_v1.sql, v2); read by
    catalogue/facets.
    """

    pk = models.CompositePrimaryKey("filter_key", "key")
    filter_key = models.BigIntegerField()
    key = models.BigIntegerField()
    count = models.IntegerField()

    class Meta:
        verbose_name = _("compteur de l'index des facettes")
        verbose_name_plural = _("compteurs de l'index des facettes")

    def __str__(self):
        return f"{self.filter_key} × {self.key}: {self.count}"
