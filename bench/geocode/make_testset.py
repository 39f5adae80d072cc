"""Builds bench/geocode/testset.csv, the geocoding benchmark's test set, from public sources.

    python3 bench/geocode/make_testset.py REFERENCE_DIR > bench/geocode/testset.csv

REFERENCE_DIR is the reference bundle described in geodata/README.md. Sources, per row
(column `source`):
- `ne`: Natural Earth 1:10m populated places (public domain): the canonical name (NAME), a
  Latin variant (NAMEALT, or Who's On First's name when it is spelled differently) and the
  Russian name (NAME_RU); the position is the GeoNames point (via Who's On First, same
  GeoNames id) where there is one, else Natural Earth's;
- `wof`: Who's On First localities (CC0; names from GeoNames, CC BY 4.0, and Wikidata, CC0)
  in the border districts: the name, a Latin alternate spelled differently, a Cyrillic name;
- `airportsdata`: geodata/sources/airports.csv (from the PyPI package airportsdata, MIT):
  the airport name, the IATA and ICAO codes, and, for a city with one airport in the file,
  "<city> airport" and "аэропорт <city>" with the city's Russian name from Natural Earth or
  Who's On First (where a city has two, its name alone does not say which is meant);
- `wof-area`: WOF enclaves, districts and regions, asked for with a feature word; the
  expected point is the area's representative point in geodata/gazetteer.csv;
- `former`: geodata/sources/former_names.toml (each row cites its source).

The sample is deterministic (sorted by id, every k-th), so the same inputs give the same file.
"""

import csv
import json
import os
import sys
import tomllib
import unicodedata

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
FERGANA = (69.0, 39.3, 73.5, 41.5)
BOX = (66.5, 37.0, 75.5, 43.5)
BORDER_DISTRICTS = ["Batken", "Leilek", "Kadamjai", "Isfara", "Bobojon Ghafurov", "Sokh"]


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.lower() if c.isalnum() and not unicodedata.combining(c))


def cyrillic(s):
    return any("\u0400" <= c <= "\u04ff" for c in s)


def latin(s):
    return all(c.isascii() or not c.isalpha() or "\u00c0" <= c <= "\u024f" for c in s) and any(
        c.isalpha() for c in s
    )


def load(ref, name):
    with open(os.path.join(ref, name), encoding="utf-8") as f:
        return [x["properties"] | {"_geom": x["geometry"]} for x in json.load(f)["features"]]


