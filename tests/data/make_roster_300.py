"""Writes tests/data/roster_300.csv (run from the repository root): 300 people with
diacritics (some typed decomposed, one with a zero-width space), sentence-long delegations."""

import csv
import random
import unicodedata

rng = random.Random(17)
first = [
    "María José",
    "Zoë",
    "Nguyễn Thị",
    "Łukasz",
    "Ana-Sofía",
    "Çağrı",
    "François",
    "Søren",
    "Mónica",
    "José Ángel",
    "Björn",
    "Renée",
    "Dvořák",
    "Ñandú",
    "Gülşen",
    "Iñaki",
    "Chloë",
    "Sinéad",
    "Aoife",
    "Bartholomäus",
    "Zoltán",
    "Kateřina",
    "Đorđe",
    "Anaïs",
    "Jürgen",
]
last = [
    "Núñez",
    "Ødegård",
    "Hương",
    "Wróbel",
    "O'Connor",
    "Öztürk",
    "Lefèvre",
    "Kierkegård",
    "Peña",
    "García-Márquez",
    "Ström",
    "Dubois",
    "Černý",
    "Ibáñez",
    "Şahin",
    "Etxeberria",
    "Brontë",
    "Ní Bhriain",
    "Müller",
    "Kovács",
    "Nováková",
    "Đoković",
    "Benoît",
    "Weiß",
]
places = [
    "the Lower East Side, Chinatown and the Two Bridges neighbourhood",
    "Ciudad Nezahualcóyotl y los municipios del oriente del Estado de México",
    "the Greater Manchester and Salford tenants' and residents' associations",
    "São Paulo, Guarulhos, Osasco e os bairros da zona leste da região metropolitana",
    "the Île-de-France railway workers who organised the winter strikes together",
    "Kraków, Nowa Huta and the villages along the Vistula south of the city",
]


def delegation(i):
    return (
        f"The Chapter of {places[i % len(places)]}, Local {100 + i % 30}, "
        f"as elected at its general assembly of spring 2026"
    )[:200]


rows = []
for i in range(300):
    name = f"{first[i % len(first)]} {last[(i * 7) % len(last)]}"
    if i % 10 == 3:
        name = unicodedata.normalize("NFD", name)  # the same name typed decomposed
    if i == 42:
        name = "Pa\u200bt Lefèvre"
    role = "observer" if i % 20 == 19 else "alternate" if i % 7 == 6 else "delegate"
    weight = "" if i % 3 else str(1 + i % 5)
    rows.append(
        [
            name,
            delegation(i // 10),
            role,
            weight,
            f"D-{i + 1:04d}",
            f"person{i + 1}@chapters.example.org",
        ]
    )
with open("tests/data/roster_300.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name", "delegation", "role", "vote_weight", "external_id", "contact"])
    w.writerows(rows)
