"""French phrase banks and the composer that turns them into the sections of a demo sheet.

Everything is built offline from the banks below with a seeded ``random.Random``: the same seed
gives the same texts. Each theme has its own titles, activities and objectives so that a
full-text search for "séjour familles" or "accompagnement scolarité" finds plausible sheets;
the rest (origins, phases, results, limits...) is shared. Lengths vary like those of the
published sheets: a few lines for a summary, several paragraphs for the experience.
"""

import random
from dataclasses import dataclass, field

from actions.formatting import format_euros


@dataclass(frozen=True)
class ThemeBank:
    titles: tuple[str, ...]
    activities: tuple[str, ...]  # noun phrases with their article: "des ateliers cuisine"
    objectives: tuple[str, ...]  # infinitive phrases: "rompre l'isolement des seniors"
    publics: tuple[str, ...] = ()  # public slugs this theme usually addresses
    related: tuple[str, ...] = ()  # theme slugs often ticked together with this one
    extra: tuple[str, ...] = field(default=())  # theme-specific description sentences


THEMES: dict[str, ThemeBank] = {
    "parentalite": ThemeBank(
        titles=(
            "Café des parents",
            "Lieu d'accueil enfants-parents",
            "Ateliers parents-enfants",
            "Groupe de parole de parents d'ados",
            "Semaine de la parentalité",
            "La pause des parents",
            "Rendez-vous des jeunes parents",
        ),
        activities=(
            "des ateliers parents-enfants autour du jeu et de l'éveil",
            "un café des parents animé par la référente famille",
            "un lieu d'accueil enfants-parents ouvert deux matinées par semaine",
            "des soirées-débats sur l'adolescence et les écrans",
            "des groupes de parole accompagnés par une psychologue",
        ),
        objectives=(
            "soutenir les parents dans leur rôle éducatif",
            "rompre l'isolement des jeunes parents",
            "renforcer le lien entre parents et enfants",
            "valoriser les compétences des parents",
            "favoriser l'entraide entre familles",
        ),
        publics=("familles", "petite-enfance", "enfance"),
        related=("famille", "education-scolarite", "vacances-loisirs"),
        extra=(
            "Les échanges portent sur le sommeil, l'alimentation, les écrans, l'autorité ou "
            "les relations entre frères et sœurs, à partir des questions apportées par les "
            "parents eux-mêmes.",
            "Un espace de jeu est aménagé pour les enfants pendant que les parents échangent.",
        ),
    ),
    "vacances-loisirs": ThemeBank(
        titles=(
            "Séjour familles à la mer",
            "Départs en vacances en autonomie",
            "Sorties familiales de l'été",
            "Mini-camps jeunes",
            "Un été au quartier",
            "Séjour familles à la montagne",
            "Week-ends découverte",
        ),
        activities=(
            "l'accompagnement de familles dans la préparation d'un premier départ en vacances",
            "des sorties à la journée à la mer, en forêt ou dans un parc de loisirs",
            "un séjour collectif d'une semaine en camping",
            "des mini-camps pour les jeunes pendant les vacances d'été",
            "des animations de proximité au pied des immeubles en juillet et en août",
        ),
        objectives=(
            "permettre à des familles qui ne partent jamais de vivre un temps de vacances",
            "rendre les familles autonomes dans l'organisation de leurs loisirs",
            "offrir aux enfants une ouverture sur d'autres territoires",
            "créer des souvenirs communs entre parents et enfants",
            "favoriser la mixité sociale pendant l'été",
        ),
        publics=("familles", "jeunesse", "enfance"),
        related=("famille", "parentalite", "culture"),
        extra=(
            "Les familles construisent leur budget avec l'appui du dispositif VACAF et "
            "participent à des actions d'autofinancement (vide-grenier, vente de gâteaux).",
            "Des réunions de préparation permettent de choisir la destination, le mode de "
            "transport et le programme des journées.",
        ),
    ),
    "culture": ThemeBank(
        titles=(
            "Atelier théâtre intergénérationnel",
            "Chorale du quartier",
            "Festival des cultures",
            "Sorties au spectacle",
            "Atelier d'écriture",
            "Exposition photo des habitants",
            "Fresque participative",
        ),
        activities=(
            "un atelier théâtre animé par une compagnie professionnelle",
            "des sorties au théâtre, au musée et au cinéma à tarif réduit",
            "une chorale ouverte à toutes les voix",
            "un atelier d'écriture suivi d'une lecture publique",
            "la réalisation d'une fresque avec un artiste en résidence",
        ),
        objectives=(
            "rendre la culture accessible à tous",
            "valoriser la parole et la créativité des habitants",
            "faire découvrir les lieux culturels de l'agglomération",
            "créer une œuvre collective qui change le regard sur le quartier",
        ),
        publics=("tous-publics", "adultes", "jeunesse"),
        related=("evenementiel", "intergenerationnel", "mixite-sociale"),
        extra=(
            "Le projet s'est conclu par une représentation publique devant plus de cent "
            "personnes, dans la salle des fêtes de la commune.",
        ),
    ),
    "education-scolarite": ThemeBank(
        titles=(
            "Accompagnement à la scolarité (CLAS)",
            "Coup de pouce lecture",
            "Aide aux devoirs et projets",
            "Passerelle CM2-sixième",
            "Ateliers de révisions du brevet",
            "Parents et école, on se parle",
        ),
        activities=(
            "un accompagnement à la scolarité quatre soirs par semaine",
            "des ateliers ludiques autour de la lecture et des mathématiques",
            "des projets culturels et scientifiques menés en petits groupes",
            "des rencontres entre parents et enseignants au centre social",
            "un stage de révisions pendant les vacances de printemps",
        ),
        objectives=(
            "aider les enfants à acquérir des méthodes de travail",
            "donner confiance aux élèves en difficulté",
            "accompagner les parents dans le suivi de la scolarité",
            "faciliter le passage de l'école au collège",
            "rapprocher les familles de l'institution scolaire",
        ),
        publics=("enfance", "jeunesse", "familles"),
        related=("parentalite", "culture", "numerique"),
        extra=(
            "Le dispositif s'inscrit dans la charte nationale de l'accompagnement à la "
            "scolarité ; un bénévole suit au plus trois enfants.",
        ),
    ),
    "intergenerationnel": ThemeBank(
        titles=(
            "Jardin des générations",
            "Repas partagés entre générations",
            "Tricot-papote",
            "Les mercredis des grands-parents",
            "Mémoire du quartier",
        ),
        activities=(
            "des rencontres régulières entre les enfants de l'accueil de loisirs et les résidents "
            "de l'EHPAD",
            "un atelier de collecte de la mémoire du quartier",
            "des repas partagés préparés par des seniors et des jeunes",
            "un jardin cultivé ensemble par les écoliers et les retraités",
        ),
        objectives=(
            "créer des liens entre les générations",
            "changer le regard des jeunes sur le vieillissement",
            "valoriser les savoirs des anciens",
            "lutter contre l'isolement des personnes âgées",
        ),
        publics=("seniors", "enfance", "tous-publics"),
        related=("vieillissement", "culture", "solidarite"),
    ),
    "mixite-sociale": ThemeBank(
        titles=(
            "Fête des voisins élargie",
            "Repas du monde",
            "Le quartier se rencontre",
            "Cafés-rencontres",
        ),
        activities=(
            "des temps de rencontre entre habitants des différents secteurs de la commune",
            "des repas du monde préparés par les habitants",
            "des animations de rue qui rassemblent les habitants du quartier et du centre-ville",
        ),
        objectives=(
            "favoriser la rencontre entre des habitants qui se côtoient sans se connaître",
            "dépasser les préjugés entre quartiers",
            "faire du centre un lieu ouvert à tous",
        ),
        publics=("tous-publics", "familles"),
        related=("habitants", "evenementiel", "culture"),
    ),
    "solidarite": ThemeBank(
        titles=(
            "Épicerie solidaire",
            "Réseau d'entraide entre voisins",
            "Collecte solidaire de l'hiver",
            "Boutique solidaire",
            "Repair café",
        ),
        activities=(
            "une épicerie solidaire ouverte trois demi-journées par semaine",
            "un réseau d'entraide entre voisins pour les petits services du quotidien",
            "une boutique de vêtements à petits prix tenue par des bénévoles",
            "un repair café mensuel",
        ),
        objectives=(
            "soutenir les ménages aux revenus modestes",
            "développer l'entraide de proximité",
            "redonner une place active aux personnes aidées",
            "lutter contre le gaspillage",
        ),
        publics=("tous-publics", "adultes", "familles"),
        related=("precarite", "alimentation", "habitants"),
    ),
    "vieillissement": ThemeBank(
        titles=(
            "Forum seniors",
            "Ateliers équilibre et prévention des chutes",
            "Visites de convivialité",
            "Bien vieillir au quartier",
            "Club des aînés connectés",
        ),
        activities=(
            "un forum annuel qui réunit les services utiles aux seniors",
            "des ateliers de prévention des chutes animés par un éducateur sportif",
            "des visites de convivialité à domicile par des bénévoles formés",
            "des après-midi jeux et goûters",
        ),
        objectives=(
            "rompre l'isolement des personnes âgées",
            "préserver l'autonomie des seniors à domicile",
            "informer les retraités sur leurs droits",
            "repérer les situations de fragilité",
        ),
        publics=("seniors",),
        related=("intergenerationnel", "sante", "acces-aux-droits"),
        extra=(
            "L'action est soutenue par la conférence des financeurs de la prévention de la "
            "perte d'autonomie.",
        ),
    ),
    "democratie-citoyennete": ThemeBank(
        titles=(
            "Conseil citoyen",
            "Assemblée des habitants",
            "Budget participatif du quartier",
            "Junior association",
            "Débats du jeudi",
        ),
        activities=(
            "l'animation d'un conseil citoyen",
            "des débats mensuels sur des sujets d'actualité",
            "l'accompagnement d'une junior association",
            "un budget participatif dont les habitants choisissent les projets",
        ),
        objectives=(
            "donner la parole aux habitants",
            "encourager l'engagement citoyen",
            "faire vivre le pouvoir d'agir des habitants",
            "associer les jeunes aux décisions qui les concernent",
        ),
        publics=("adultes", "jeunesse", "tous-publics"),
        related=("habitants", "mixite-sociale", "discriminations"),
    ),
    "discriminations": ThemeBank(
        titles=(
            "Semaine contre les discriminations",
            "Égalité filles-garçons",
            "Théâtre-forum sur les préjugés",
        ),
        activities=(
            "un théâtre-forum sur les discriminations vécues au quotidien",
            "des ateliers sur l'égalité entre filles et garçons",
            "une exposition réalisée avec les jeunes",
        ),
        objectives=(
            "prévenir les discriminations",
            "déconstruire les stéréotypes",
            "accompagner les victimes vers leurs droits",
        ),
        publics=("jeunesse", "adultes"),
        related=("democratie-citoyennete", "integration", "mixite-sociale"),
    ),
    "sante": ThemeBank(
        titles=(
            "Ateliers santé ville",
            "Parcours santé des femmes",
            "Bouger pour sa santé",
            "Bien-être et estime de soi",
        ),
        activities=(
            "des ateliers de prévention animés avec le centre de santé",
            "des séances de marche et de gymnastique douce",
            "des ateliers d'estime de soi",
            "une permanence d'information sur les dépistages",
        ),
        objectives=(
            "faciliter l'accès aux soins et à la prévention",
            "encourager l'activité physique",
            "renforcer l'estime de soi",
        ),
        publics=("adultes", "seniors"),
        related=("sport", "alimentation", "acces-aux-droits"),
    ),
    "precarite": ThemeBank(
        titles=(
            "Accueil de jour",
            "Coup de pouce énergie",
            "Accompagnement budgétaire",
        ),
        activities=(
            "des ateliers de gestion du budget familial",
            "un accompagnement individuel des ménages en difficulté",
            "des visites à domicile pour réduire les factures d'énergie",
        ),
        objectives=(
            "prévenir le surendettement",
            "lutter contre la précarité énergétique",
            "accompagner les ménages vers plus d'autonomie",
        ),
        publics=("adultes", "familles"),
        related=("solidarite", "acces-aux-droits", "logement"),
    ),
    "mobilite-transport": ThemeBank(
        titles=(
            "Transport solidaire",
            "Atelier vélo",
            "Permis de conduire accompagné",
            "Bouger sans voiture",
        ),
        activities=(
            "un service de transport solidaire assuré par des chauffeurs bénévoles",
            "un atelier d'autoréparation de vélos",
            "un accompagnement vers le permis de conduire",
        ),
        objectives=(
            "lever les freins à la mobilité",
            "faciliter l'accès aux services en milieu rural",
            "encourager les déplacements doux",
        ),
        publics=("adultes", "seniors", "jeunesse"),
        related=("emploi-insertion", "developpement-durable", "solidarite"),
    ),
    "europe-et-international": ThemeBank(
        titles=(
            "Échange de jeunes européens",
            "Partir avec Erasmus+",
            "Jumelage solidaire",
        ),
        activities=(
            "un échange de jeunes avec une association partenaire à l'étranger",
            "l'accueil d'une volontaire européenne",
            "un projet de solidarité internationale",
        ),
        objectives=(
            "ouvrir les jeunes sur l'Europe",
            "développer la mobilité internationale des jeunes",
            "faire vivre la citoyenneté européenne",
        ),
        publics=("jeunesse",),
        related=("democratie-citoyennete", "culture", "integration"),
    ),
    "developpement-durable": ThemeBank(
        titles=(
            "Jardin partagé",
            "Défi familles zéro déchet",
            "Ressourcerie",
            "Compostage collectif",
        ),
        activities=(
            "un jardin partagé cultivé par les habitants",
            "un défi familles zéro déchet",
            "des ateliers de fabrication de produits ménagers",
            "l'installation de composteurs collectifs",
        ),
        objectives=(
            "sensibiliser aux gestes éco-citoyens",
            "réduire les déchets des ménages",
            "réduire les dépenses du quotidien",
        ),
        publics=("familles", "tous-publics"),
        related=("environnement", "alimentation", "solidarite"),
    ),
    "environnement": ThemeBank(
        titles=(
            "Nettoyons le quartier",
            "Balades nature",
            "Potager pédagogique",
        ),
        activities=(
            "des opérations de nettoyage du quartier",
            "des balades nature avec une association naturaliste",
            "un potager pédagogique avec les enfants",
        ),
        objectives=(
            "améliorer le cadre de vie",
            "faire découvrir la nature de proximité",
            "sensibiliser les enfants à la biodiversité",
        ),
        publics=("enfance", "familles", "tous-publics"),
        related=("developpement-durable", "habitants"),
    ),
    "logement": ThemeBank(
        titles=(
            "Permanence logement",
            "Ateliers habitat",
            "Bien vivre dans son logement",
        ),
        activities=(
            "une permanence d'information sur le logement",
            "des ateliers sur les économies d'eau et d'énergie",
            "un accompagnement des locataires dans leurs démarches",
        ),
        objectives=(
            "favoriser l'accès au logement",
            "améliorer les relations entre locataires et bailleur",
            "prévenir les impayés de loyer",
        ),
        publics=("adultes", "familles"),
        related=("precarite", "acces-aux-droits"),
    ),
    "integration": ThemeBank(
        titles=(
            "Accueil des nouveaux arrivants",
            "Parrainage de familles réfugiées",
            "Découverte de la ville",
        ),
        activities=(
            "un accueil des nouveaux arrivants",
            "un parrainage de familles réfugiées par des bénévoles",
            "des visites de découverte des services de la ville",
        ),
        objectives=(
            "faciliter l'intégration des personnes étrangères",
            "créer des liens entre nouveaux et anciens habitants",
            "faire connaître les services publics",
        ),
        publics=("adultes", "familles"),
        related=("alphabetisation-apprentissage-du-francais", "acces-aux-droits"),
    ),
    "habitants": ThemeBank(
        titles=(
            "Comité d'habitants",
            "Porte-à-porte de l'été",
            "Initiatives d'habitants",
            "Le centre hors les murs",
        ),
        activities=(
            "l'accompagnement de projets portés par des habitants",
            "une présence régulière au pied des immeubles",
            "un fonds de participation des habitants",
        ),
        objectives=(
            "aller à la rencontre des habitants",
            "soutenir les initiatives d'habitants",
            "développer le pouvoir d'agir",
        ),
        publics=("tous-publics", "adultes"),
        related=("democratie-citoyennete", "mixite-sociale"),
    ),
    "famille": ThemeBank(
        titles=(
            "Samedis en famille",
            "Fête des familles",
            "Ludothèque",
            "Soirées jeux en famille",
        ),
        activities=(
            "des samedis en famille avec jeux, cuisine et bricolage",
            "une ludothèque ouverte aux familles",
            "des soirées jeux de société",
        ),
        objectives=(
            "partager des moments de loisirs en famille",
            "rompre l'isolement des familles",
            "créer des liens entre les familles du quartier",
        ),
        publics=("familles", "enfance", "petite-enfance"),
        related=("parentalite", "vacances-loisirs"),
    ),
    "evenementiel": ThemeBank(
        titles=(
            "Fête de quartier",
            "Carnaval",
            "Fête du jeu",
            "Marché de Noël solidaire",
        ),
        activities=(
            "une fête de quartier préparée avec les associations",
            "un carnaval avec les écoles",
            "une fête du jeu dans le parc",
            "un marché de Noël solidaire",
        ),
        objectives=(
            "rassembler les habitants autour d'un temps festif",
            "valoriser l'image du quartier",
            "mobiliser de nouveaux bénévoles",
        ),
        publics=("tous-publics", "familles"),
        related=("culture", "mixite-sociale", "habitants"),
    ),
    "alphabetisation-apprentissage-du-francais": ThemeBank(
        titles=(
            "Ateliers sociolinguistiques",
            "Français langue étrangère",
            "Parler français au quotidien",
        ),
        activities=(
            "des ateliers sociolinguistiques",
            "des cours de français langue étrangère",
            "des sorties pour pratiquer le français",
        ),
        objectives=(
            "permettre l'apprentissage du français",
            "favoriser l'autonomie dans les démarches",
            "faciliter le lien avec l'école",
        ),
        publics=("adultes",),
        related=("integration", "acces-aux-droits", "parentalite"),
    ),
    "numerique": ThemeBank(
        titles=(
            "Espace public numérique",
            "Permanence numérique",
            "Ateliers informatique seniors",
            "Fab lab",
        ),
        activities=(
            "des ateliers d'initiation à l'informatique",
            "une permanence d'aide aux démarches en ligne",
            "un fab lab ouvert aux jeunes",
        ),
        objectives=(
            "réduire la fracture numérique",
            "accompagner les démarches dématérialisées",
            "sensibiliser aux usages des écrans",
        ),
        publics=("adultes", "seniors", "jeunesse"),
        related=("acces-aux-droits", "emploi-insertion", "vieillissement"),
    ),
    "emploi-insertion": ThemeBank(
        titles=(
            "Chantier éducatif jeunes",
            "Coup de pouce emploi",
            "Job dating",
        ),
        activities=(
            "des chantiers éducatifs rémunérés",
            "un accompagnement vers l'emploi",
            "des rencontres avec des entreprises",
        ),
        objectives=(
            "accompagner vers l'emploi",
            "valoriser les compétences",
            "lever les freins à l'insertion",
        ),
        publics=("jeunesse", "adultes"),
        related=("mobilite-transport", "numerique"),
    ),
    "acces-aux-droits": ThemeBank(
        titles=(
            "Point d'accès aux droits",
            "Maison France services",
            "Permanence écrivain public",
        ),
        activities=(
            "une permanence d'accès aux droits",
            "l'accueil France services",
            "une permanence d'écrivain public",
        ),
        objectives=(
            "faciliter l'accès aux droits",
            "lutter contre le non-recours",
            "accompagner les démarches administratives",
        ),
        publics=("adultes", "seniors", "familles"),
        related=("numerique", "precarite"),
    ),
    "alimentation": ThemeBank(
        titles=(
            "Atelier cuisine",
            "Cuisine partagée",
            "Bien manger petit budget",
        ),
        activities=(
            "des ateliers cuisine",
            "une cuisine partagée",
            "un potager collectif",
        ),
        objectives=(
            "promouvoir une alimentation saine",
            "cuisiner avec un petit budget",
            "créer du lien autour du repas",
        ),
        publics=("familles", "adultes", "tous-publics"),
        related=("sante", "solidarite", "developpement-durable"),
    ),
    "sport": ThemeBank(
        titles=(
            "Sport au féminin",
            "Tournoi de quartier",
            "Sport en famille",
        ),
        activities=(
            "des séances de sport pour les femmes",
            "un tournoi inter-quartiers",
            "des activités sportives en famille",
        ),
        objectives=(
            "rendre le sport accessible",
            "favoriser la pratique sportive des femmes",
            "encourager le respect et le fair-play",
        ),
        publics=("jeunesse", "adultes", "familles"),
        related=("sante", "evenementiel"),
    ),
}

