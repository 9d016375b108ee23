from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    ONGOING = "ongoing", _("En cours")
    FINISHED = "finished", _("Terminée")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise")
    PUBLISHED = "published", _("Publiée")
    REJECTED = "rejected", _("Refusée")


class PartnerKind(models.TextChoices):
    CAF = "caf", _("Caf")
    COMMUNE = "commune", _("Commune ou intercommunalité")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    ETAT = "etat", _("État")
    ASSOCIATION = "association", _("Association")
    COMPANY = "company", _("Entreprise ou fondation")
    OTHER = "other", _("Autre")


class PartnerRole(models.TextChoices):
    ACTION = "action", _("Partenaire d'action")
    FINANCIAL = "financial", _("Partenaire financier")