def in_box(lon, lat, box):
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def main(ref):
    rows = []

    def add(place, kind, query, name_kind, script, lat, lon, source):
        if query and not any(r[2] == query and r[0] == place for r in rows):
            rows.append([place, kind, query, name_kind, script, f"{lat:.5f}", f"{lon:.5f}", source])

    wof = load(ref, "gazetteer_wof_kg_tj.geojson") + load(ref, "gazetteer_wof_uz_fergana.geojson")
    by_gid = {p["geonameid"]: p for p in wof if p.get("geonameid")}
    gaz = {}
    with open(os.path.join(ROOT, "geodata", "gazetteer.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            gaz[r["id"]] = r

    # Towns and cities: Natural Earth.
    ru_of_city = {}
    for p in load(ref, "ne10m_populated_places.geojson"):
        cc, lon, lat = p["ISO_A2"], p["LONGITUDE"], p["LATITUDE"]
        if not (cc in ("KG", "TJ") or (cc == "UZ" and in_box(lon, lat, FERGANA))):
            continue
        if not p.get("GEONAMEID") or p["GEONAMEID"] < 0:
            continue
        w = by_gid.get(int(p["GEONAMEID"]))
        if w:
            lat, lon = w["latitude"], w["longitude"]
        name = p["NAME"]
        ru = p.get("NAME_RU") or (w or {}).get("name_ru") or ""
        ru_of_city[fold(name)] = ru
        for alt in [p.get("NAMEALT") or "", (w or {}).get("name") or ""]:
            ru_of_city[fold(alt)] = ru
        add(name, "town", name, "canonical", "latin", lat, lon, "ne")
        variants = [p.get("NAMEALT") or "", (w or {}).get("name_en") or "", (w or {}).get("name") or ""]
        variants = [v for v in variants if v and latin(v) and fold(v) != fold(name)]
        if variants:
            add(name, "town", variants[0], "latin_variant", "latin", lat, lon, "ne")
        add(name, "town", f"{name} city", "feature_word", "latin", lat, lon, "ne")
        if ru and cyrillic(ru):
            ru = ru.split(" (")[0]
            add(name, "town", ru, "cyrillic", "cyrillic", lat, lon, "ne")
            add(name, "town", f"город {ru}", "feature_word", "cyrillic", lat, lon, "ne")

    # Villages of the border districts: Who's On First / GeoNames.
    for district in BORDER_DISTRICTS:
        pts = sorted(
            (p for p in wof if p.get("admin2") == district and p["placetype"] == "locality"),
            key=lambda p: p["wof_id"],
        )
        pts = [p for p in pts if (p.get("name_ru") or p.get("name_ky") or p.get("name_tg"))]
        step = max(1, len(pts) // 5)
        for p in pts[::step][:5]:
            name, lat, lon = p["name"], p["latitude"], p["longitude"]
            cyr = next(
                (n for n in [p.get("name_ru"), p.get("name_ky"), p.get("name_tg")] if n and cyrillic(n)),
                None,
            )
            add(name, "village", name, "canonical", "latin", lat, lon, "wof")
            alts = [a for a in (p.get("alternatenames") or []) if latin(a) and fold(a) != fold(name)]
            if alts:
                add(name, "village", alts[0], "latin_variant", "latin", lat, lon, "wof")
            add(name, "village", f"{name} village", "feature_word", "latin", lat, lon, "wof")
            if cyr:
                add(name, "village", cyr, "cyrillic", "cyrillic", lat, lon, "wof")
                add(name, "village", f"село {cyr}", "feature_word", "cyrillic", lat, lon, "wof")

    # Airports.
    with open(os.path.join(ROOT, "geodata", "sources", "airports.csv"), encoding="utf-8") as f:
        airports = list(csv.DictReader(f))
    per_city = {}
    for a in airports:
        per_city[fold(a["city"])] = per_city.get(fold(a["city"]), 0) + 1
    for a in airports:
        lat, lon = float(a["lat"]), float(a["lon"])
        if not in_box(lon, lat, BOX):
            continue
        name = a["name"]
        add(name, "airport", name, "canonical", "latin", lat, lon, "airportsdata")
        city = a["city"]
        one_airport = per_city[fold(city)] == 1
        if one_airport and fold(f"{city} airport") != fold(name):
            add(name, "airport", f"{city} airport", "feature_word", "latin", lat, lon, "airportsdata")
        for code in [a["iata"], a["icao"]]:
            if code:
                add(name, "airport", code, "code", "latin", lat, lon, "airportsdata")
        ru = ru_of_city.get(fold(city)) or ru_of_city.get(fold(name.split(" ")[0]))
        if ru and one_airport:
            add(name, "airport", f"аэропорт {ru}", "feature_word", "cyrillic", lat, lon, "airportsdata")

    # Areas: enclaves, districts, regions.
    for e in load(ref, "enclaves.geojson"):
        if not e["source"].startswith("Who's On First"):
            continue
        full, full_ru = e["name"], e["name_ru"]
        name, ru = full.split(" (")[0], full_ru.split(" (")[0]
        g = gaz["enclave:" + fold_id(name)]
        lat, lon = float(g["lat"]), float(g["lon"])
        add(name, "enclave", f"{name} enclave", "feature_word", "latin", lat, lon, "wof-area")
        add(name, "enclave", f"анклав {ru}", "feature_word", "cyrillic", lat, lon, "wof-area")
        if " (" in full:
            alias = full.split(" (")[1].rstrip(")")
            add(name, "enclave", f"{alias} enclave", "latin_variant", "latin", lat, lon, "wof-area")
    admin = load(ref, "wof_admin1_admin2_kg_tj.geojson")
    wanted = {
        "county": ["Batken", "Leilek", "Kadamjai", "Isfara", "Bobojon Ghafurov", "Konibodom", "Asht", "Kyzyl-Kia"],
        "region": ["Batken", "Osh", "Jalal-Abad", "Leninabad"],
    }
    for a in sorted(admin, key=lambda a: str(a["wof_id"])):
        kind = a["placetype"]
        if a["name"] not in wanted.get(kind, []):
            continue
        g = gaz.get(f"wof:{a['wof_id']}")
        if not g:
            continue
        lat, lon = float(g["lat"]), float(g["lon"])
        word = "District" if kind == "county" else "Region"
        name = "Sughd" if a["name"] == "Leninabad" else a["name"]
        k = "district" if kind == "county" else "region"
        add(name, k, f"{name} {word}", "feature_word", "latin", lat, lon, "wof-area")
        ru = a.get("name_ru") or ""
        word_ru = "район" if k == "district" else "область"
        if ru and cyrillic(ru):
            if word_ru in ru.lower():
                add(name, k, ru, "cyrillic", "cyrillic", lat, lon, "wof-area")
            else:
                add(name, k, f"{ru} {word_ru}", "feature_word", "cyrillic", lat, lon, "wof-area")

    # Former names.
    with open(os.path.join(ROOT, "geodata", "sources", "former_names.toml"), "rb") as f:
        for fr in tomllib.load(f)["former"]:
            g = gaz[fr["id"]]
            lat, lon = float(g["lat"]), float(g["lon"])
            add(g["name"], g["kind"], fr["name"], "former", "latin", lat, lon, "former")
            cyr = next((n for n in fr.get("names", []) if cyrillic(n)), None)
            if cyr:
                add(g["name"], g["kind"], cyr, "former", "cyrillic", lat, lon, "former")

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["place", "place_kind", "query", "name_kind", "script", "lat", "lon", "source"])
    out.writerows(rows)


def fold_id(name):
    return "".join(c if c.isalnum() else "-" for c in name.lower())


if __name__ == "__main__":
    main(sys.argv[1])