GENERIC_THEME = ThemeBank(
    titles=("Projet d'habitants", "Action collective"),
    activities=("des rencontres régulières entre habitants", "des ateliers collectifs"),
    objectives=("créer du lien social", "soutenir les initiatives des habitants"),
)

# Popularity order of the themes: the catalogue's theme counts follow a Zipf-like law in it.
THEME_POPULARITY = (
    "parentalite",
    "famille",
    "vacances-loisirs",
    "culture",
    "education-scolarite",
    "solidarite",
    "intergenerationnel",
    "habitants",
    "vieillissement",
    "mixite-sociale",
    "evenementiel",
    "democratie-citoyennete",
    "acces-aux-droits",
    "numerique",
    "alimentation",
    "sante",
    "developpement-durable",
    "alphabetisation-apprentissage-du-francais",
    "precarite",
    "sport",
    "emploi-insertion",
    "mobilite-transport",
    "integration",
    "environnement",
    "logement",
    "discriminations",
    "europe-et-international",
)
PUBLIC_POPULARITY = (
    "familles",
    "tous-publics",
    "enfance",
    "jeunesse",
    "adultes",
    "seniors",
    "petite-enfance",
    "personnes-en-situation-de-handicap",
)

PUBLIC_PHRASES = {
    "tous-publics": (
        "les habitants du quartier",
        "tous les habitants, sans distinction d'âge",
        "les habitants de {commune}",
    ),
    "petite-enfance": (
        "les enfants de moins de six ans et leurs parents",
        "les tout-petits et leurs parents",
    ),
    "enfance": ("les enfants de 6 à 11 ans", "les enfants scolarisés en élémentaire"),
    "jeunesse": (
        "les jeunes de 11 à 17 ans",
        "les adolescents du quartier",
        "les jeunes de 16 à 25 ans",
    ),
    "familles": (
        "les familles du quartier",
        "les parents et leurs enfants",
        "les familles monoparentales",
    ),
    "adultes": (
        "les adultes du territoire",
        "les habitantes et habitants adultes",
        "les femmes du quartier",
    ),
    "seniors": (
        "les personnes âgées isolées",
        "les seniors du territoire",
        "les retraités du quartier",
    ),
    "personnes-en-situation-de-handicap": (
        "les personnes en situation de handicap et leurs aidants",
        "les enfants en situation de handicap et leurs familles",
    ),
}

