"""Geography of the demo network: population, article and chef-lieu of every département.

Populations (thousands, INSEE 2021, rounded) weight how many structures a département gets; the
article builds names such as "Caf du Nord" or "Fédération des centres sociaux de l'Ain".
"""

import random

# INSEE code -> (population in thousands, "de" + article, chef-lieu)
DEPARTMENTS: dict[str, tuple[int, str, str]] = {
    "01": (657, "de l'", "Bourg-en-Bresse"),
    "02": (531, "de l'", "Laon"),
    "03": (335, "de l'", "Moulins"),
    "04": (165, "des ", "Digne-les-Bains"),
    "05": (141, "des ", "Gap"),
    "06": (1094, "des ", "Nice"),
    "07": (328, "de l'", "Privas"),
    "08": (270, "des ", "Charleville-Mézières"),
    "09": (153, "de l'", "Foix"),
    "10": (310, "de l'", "Troyes"),
    "11": (374, "de l'", "Carcassonne"),
    "12": (279, "de l'", "Rodez"),
    "13": (2043, "des ", "Marseille"),
    "14": (694, "du ", "Caen"),
    "15": (144, "du ", "Aurillac"),
    "16": (352, "de la ", "Angoulême"),
    "17": (651, "de la ", "La Rochelle"),
    "18": (302, "du ", "Bourges"),
    "19": (240, "de la ", "Tulle"),
    "2A": (158, "de la ", "Ajaccio"),
    "2B": (182, "de la ", "Bastia"),
    "21": (534, "de la ", "Dijon"),
    "22": (600, "des ", "Saint-Brieuc"),
    "23": (116, "de la ", "Guéret"),
    "24": (413, "de la ", "Périgueux"),
    "25": (543, "du ", "Besançon"),
    "26": (516, "de la ", "Valence"),
    "27": (599, "de l'", "Évreux"),
    "28": (431, "d'", "Chartres"),
    "29": (915, "du ", "Quimper"),
    "30": (748, "du ", "Nîmes"),
    "31": (1415, "de la ", "Toulouse"),
    "32": (191, "du ", "Auch"),
    "33": (1623, "de la ", "Bordeaux"),
    "34": (1175, "de l'", "Montpellier"),
    "35": (1079, "d'", "Rennes"),
    "36": (219, "de l'", "Châteauroux"),
    "37": (610, "d'", "Tours"),
    "38": (1271, "de l'", "Grenoble"),
    "39": (259, "du ", "Lons-le-Saunier"),
    "40": (413, "des ", "Mont-de-Marsan"),
    "41": (329, "du ", "Blois"),
    "42": (765, "de la ", "Saint-Étienne"),
    "43": (227, "de la ", "Le Puy-en-Velay"),
    "44": (1429, "de la ", "Nantes"),
    "45": (680, "du ", "Orléans"),
    "46": (174, "du ", "Cahors"),
    "47": (331, "du ", "Agen"),
    "48": (76, "de la ", "Mende"),
    "49": (818, "de ", "Angers"),
    "50": (495, "de la ", "Saint-Lô"),
    "51": (566, "de la ", "Châlons-en-Champagne"),
    "52": (172, "de la ", "Chaumont"),
    "53": (307, "de la ", "Laval"),
    "54": (733, "de ", "Nancy"),
    "55": (184, "de la ", "Bar-le-Duc"),
    "56": (750, "du ", "Vannes"),
    "57": (1046, "de la ", "Metz"),
    "58": (204, "de la ", "Nevers"),
    "59": (2608, "du ", "Lille"),
    "60": (829, "de l'", "Beauvais"),
    "61": (279, "de l'", "Alençon"),
    "62": (1463, "du ", "Arras"),
    "63": (662, "du ", "Clermont-Ferrand"),
    "64": (687, "des ", "Pau"),
    "65": (229, "des ", "Tarbes"),
    "66": (479, "des ", "Perpignan"),
    "67": (1140, "du ", "Strasbourg"),
    "68": (767, "du ", "Colmar"),
    "69": (1883, "du ", "Lyon"),
    "70": (235, "de la ", "Vesoul"),
    "71": (551, "de ", "Mâcon"),
    "72": (566, "de la ", "Le Mans"),
    "73": (436, "de la ", "Chambéry"),
    "74": (826, "de la ", "Annecy"),
    "75": (2133, "de ", "Paris"),
    "76": (1255, "de la ", "Rouen"),
    "77": (1421, "de ", "Melun"),
    "78": (1448, "des ", "Versailles"),
    "79": (374, "des ", "Niort"),
    "80": (570, "de la ", "Amiens"),
    "81": (389, "du ", "Albi"),
    "82": (261, "du ", "Montauban"),
    "83": (1076, "du ", "Toulon"),
    "84": (561, "du ", "Avignon"),
    "85": (685, "de la ", "La Roche-sur-Yon"),
    "86": (438, "de la ", "Poitiers"),
    "87": (372, "de la ", "Limoges"),
    "88": (364, "des ", "Épinal"),
    "89": (335, "de l'", "Auxerre"),
    "90": (141, "du ", "Belfort"),
    "91": (1306, "de l'", "Évry-Courcouronnes"),
    "92": (1624, "des ", "Nanterre"),
    "93": (1655, "de la ", "Bobigny"),
    "94": (1407, "du ", "Créteil"),
    "95": (1249, "du ", "Cergy"),
    "971": (384, "de la ", "Basse-Terre"),
    "972": (361, "de la ", "Fort-de-France"),
    "973": (286, "de la ", "Cayenne"),
    "974": (871, "de ", "Saint-Denis"),
    "976": (256, "de ", "Mamoudzou"),
}

