"""Structure directory pages written for tests, in the observatory's layout."""

LISTING = {"centre_social": "Liste des centres sociaux", "evs": "Liste des espaces de vie sociale"}


def card_text(
    *,
    name: str = "CENTRE SOCIAL DU PARC",
    street: str = "12 rue des Lilas",
    postcode: str = "94000",
    commune: str = "Créteil",
    email: str = "accueil@csduparc.example.org",
    website: str = "www.csduparc.example.org",
    siret: str = "779 932 946 00048",
    agrement: str = "24/11/2024",
    population: str = "12000",
    history: tuple[str, ...] = ("Créé en 1970 par des habitants du quartier.",),
    axes: tuple[str, ...] = ("Accueillir", "Accompagner les familles", "", "", ""),
    management: str = "Associatif",
    territory_type: str = "Un espace à dominante urbaine",
    territory_size: str = "Plusieurs quartiers",
    priority: str = (
        "Votre structure est située sur un quartier prioritaire de la Politique de la Ville (QPV)"
    ),
    fcs: str = "Oui",
    other_federation: str = "Non",
    travellers: str = "Non",
    multi_site: str = "Non",
    itinerant: str = "Non",
    omit: tuple[str, ...] = (),
) -> str:
    """One identity card, every line as the directory prints it; ``omit`` leaves out the
    lines whose label begins with one of its strings."""
    lines = [
        "Informations sur la structure",
        name,
        "Fiche identité",
        "Adresse",
        f"{name}{street}",
        f"{postcode} {commune}",
        f"Adresse mail contact : {email}",
        f"Site internet : {website}",
        f"Numéro SIRET : {siret}",
        "Historique",
        f"Date du 1er agrément : {agrement}",
        f"Population de la zone de compétence : {population}",
        *history,
        "Axes du projet en cours :",
        *(f"- Axe {number} : {text}".rstrip() for number, text in enumerate(axes, 1)),
        "Mode de gestion",
        f"Mode de gestion de la structure : {management}",
        "Territoire d\u2019intervention et géographie prioritaire",
        f"Type de territoire d\u2019intervention : {territory_type}",
        f"Taille du territoire d\u2019intervention : {territory_size}",
        f"Géographie prioritaire : {priority}",
        "Adhésion à une fédération",
        f"Adhérent à la Fédération des Centres Sociaux : {fcs}",
        f"Adhérent à une autre fédération : {other_federation}",
        "Spécificités de la structure",
        f"Structure « gens du voyage » : {travellers}",
        f"Structure multi-sites / éclaté : {multi_site}",
        f"Structure itinérante : {itinerant}",
    ]
    lines = [line for line in lines if not line.startswith(omit)] if omit else lines
    return "\n".join(lines) + "\n"


def directory_page(*cards: str, kind: str = "centre_social") -> str:
    return LISTING[kind] + "\n" + "".join(cards)