FREQUENCIES = (
    "chaque mercredi après-midi",
    "deux fois par semaine",
    "un samedi par mois",
    "pendant les vacances scolaires",
    "tout au long de l'année scolaire",
    "chaque semaine, hors vacances scolaires",
    "une semaine en été",
    "le mardi et le jeudi en fin de journée",
    "un vendredi soir par mois",
    "chaque trimestre",
)
PLACES = (
    "dans les locaux du centre",
    "au pied des immeubles",
    "dans la salle polyvalente de la commune",
    "à la médiathèque",
    "dans les écoles du quartier",
    "en itinérance dans les villages",
    "dans un local mis à disposition par le bailleur",
    "dans le jardin partagé",
    "sur la place du marché",
)
NEIGHBOURHOODS = (
    "des Coteaux",
    "du Val Fleuri",
    "de la Source",
    "des Provinces",
    "du Mail",
    "de la Gare",
    "des Tilleuls",
    "de Bel-Air",
    "du Centre-ville",
    "des Châtaigniers",
    "de la Croix-Rouge",
    "des Acacias",
    "du Moulin",
    "de la Briqueterie",
    "des Trois-Cités",
    "du Bourg",
)
INITIATORS = (
    "un groupe de mères de famille",
    "des habitants du quartier",
    "les bénévoles de l'accueil",
    "l'équipe d'animation",
    "des jeunes fréquentant l'accueil de loisirs",
    "une enseignante de l'école voisine",
    "la commission famille du conseil d'administration",
    "des retraités adhérents du centre",
)
MOMENTS = (
    "de l'assemblée générale",
    "du diagnostic partagé mené pour le renouvellement du projet social",
    "d'une réunion de quartier",
    "d'un café-habitants",
    "d'un porte-à-porte réalisé au printemps",
    "d'un bilan des activités de l'été",
)
NEEDS = (
    "l'isolement de nombreuses familles arrivées récemment",
    "un manque de lieux de rencontre entre générations",
    "des difficultés d'accès aux droits et aux services publics",
    "une forte demande d'activités pendant les vacances",
    "le besoin d'un soutien aux parents d'adolescents",
    "la fracture numérique chez les plus âgés",
    "le peu d'offre culturelle de proximité",
    "des difficultés de mobilité en milieu rural",
    "la précarité croissante de certains ménages",
)
PHASES = (
    "un temps de diagnostic avec les habitants",
    "la constitution d'un groupe de pilotage",
    "la recherche de financements",
    "la mise en place des premières séances",
    "un bilan intermédiaire avec les partenaires",
    "une fête de clôture ouverte à tous",
    "la valorisation des réalisations lors d'une exposition",
    "la formation des bénévoles",
    "la communication auprès des écoles et des commerçants",
)
COMMUNICATION = (
    "les écoles, les réseaux sociaux du centre et le bouche-à-oreille",
    "un affichage chez les commerçants et la lettre d'information de la commune",
    "les travailleurs sociaux du département, qui orientent les familles",
    "le journal du quartier et la page Facebook du centre",
)
CARE = (
    "l'accueil des personnes les plus éloignées des activités",
    "la participation des pères",
    "la mixité des publics",
    "l'accessibilité des lieux aux personnes à mobilité réduite",
    "la gratuité pour les familles aux revenus modestes",
    "la place laissée aux propositions des participants",
)
STAFF_ROLES = (
    "une référente famille",
    "un animateur jeunesse",
    "la directrice",
    "une conseillère en économie sociale et familiale",
    "un agent d'accueil",
    "une coordinatrice",
    "un animateur multimédia",
    "une animatrice seniors",
)
RESULTS_TERRITORY = (
    "L'action a renforcé les liens entre les habitants et {partner}.",
    "De nouveaux partenariats se sont noués, notamment avec {partner2}.",
    "Le quartier dispose désormais d'un rendez-vous identifié par tous.",
    "Les partenaires du territoire orientent davantage de personnes vers le centre.",
    "La commune a décidé de soutenir durablement le projet.",
    "L'image du quartier a évolué auprès des habitants des autres secteurs de la commune.",
)
RESULTS_CENTRE = (
    "L'action a permis au centre de toucher un public nouveau, jusque-là peu présent.",
    "Plusieurs participants sont devenus bénévoles, et deux siègent au conseil d'administration.",
    "L'équipe a développé de nouvelles compétences et travaille davantage en transversalité.",
    "Le projet a renforcé la place du centre comme lieu ressource du territoire.",
    "Les adhésions ont progressé d'environ {percent} % sur l'année.",
)
RESULTS_RESIDENTS = (
    "Les participants disent se sentir moins seuls et plus à l'aise pour sortir de chez eux.",
    "Des liens d'entraide se sont créés et perdurent en dehors des séances.",
    "Les parents ont gagné en confiance et osent davantage solliciter l'école.",
    "Certains participants se sont engagés dans d'autres activités du centre.",
    "Les habitants ont pris des responsabilités dans l'organisation.",
    "Les enfants ont découvert des activités qu'ils ne connaissaient pas.",
)
LIMITS = (
    "La mobilisation des pères reste difficile.",
    "Le financement, reconduit d'année en année, reste fragile.",
    "Le renouvellement des bénévoles demande une attention constante.",
    "Les locaux sont trop exigus pour accueillir tous les inscrits.",
    "La fréquentation baisse nettement en hiver.",
    "Il est difficile de toucher les personnes les plus isolées.",
    "Le temps de coordination avec les partenaires a été sous-estimé.",
)
PERSPECTIVES = (
    "Reconduire l'action en {next_year} en l'élargissant {a_public2}.",
    "Former de nouveaux bénévoles pour rendre le groupe plus autonome.",
    "Essaimer l'action dans les communes voisines avec l'appui de la fédération.",
    "Rechercher des financements pluriannuels.",
    "Associer davantage les participants à la préparation des séances.",
    "Créer un guide pour partager l'expérience avec d'autres centres sociaux.",
)
END_REASONS = (
    "Fin du financement de l'appel à projets.",
    "Départ de l'animatrice qui portait le projet.",
    "Le projet a atteint ses objectifs et les habitants le font vivre en autonomie.",
    "Les activités ont dû être suspendues pendant la crise sanitaire.",
    "Le partenaire principal s'est retiré.",
    "L'action a été remplacée par un projet plus large.",
)
REJECTION_REASONS = (
    "Le résumé et la description sont à compléter avant publication.",
    "Merci de préciser les publics concernés et les partenaires financiers.",
    "Des informations personnelles figurent dans la description : à retirer.",
)
TITLE_SUFFIXES = (
    " à {commune}",
    " – quartier {neighbourhood}",
    " {year}",
    " : ensemble, c'est mieux",
    " : tous concernés",
    " du mercredi",
    " en milieu rural",
    " au cœur du quartier",
)