# Régions that also have a regional federation (covering every département of the région):
# INSEE code -> "de" + article.
REGIONAL_FEDERATIONS: dict[str, str] = {
    "53": "de Bretagne",
    "24": "du Centre-Val de Loire",
    "27": "de Bourgogne-Franche-Comté",
    "94": "de Corse",
    "28": "de Normandie",
}

_TOWN_BASES = [
    "Villeneuve",
    "Beaumont",
    "Châteauneuf",
    "Fontaine",
    "Neuville",
    "Rochefort",
    "Montfort",
    "Belleville",
    "Bourg",
    "Champigny",
    "Clairefont",
    "Valmont",
    "Mirabel",
    "Roquebrune",
    "Saint-Martin",
    "Saint-Julien",
    "Saint-Pierre",
    "Saint-Germain",
    "Sainte-Marie",
    "Saint-Laurent",
    "Saint-Jean",
    "Saint-Paul",
    "Sainte-Croix",
    "Saint-Aubin",
    "Montreuil",
    "Villefranche",
    "Bellegarde",
    "Montigny",
    "Chantemerle",
    "Mauriac",
    "Lavaur",
    "Pontarlier",
    "Vernon",
    "Aubigny",
    "Mareuil",
    "Chazelles",
    "Marcilly",
    "Fresnes",
    "Verneuil",
    "Bréval",
    "Le Vigan",
    "La Chapelle",
    "Les Essarts",
    "Le Plessis",
    "La Ferté",
    "Le Mesnil",
    "La Roche",
    "Les Ulis",
    "Le Bourg",
    "La Bastide",
    "Pont",
    "Mont",
    "Val",
    "Bois",
    "Saint-Rémy",
    "Saint-Cyr",
    "Saint-Denis",
    "Saint-Amand",
    "Saint-Étienne",
    "Sainte-Foy",
    "Saint-Georges",
    "Saint-Maurice",
    "Saint-Vincent",
    "Saint-Priest",
    "Saint-Hilaire",
    "Saint-Genis",
    "Sainte-Geneviève",
    "Saint-Michel",
    "Saint-Leu",
    "Saint-Avold",
    "Bonneval",
    "Montbrison",
    "Clermont",
    "Chaumont",
    "Châtillon",
    "Marigny",
    "Charmes",
    "Longwy",
    "Roussillon",
    "Castelnau",
    "Lagny",
    "Beaulieu",
    "Vauvert",
    "Bagnols",
    "Lunel",
    "Florac",
    "Rieux",
    "Saulx",
    "Ambérieu",
    "Bréhal",
    "Quintin",
    "Plouay",
    "Landerneau",
    "Guingamp",
    "Morlaix",
    "Lannion",
    "Pontivy",
]
_TOWN_SUFFIXES = [
    "-sur-Loire",
    "-sur-Marne",
    "-sur-Seine",
    "-sur-Saône",
    "-sur-Lot",
    "-sur-Cher",
    "-sur-Oise",
    "-sur-Meuse",
    "-sur-Mer",
    "-en-Bresse",
    "-en-Vexin",
    "-le-Château",
    "-la-Forêt",
    "-les-Bains",
    "-lès-Nancy",
    "-du-Lac",
    "-de-Provence",
    "-en-Champagne",
    "-le-Vieux",
    "-la-Rivière",
    "-sous-Bois",
    "-le-Grand",
    "-l'Étang",
    "-des-Champs",
    "-sur-Garonne",
    "-sur-Dordogne",
    "-sur-Vienne",
    "-sur-Yonne",
    "-sur-Sarthe",
    "-sur-Aisne",
    "-sur-Indre",
    "-sur-Mayenne",
    "-en-Auge",
    "-en-Velay",
    "-en-Forez",
    "-en-Beauce",
    "-en-Brie",
    "-en-Barrois",
    "-la-Montagne",
    "-le-Haut",
    "-le-Bas",
    "-les-Vignes",
    "-les-Prés",
    "-la-Plaine",
    "-d'Azergues",
    "-de-Bigorre",
]


