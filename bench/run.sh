#!/usr/bin/env bash
# The spatial benchmark, end to end (see bench/README.md):
#   1. generate the synthetic incidents (10k, 100k, 1M) and the 2 × 1,000 queries if missing;
#   2. build bordermap (release) and run the in-process benchmark (cargo bench --bench spatial);
#   3. answer the same 2,000 queries with the bordermap CLI, the shapely/orjson script and the
#      geopandas script, side by side, timing each, and check that they give the same answers;
#   4. print markdown tables (also written to bench/results/).
#
# Environment: SIZES (default "10k 100k 1m"), PEER_SIZES (sizes for the Python peers, default
# the same), SEED (42), RUNS (hyperfine runs of the CLI, 5), PYTHON (python3), HEAVY (1: run
# the heavy query mix afterwards, bench/heavy.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"10k 100k 1m"}
PEER_SIZES=${PEER_SIZES:-$SIZES}
SEED=${SEED:-42}
RUNS=${RUNS:-5}
PYTHON=${PYTHON:-python3}
DATA=bench/data
OUT=bench/results
mkdir -p "$DATA" "$OUT"

count() { case $1 in 10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;; *) echo "$1" ;; esac; }

echo "## build" >&2
cargo build --release --bin bordermap --example gen_incidents --example gen_queries >&2
BM=target/release/bordermap

echo "## data" >&2
for s in $SIZES; do
  f=$DATA/incidents-$s.geojson
  [ -s "$f" ] || target/release/examples/gen_incidents "$(count "$s")" "$SEED" "$f"
done
[ -s $DATA/queries-radius.csv ] && [ -s $DATA/queries-knn.csv ] ||
  target/release/examples/gen_queries 1000 "$SEED" $DATA/queries

echo "## in-process benchmark" >&2
files=""
for s in $SIZES; do files="$files $DATA/incidents-$s.geojson"; done
# shellcheck disable=SC2086
cargo bench --bench spatial -- $files | tee $OUT/spatial.md

echo "## Python peers" >&2
VENV=bench/.venv
if [ ! -x $VENV/bin/python ]; then
  $PYTHON -m venv $VENV
  $VENV/bin/pip install -q geopandas shapely pyproj orjson pyogrio numpy
fi
PY=$VENV/bin/python
Q=$DATA/queries-radius.csv,$DATA/queries-knn.csv
# One batch file with both kinds of row (radius_km or k per row), so the CLI loads the data
# once, as the peers do.
{
  echo "id,lat,lon,radius_km,k"
  tail -n +2 $DATA/queries-radius.csv | sed 's/$/,/'
  tail -n +2 $DATA/queries-knn.csv | awk -F, -v OFS=, '{print $1,$2,$3,"",$4}'
} > $DATA/queries-both.csv

# wall seconds and peak RSS (MB) of one run: "SECONDS MB"
measure() {
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o $OUT/.rss "$@" >/dev/null 2>>$OUT/peers.log
  t1=$(date +%s.%N)
  rss=$(tail -1 $OUT/.rss)
  echo "$(echo "$t1 - $t0" | bc) $((rss / 1024))"
}

table=$OUT/side-by-side.md
{
  echo "| incidents | bordermap CLI s (mean ± sd, $RUNS runs) | shapely + orjson s | geopandas s | shapely ÷ bordermap | geopandas ÷ bordermap | peak RSS MB: bordermap / shapely / geopandas | same answers |"
  echo "|---:|---|---:|---:|---:|---:|---|---|"
} > $table
for s in $PEER_SIZES; do
  f=$DATA/incidents-$s.geojson
  cli="$BM near --input $f --queries $DATA/queries-both.csv -o $OUT/bordermap-$s.csv"
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json $OUT/cli-$s.json "bash -c '$cli'" >&2 || true
    read -r mean sd < <($PY -c "import json,sys; r=json.load(open('$OUT/cli-$s.json'))['results'][0]; print(f\"{r['mean']:.3f} {r['stddev']:.3f}\")")
  else
    mean=$(measure bash -c "$cli" | cut -d' ' -f1); sd=0
  fi
  read -r _ rss_b < <(measure $BM near --input $f --queries $DATA/queries-both.csv -o $OUT/bordermap-$s.csv)
  echo "shapely $s" >&2
  read -r t_s rss_s < <(measure $PY bench/peer_shapely.py "$f" "$Q" $OUT/shapely-$s.csv)
  echo "geopandas $s" >&2
  read -r t_g rss_g < <(measure $PY bench/peer_geopandas.py "$f" "$Q" $OUT/geopandas-$s.csv)
  if $PY bench/compare.py $OUT/bordermap-$s.csv $OUT/shapely-$s.csv $OUT/geopandas-$s.csv > $OUT/compare-$s.txt; then same=yes; else same="NO (see compare-$s.txt)"; fi
  cat $OUT/compare-$s.txt >&2
  printf '| %s | %s ± %s | %.2f | %.2f | %.1f× | %.1f× | %s / %s / %s | %s |\n' \
    "$(count "$s")" "$mean" "$sd" "$t_s" "$t_g" "$(echo "$t_s / $mean" | bc -l)" "$(echo "$t_g / $mean" | bc -l)" \
    "$rss_b" "$rss_s" "$rss_g" "$same" >> $table
done
echo
cat $table
echo
echo "rows per run: $(for s in $PEER_SIZES; do printf '%s: %s  ' "$s" "$(($(wc -l < $OUT/bordermap-$s.csv) - 1))"; done)"
echo "phase times of the peers: $OUT/peers.log"
if [ "${HEAVY:-0}" = 1 ]; then
  echo "## heavy mix" >&2
  SIZES="100k 1m" PYTHON=$PY bench/heavy.sh
fi