VOWELS = tuple("aeiouyhéèêàâîïôûAEIOUYHÉÈÊÀÂÎÏÔÛ")


NUMBERS = ("zéro", "un", "deux", "trois", "quatre", "cinq")
ORDINALS = ("Première", "Deuxième", "Troisième", "Quatrième")


def a(phrase: str) -> str:
    """The French preposition "à" before ``phrase``, contracted with le/les ("aux familles")."""
    if phrase.startswith("les "):
        return f"aux {phrase[4:]}"
    if phrase.startswith("le "):
        return f"au {phrase[3:]}"
    return f"à {phrase}"


def de(phrase: str) -> str:
    """The French preposition "de" before ``phrase``, elided before a vowel."""
    return f"d'{phrase}" if phrase.startswith(VOWELS) else f"de {phrase}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


# Articles of partner names in running text ("le CCAS de Laval", "la médiathèque de Laval"):
# (start of the name, article, whether the name's first letter is lowered).
PARTNER_ARTICLES = (
    ("CCAS", "le ", False),
    ("Médiathèque", "la ", True),
    ("Mission locale", "la ", True),
    ("École", "l'", True),
    ("Restos", "les ", False),
    ("Secours", "le ", False),
    ("Croix-Rouge", "la ", False),
    ("Ligue", "la ", False),
    ("Petits Frères", "les ", False),
    ("AFEV", "l'", False),
    ("UFCV", "l'", False),
    ("Compagnons", "les ", False),
    ("Planning", "le ", False),
    ("Apprentis", "les ", False),
    ("Réseau", "le ", False),
)


