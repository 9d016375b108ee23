from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.fr import siret


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits whose check digits hold: python-stdnum's ``stdnum.fr.siret``, the
    Luhn key of the SIRET and of its SIREN, and La Poste's own rule for its establishments
    (their digits' sum divisible by 5). The value is the digits alone (no spaces)."""
    if len(value) != 14 or not value.isdigit():
        raise ValidationError(_("Un SIRET compte exactement 14 chiffres."), code="siret_format")
    try:
        siret.validate(value)
    except InvalidNumber as error:
        raise ValidationError(
            _("Ce SIRET n'est pas valide (clé de contrôle incorrecte)."), code="siret_checksum"
        ) from error
