"""Builds a second, rougher geocoding test set from rows of a GeoNames dump (tab-separated,
the 19 columns of geonames.org's `cities1000.txt`): every name of every row, as people may
write it, expected at the row's position.

    python3 bench/geocode/make_geonames_testset.py region.txt > geonames_testset.csv
    cargo run --release --example geocode_bench -- geonames_testset.csv

Each row gives its name (`canonical`), its ASCII name and its Latin alternate names
(`latin_variant`, three letters or more, codes in capitals left out) and its Cyrillic ones
(`cyrillic`), each name once per row. GeoNames' alternate names include names of other places
and former names of the place, so a "wrong" answer here is a lead to look at, not a verdict.
The data is GeoNames' (geonames.org, CC BY 4.0).
"""

import csv
import re
import sys

CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff'’ʻʼ`\-. ]+$")


def main(path):
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["place", "place_kind", "query", "name_kind", "script", "lat", "lon", "source"])
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            name, ascii_name, alternates, lat, lon = c[1], c[2], c[3], c[4], c[5]
            population = int(c[14] or 0)
            kind = "town" if population >= 10000 or c[7] in ("PPLC", "PPLA") else "village"
            seen = set()

            def add(query, name_kind, script):
                key = query.casefold()
                if query.strip() and key not in seen:
                    seen.add(key)
                    out.writerow([name, kind, query, name_kind, script, lat, lon, "geonames"])

            add(name, "canonical", "latin")
            add(ascii_name, "latin_variant", "latin")
            for a in alternates.split(","):
                if CYRILLIC.search(a) and not re.search("[A-Za-z]", a):
                    add(a, "cyrillic", "cyrillic")
                elif LATIN.match(a) and len(a) > 2 and not a.isupper():
                    add(a, "latin_variant", "latin")


if __name__ == "__main__":
    main(sys.argv[1])