def with_article(name: str) -> str:
    """A partner's name as written in a sentence ("le CCAS de Laval", "Unis-Cité")."""
    for start, article, lower in PARTNER_ARTICLES:
        if name.startswith(start):
            return article + (name[0].lower() + name[1:] if lower else name)
    if name.endswith(" Habitat"):
        return f"le bailleur {name}"
    return name


class SheetWriter:
    """Writes the text sections of one sheet from a theme bank and a few facts."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, options, k: int = 1):
        return self.rng.sample(options, min(k, len(options)))

    def title(self, bank: ThemeBank, facts: dict) -> str:
        title = self.rng.choice(bank.titles)
        if self.rng.random() < 0.35:
            title += self.rng.choice(TITLE_SUFFIXES).format(**facts)
        return title

    def sections(self, bank: ThemeBank, second: ThemeBank, facts: dict) -> dict[str, str]:
        rng = self.rng
        activity, activity2 = rng.choice(bank.activities), rng.choice(second.activities)
        objectives = self.pick(bank.objectives, 3) + self.pick(second.objectives, 1)
        ctx = {
            **facts,
            "activity": activity,
            "activity2": activity2,
            "frequency": rng.choice(FREQUENCIES),
            "place": rng.choice(PLACES),
            "objective": objectives[0],
            "objectives": join_list([de(o) for o in objectives[:3]]),
        }
        return {
            "summary": self._summary(ctx),
            "experience": self._experience(bank, ctx, objectives),
            "description": self._description(bank, second, ctx),
            "result_territory": self._some(RESULTS_TERRITORY, ctx, 1, 3, blank=0.08),
            "result_centre": self._some(RESULTS_CENTRE, ctx, 1, 3, blank=0.1),
            "result_residents": self._some(RESULTS_RESIDENTS, ctx, 1, 3, blank=0.08),
            "limits": self._some(LIMITS, ctx, 1, 3, blank=0.15),
            "perspectives": self._some(PERSPECTIVES, ctx, 1, 3, blank=0.12),
        }

    def _some(self, bank, ctx, low: int, high: int, *, blank: float) -> str:
        if self.rng.random() < blank:
            return ""
        return " ".join(s.format(**ctx) for s in self.pick(bank, self.rng.randint(low, high)))

    def _summary(self, ctx: dict) -> str:
        rng = self.rng
        first = rng.choice(
            (
                "{Centre} propose {activity} {frequency}, pour {public}.",
                "Depuis {year}, {centre} anime {activity} {place}.",
                "À {commune}, {centre} organise {activity} pour {public}.",
            )
        ).format(**ctx)
        rest = [
            f"L'objectif est {de(ctx['objective'])}.",
            f"L'action s'appuie sur un partenariat avec {ctx['partner']}.",
            f"{ctx['participants']} personnes y ont participé sur l'année.",
            "Les habitants sont associés à chaque étape, de la préparation au bilan.",
            f"Elle répond {a(rng.choice(NEEDS))}, repéré lors du diagnostic du projet social.",
            "L'action est ouverte à tous, sans condition d'adhésion.",
            "Les participants choisissent eux-mêmes une partie des activités.",
        ]
        return " ".join([first, *self.pick(rest, rng.randint(1, 4))])

    def _experience(self, bank: ThemeBank, ctx: dict, objectives: list[str]) -> str:
        rng = self.rng
        paragraphs = [
            f"L'action est née en {ctx['year']} d'une demande exprimée par "
            f"{rng.choice(INITIATORS)} lors {rng.choice(MOMENTS)}. Le diagnostic réalisé pour le "
            f"projet social avait mis en évidence {rng.choice(NEEDS)}.",
            f"Les objectifs sont {ctx['objectives']}. Plus largement, il s'agit "
            f"{de(objectives[-1])}.",
        ]
        phases = self.pick(PHASES, rng.randint(2, 4))
        if rng.random() < 0.5:
            paragraphs.append(
                f"Le projet s'est déroulé en {NUMBERS[len(phases)]} temps : {join_list(phases)}."
            )
        else:
            steps = [f"{ORDINALS[i]} étape : {phase}." for i, phase in enumerate(phases[:-1])]
            paragraphs.append(" ".join([*steps, f"Enfin, {phases[-1]}."]))
        paragraphs.append(
            f"L'action mobilise l'équipe du centre, des bénévoles et {ctx['partner']}. Un "
            f"comité de pilotage se réunit {rng.choice(FREQUENCIES[2:6])} pour ajuster le "
            "contenu aux attentes des participants."
        )
        if bank.extra and rng.random() < 0.7:
            paragraphs.append(rng.choice(bank.extra))
        if rng.random() < 0.6:
            paragraphs.append(
                "Un bilan est réalisé avec les participants à la fin de chaque cycle, à partir "
                "d'un questionnaire et d'un temps d'échange convivial. Les remarques recueillies "
                "ont conduit à revoir les horaires et à proposer de nouvelles activités."
            )
        return "\n\n".join(paragraphs)

    def _description(self, bank: ThemeBank, second: ThemeBank, ctx: dict) -> str:
        rng = self.rng
        low = rng.randint(6, 12)
        sentences = [
            "Concrètement, {centre} propose {activity2}.".format(**ctx),
            "Les rencontres ont lieu {frequency}, {place}.".format(**ctx),
            f"Les activités sont encadrées par {rng.choice(STAFF_ROLES)}, avec l'appui de "
            "bénévoles formés.",
            "Un café d'accueil ouvre chaque rencontre, pour que chacun trouve sa place.",
            "Un transport est organisé pour les personnes qui habitent loin du centre.",
            "Les supports (affiches, livrets, photos) sont conçus avec les participants.",
            f"Les séances durent environ deux heures et accueillent entre {low} et "
            f"{low + rng.randint(5, 20)} participants.",
            f"La communication passe par {rng.choice(COMMUNICATION)}.",
            f"Une attention particulière est portée à {rng.choice(CARE)}.",
            rng.choice(
                (
                    "L'inscription est gratuite ; une adhésion symbolique au centre est demandée.",
                    f"Une participation de {rng.randint(1, 5)} € par séance est demandée.",
                    "Les tarifs sont calculés selon le quotient familial.",
                )
            ),
        ]
        if second.extra and rng.random() < 0.4:
            sentences.append(rng.choice(second.extra))
        chosen = self.pick(sentences[1:], rng.randint(3, len(sentences) - 1))
        return " ".join([sentences[0], *chosen])

    def people_mobilised(self, staff: int, volunteers: int) -> str:
        roles = join_list(self.pick(STAFF_ROLES, staff))
        text = f"{staff} salarié{'s' if staff > 1 else ''} ({roles})"
        if volunteers:
            text += f" et {volunteers} bénévole{'s' if volunteers > 1 else ''}"
        return text + "."

    def financial_resources(self, lines: list[tuple[str, int]]) -> str:
        if not lines:
            return self.rng.choice(
                (
                    "Action financée sur les fonds propres du centre et par la participation "
                    "des familles.",
                    "",
                )
            )
        parts = [f"{name} ({format_euros(amount)})" for name, amount in lines]
        text = f"Financements : {join_list(parts)}."
        if self.rng.random() < 0.4:
            text += " Participation des familles selon le quotient familial."
        return text

    def end_reason(self) -> str:
        return self.rng.choice(END_REASONS)

    def rejection_reason(self) -> str:
        return self.rng.choice(REJECTION_REASONS)
