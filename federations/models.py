import re

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import FederationMembership, MembershipRole, StructureKind
from .text import bounded_text
from .validators import validate_siret


class CodeManager(models.Manager):
    """Natural key: the INSEE code, so fixtures do not depend on primary keys."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class SlugManager(models.Manager):
    """Natural key: the slug, so fixtures do not depend on primary keys."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Region(models.Model):
    """A French région, identified by its INSEE code ("11", "84", "04"...)."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Department(models.Model):
    """A French département, identified by its INSEE code ("01", "2A", "974")."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("région")
    )

    objects = CodeManager()

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def natural_key(self):
        return (self.code,)


# « Fédération [départementale|régionale] des centres sociaux [et socioculturels] de la ».
FEDERATION_NAME_PREFIX = re.compile(
    r"^f[ée]d[ée]ration\s+(?:d[ée]partementale\s+|r[ée]gionale\s+)?des\s+centres\s+sociaux"
    r"(?:\s+et\s+socio-?culturels)?\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])?",
    re.IGNORECASE,
)


class Federation(models.Model):
    """A departmental or regional federation of social centres."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    departments = models.ManyToManyField(
        Department,
        related_name="federations",
        verbose_name=_("départements couverts"),
        blank=True,
    )
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    description = bounded_text(_("présentation courte"), blank=True)

    objects = SlugManager()

    class Meta:
        verbose_name = _("fédération")
        verbose_name_plural = _("fédérations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:federation_detail", kwargs={"slug": self.slug})

    @property
    def short_name(self) -> str:
        """The name without what every federation's name says: « Fédération des centres
        sociaux de la Somme » is « Somme » (narrow lists, the whole name beside it)."""
        return FEDERATION_NAME_PREFIX.sub("", self.name, count=1) or self.name

    def natural_key(self):
        return (self.slug,)


class StructureQuerySet(models.QuerySet):
    def for_directory(self):
        """Structures with what the directory shows of each (place, federation)."""
        return self.select_related("department__region", "federation")

    def editable_by(self, user):
        """Structures whose sheets ``user`` may create and edit.

        Moderators reach every structure; federation staff the structures of their
        federations; a director only the structure they direct.
        """
        from .perms import is_moderator

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_moderator(user):
            return self
        memberships = Membership.objects.filter(user=user)
        return self.filter(
            models.Q(
                federation__in=memberships.filter(role=MembershipRole.STAFF).values("federation")
            )
            | models.Q(pk__in=memberships.filter(role=MembershipRole.DIRECTOR).values("structure"))
        )


class Structure(models.Model):
    """A social centre, an EVS or another structure, located in one département."""

    name = models.CharField(_("nom"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=StructureKind.choices, default=StructureKind.CENTRE_SOCIAL
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="structures",
        verbose_name=_("département"),
    )
    federation = models.ForeignKey(
        Federation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name=_("fédération"),
    )
    commune = models.CharField(_("commune"), max_length=150, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    first_agrement_date = models.DateField(_("date du premier agrément"), null=True, blank=True)
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    # The identity card of the observatory's structure directory (actions/importer/directory.py).
    population = models.PositiveIntegerField(
        _("population de la zone de compétence"), null=True, blank=True
    )
    history = bounded_text(_("historique"), blank=True)
    project_axis_1 = bounded_text(_("axe 1 du projet"), blank=True)
    project_axis_2 = bounded_text(_("axe 2 du projet"), blank=True)
    project_axis_3 = bounded_text(_("axe 3 du projet"), blank=True)
    project_axis_4 = bounded_text(_("axe 4 du projet"), blank=True)
    project_axis_5 = bounded_text(_("axe 5 du projet"), blank=True)
    management_mode = models.CharField(_("mode de gestion"), max_length=150, blank=True)
    territory_type = models.CharField(
        _("type de territoire d'intervention"), max_length=150, blank=True
    )
    territory_size = models.CharField(
        _("taille du territoire d'intervention"), max_length=150, blank=True
    )
    priority_geography = models.CharField(
        _("géographie prioritaire"),
        max_length=255,
        blank=True,
        help_text=_("Telle que l'annuaire de l'observatoire la décrit."),
    )
    in_priority_area = models.BooleanField(
        _("en quartier prioritaire de la politique de la ville (QPV)"), null=True, blank=True
    )
    federation_membership = models.CharField(
        _("adhésion à une fédération"),
        max_length=10,
        choices=FederationMembership.choices,
        blank=True,
    )
    other_federation = models.CharField(
        _("autre fédération"),
        max_length=200,
        blank=True,
        help_text=_("Fédération nommée par l'annuaire, autre que celle des centres sociaux."),
    )
    for_travellers = models.BooleanField(_("structure « gens du voyage »"), null=True, blank=True)
    multi_site = models.BooleanField(_("structure multi-sites / éclatée"), null=True, blank=True)
    itinerant = models.BooleanField(_("structure itinérante"), null=True, blank=True)

    objects = SlugManager.from_queryset(StructureQuerySet)()

    PROJECT_AXES = tuple(f"project_axis_{number}" for number in range(1, 6))

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "department",
                name="structure_unique_name_per_department",
                violation_error_message=_(
                    "Une structure de ce nom existe déjà dans ce département."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(siret="") | models.Q(siret__regex=r"^[0-9]{14}$"),
                name="structure_siret_fourteen_digits",
                violation_error_message=_("Un SIRET compte exactement 14 chiffres."),
            ),
            models.CheckConstraint(
                condition=models.Q(postcode="")
                | models.Q(postcode__regex=r"^[0-9][0-9AB][0-9]{3}$"),
                name="structure_postcode_format",
                violation_error_message=_("Un code postal compte 5 caractères."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:structure_detail", kwargs={"slug": self.slug})

    def project_axes(self) -> list[str]:
        """The axes of the current project that the directory gives, in their order."""
        return [text for name in self.PROJECT_AXES if (text := getattr(self, name).strip())]

    def natural_key(self):
        return (self.slug,)


class Membership(models.Model):
    """A user's role in a federation: staff of the whole federation, or director of one structure.

    Staff may act on every structure of the federation; a director only on their structure.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utilisateur"),
    )
    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("fédération"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=MembershipRole.choices)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("structure dirigée"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["federation__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=MembershipRole.STAFF, structure__isnull=True)
                    | models.Q(role=MembershipRole.DIRECTOR, structure__isnull=False)
                ),
                name="membership_director_has_structure",
                violation_error_message=_(
                    "Une direction porte sur une structure ; un rôle fédéral sur aucune."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "federation"],
                condition=models.Q(role=MembershipRole.STAFF),
                name="membership_unique_staff",
                violation_error_message=_("Cette personne est déjà salariée de cette fédération."),
            ),
            models.UniqueConstraint(
                fields=["user", "structure"],
                condition=models.Q(role=MembershipRole.DIRECTOR),
                name="membership_unique_director",
                violation_error_message=_("Cette personne dirige déjà cette structure."),
            ),
        ]

    def __str__(self):
        if self.structure_id:
            return f"{self.user} · {self.get_role_display()} · {self.structure}"
        return f"{self.user} · {self.get_role_display()} · {self.federation}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.structure_id
            and self.federation_id
            and self.structure.federation_id != self.federation_id
        ):
            raise ValidationError(
                {"structure": _("Cette structure n'appartient pas à cette fédération.")}
            )


def invitation_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(accepted_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An e-mailed invitation to join a federation, as its staff or as the director of one of
    its structures: the link creates the account and the membership, once, before it expires.

    It grants a membership and nothing else: never the admin, never a group (moderators are
    made in the admin only, see README). Who may invite to what: ``federations.invitations``.
    """

    email = models.EmailField(_("adresse électronique"))
    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("fédération"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=MembershipRole.choices)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("structure dirigée"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invité·e par"),
    )
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("acceptée par"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=MembershipRole.STAFF, structure__isnull=True)
                    | models.Q(role=MembershipRole.DIRECTOR, structure__isnull=False)
                ),
                name="invitation_director_has_structure",
                violation_error_message=_(
                    "Une direction porte sur une structure ; un rôle fédéral sur aucune."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()} · {self.structure or self.federation}"

    def get_absolute_url(self):
        return reverse("invitation_accept", kwargs={"token": self.token})
