"""Where the portal's vocabularies meet those of data·inclusion, published as a table of the
bulk download (``datainclusion.csv``).

data·inclusion (GIP de l'inclusion, https://www.data.inclusion.gouv.fr) publishes the
national schema of the social-inclusion offer, whose vocabularies ("référentiels") many
French portals share. Source of the values below: the schema's version 1, package
``data-inclusion-schema`` 1.0 (https://github.com/gip-inclusion/data-inclusion-schema),
files ``src/data_inclusion/schema/v1/publics.py``, ``typologies_de_structures.py`` and
``reseaux_porteurs.py``; labels as they are written there.

Only real correspondences are listed, with their strength in SKOS terms: ``exactMatch``
(same meaning), ``closeMatch`` (interchangeable in practice), ``broadMatch`` (the
data·inclusion value is broader). The other values have no counterpart: the portal's themes
describe what a social centre does with its inhabitants (leisure, culture, parenting), the
data·inclusion thematics the individual services of the inclusion offer (employment,
housing, rights), and no theme means the same in both; the publics "tous publics" and
"adultes" have no value in the data·inclusion list.
"""

EXACT, CLOSE, BROAD = "exactMatch", "closeMatch", "broadMatch"

# (portal vocabulary, value, data·inclusion vocabulary, value, data·inclusion label, match)
CORRESPONDENCES = (
    ("publics", "familles", "publics", "familles", "Familles", EXACT),
    ("publics", "enfance", "publics", "familles", "Familles", BROAD),
    ("publics", "petite-enfance", "publics", "familles", "Familles", BROAD),
    ("publics", "jeunesse", "publics", "jeunes", "Jeunes", CLOSE),
    ("publics", "seniors", "publics", "seniors", "Séniors", EXACT),
    (
        "publics",
        "personnes-en-situation-de-handicap",
        "publics",
        "personnes-en-situation-de-handicap",
        "Personnes en situation de handicap",
        EXACT,
    ),
    ("structures.kind", "centre_social", "typologies_de_structures", "CS", "Centre social", EXACT),
    (
        "structures.kind",
        "evs",
        "typologies_de_structures",
        "EVS",
        "Espace de Vie Sociale (EVS)",
        EXACT,
    ),
    # The federations of the portal are those of the FCSF network: a structure that has one
    # belongs to the network data·inclusion calls "fcsf".
    (
        "structures.federation",
        "*",
        "reseaux_porteurs",
        "fcsf",
        "Fédération des Centres Sociaux et Socioculturels de France",
        EXACT,
    ),
)

COLUMNS = (
    "vocabulary",
    "value",
    "datainclusion_vocabulary",
    "datainclusion_value",
    "datainclusion_label",
    "match",
)


def rows():
    for correspondence in CORRESPONDENCES:
        yield dict(zip(COLUMNS, correspondence, strict=True))