_TOWN_CAPACITY = len(_TOWN_BASES) * (len(_TOWN_SUFFIXES) + 1)


def town_names(rng: random.Random, count: int, seen: set[str]) -> list[str]:
    """``count`` plausible commune names ("Villeneuve-sur-Lot", "Le Plessis-du-Lac") not in
    ``seen`` (updated), so that names stay unique across the country while they last."""
    names: list[str] = []
    while len(names) < count:
        base = rng.choice(_TOWN_BASES)
        name = base if rng.random() < 0.2 else base + rng.choice(_TOWN_SUFFIXES)
        if name in seen and len(seen) < _TOWN_CAPACITY * 0.8:
            continue
        seen.add(name)
        names.append(name)
    return names


def postcode(rng: random.Random, code: str, chef_lieu: bool) -> str:
    """A postcode of the département (Corsica is 20xxx, overseas 97x00)."""
    if len(code) == 3:
        return f"{code}{0 if chef_lieu else rng.randint(1, 9)}0"
    prefix = {"2A": "20", "2B": "20"}.get(code, code)
    if code == "2A":
        number = 0 if chef_lieu else rng.randint(1, 19) * 10
    elif code == "2B":
        number = 200 if chef_lieu else rng.randint(21, 29) * 10
    else:
        number = 0 if chef_lieu else rng.randint(1, 99) * 10
    return f"{prefix}{number:03d}"


def allocate(total: int, weights: dict[str, float], *, minimum: int = 1) -> dict[str, int]:
    """Split ``total`` over the keys in proportion to ``weights`` (largest remainders), giving
    every key at least ``minimum`` when ``total`` allows it."""
    keys = list(weights)
    floor = minimum if total >= minimum * len(keys) else 0
    counts = dict.fromkeys(keys, floor)
    rest = total - floor * len(keys)
    weight_sum = sum(weights.values())
    shares = {key: rest * weights[key] / weight_sum for key in keys}
    for key in keys:
        counts[key] += int(shares[key])
    remaining = total - sum(counts.values())
    by_remainder = sorted(keys, key=lambda key: (-(shares[key] % 1), key))
    for key in by_remainder[:remaining]:
        counts[key] += 1
    return counts
