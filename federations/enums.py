from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureKind(models.TextChoices):
    CENTRE_SOCIAL = "centre_social", _("Centre social")
    EVS = "evs", _("Espace de vie sociale")
    OTHER = "other", _("Autre structure")


class MembershipRole(models.TextChoices):
    STAFF = "staff", _("Salarié·e de la fédération")
    DIRECTOR = "director", _("Direction d'une structure")


class FederationMembership(models.TextChoices):
    """What the structure directory says of a structure's federation."""

    FCS = "fcs", _("Fédération des centres sociaux")
    OTHER = "other", _("Autre fédération")
    NONE = "none", _("Aucune fédération")
