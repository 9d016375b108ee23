from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share one SIREN and follow a different checksum rule (INSEE).
LA_POSTE_SIREN = "356000000"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits whose Luhn checksum holds (La Poste: digit sum divisible by 5)."""
    if len(value) != 14 or not value.isdigit():
        raise ValidationError(_("Un SIRET compte exactement 14 chiffres."), code="siret_format")
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(char) for char in value) % 5 == 0
    else:
        valid = luhn_is_valid(value)
    if not valid:
        raise ValidationError(
            _("Ce SIRET n'est pas valide (clé de contrôle incorrecte)."), code="siret_checksum"
        )
