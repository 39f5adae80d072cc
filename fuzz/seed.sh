#!/usr/bin/env bash
# Seeds the fuzz corpora from the project's fixtures and shipped data.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/incidents_toml fuzz/corpus/geojson_points fuzz/corpus/csv_import fuzz/corpus/svg_writer \
  fuzz/corpus/places_readers fuzz/corpus/sheet_import fuzz/corpus/fgb_points
cp geodata/incidents.toml geodata/places_manual.toml fuzz/corpus/incidents_toml/
find tests/fixtures -name '*.toml' -exec cp {} fuzz/corpus/incidents_toml/ \; 2>/dev/null || true
find tests/fixtures -name '*.geojson' -exec cp {} fuzz/corpus/geojson_points/ \; 2>/dev/null || true
if [ -f output/incidents.geojson ]; then cp output/incidents.geojson fuzz/corpus/geojson_points/; fi
find tests/fixtures -name '*.csv' -exec cp {} fuzz/corpus/csv_import/ \; 2>/dev/null || true
# Hostile labels, tooltip and id for the SVG writer (fields separated by U+001F).
printf '</text><script>alert(1)</script>\037x" onload="alert(1)\037a&b-->' > fuzz/corpus/svg_writer/hostile
# The places readers take a selector byte first: 0 GeoNames, 1 GeoJSON, 2 shipped CSV, 3 manual TOML.
seed_places() { { printf "\\$(printf '%03o' "$1")"; cat "$2"; } > "fuzz/corpus/places_readers/$(basename "$2")"; }
for f in tests/fixtures/places_geonames*.tsv; do seed_places 0 "$f"; done
seed_places 1 tests/fixtures/places.geojson
{ printf '\002'; head -c 20000 geodata/gazetteer.csv; } > fuzz/corpus/places_readers/gazetteer.csv
seed_places 3 geodata/places_manual.toml
# Spreadsheets and delimited text for the importer's sniffing.
find tests/fixtures \( -name '*.xlsx' -o -name '*.ods' -o -name '*.csv' -o -name '*.tsv' -o -name '*.json' \) \
  -exec cp {} fuzz/corpus/sheet_import/ \;
# A FlatGeobuf file of the shipped incidents, with its index, as bordermap writes it.
cargo run --quiet --release -- export --to fgb -o fuzz/corpus/fgb_points/shipped.fgb 2>/dev/null
cp tests/fixtures/flatgeobuf/*.fgb fuzz/corpus/fgb_points/
echo "corpora seeded: $(ls fuzz/corpus/incidents_toml | wc -l) toml, $(ls fuzz/corpus/geojson_points | wc -l) geojson"
