"""Extracts the airports of Kyrgyzstan, Tajikistan and the Uzbek Fergana Valley from the
`airportsdata` package (PyPI, MIT licence) into airports.csv.

    pip download --no-deps airportsdata==20260905 -d /tmp/ad
    python3 -m zipfile -e /tmp/ad/airportsdata-20260905-py3-none-any.whl /tmp/ad/x
    python3 geodata/sources/extract_airports.py /tmp/ad/x/airportsdata/airports.csv \
        > geodata/sources/airports.csv

Only facts are taken: codes, names, city, country and coordinates. Rows are sorted by ICAO
code, so the same package version gives the same bytes.
"""

import csv
import sys

# Uzbekistan only inside the Fergana Valley box the reference gazetteer covers.
UZ_BOX = (69.0, 39.3, 73.5, 41.5)


def keep(row):
    if row["country"] in ("KG", "TJ"):
        return True
    if row["country"] != "UZ":
        return False
    lon, lat = float(row["lon"]), float(row["lat"])
    return UZ_BOX[0] <= lon <= UZ_BOX[2] and UZ_BOX[1] <= lat <= UZ_BOX[3]


def main(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if keep(r)]
    rows.sort(key=lambda r: r["icao"])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["icao", "iata", "name", "city", "country", "lat", "lon"])
    for r in rows:
        out.writerow([r["icao"], r["iata"], r["name"], r["city"], r["country"], r["lat"], r["lon"]])


if __name__ == "__main__":
    main(sys.argv[1])
