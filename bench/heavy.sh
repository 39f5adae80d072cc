#!/usr/bin/env bash
# The heavier, realistic query mix, side by side (see bench/README.md, "The heavy mix"):
# 1,000 radius queries (0.5–25 km, median ≈ 3.7 km) and 1,000 k-nearest queries (k = 10),
# centred where the incidents cluster, answered by
#   - bordermap as two `near --queries` processes writing CSV (plain, then with the
#     persistent index of `bordermap index`),
#   - the shapely/orjson script and the geopandas script (one process each, both files).
# Prints a markdown table (also bench/results/heavy.md) and checks that the answers agree.
#
# Environment: SIZES (default "100k 1m"), SEED (42), RUNS (bordermap runs, 3; min and median
# are reported), PEERS (1 to run the Python peers, default 1), PYTHON (bench/.venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100k 1m"}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
PEERS=${PEERS:-1}
DATA=bench/data
OUT=bench/results
PY=${PYTHON:-bench/.venv/bin/python}
mkdir -p "$DATA" "$OUT"

count() { case $1 in 10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;; *) echo "$1" ;; esac; }

cargo build --release --bin bordermap --example gen_incidents --example gen_queries >&2
BM=target/release/bordermap
[ -s $DATA/incidents-10k.geojson ] || target/release/examples/gen_incidents 10000 "$SEED" $DATA/incidents-10k.geojson
for s in $SIZES; do
  f=$DATA/incidents-$s.geojson
  [ -s "$f" ] || target/release/examples/gen_incidents "$(count "$s")" "$SEED" "$f"
done
[ -s $DATA/heavy-radius.csv ] && [ -s $DATA/heavy-knn.csv ] ||
  target/release/examples/gen_queries 1000 "$SEED" $DATA/heavy $DATA/incidents-10k.geojson

# one run: "WALL_S PEAK_MB"
measure() {
  /usr/bin/time -f "%e %M" -o $OUT/.time "$@" >/dev/null 2>>$OUT/heavy.log
  read -r t kb < $OUT/.time
  echo "$t $((kb / 1024))"
}

# RUNS runs of a command: "MIN MEDIAN PEAK_MB"
runs() {
  local ts=() mb=0 t m
  for _ in $(seq "$RUNS"); do
    read -r t m < <(measure "$@")
    ts+=("$t"); mb=$m
  done
  printf '%s\n' "${ts[@]}" | sort -g | awk -v mb="$mb" '{a[NR]=$1} END {printf "%s %s %s\n", a[1], a[int((NR+1)/2)], mb}'
}

table=$OUT/heavy.md
{
  echo "| incidents | rows | bordermap radius / kNN s (min, median of $RUNS) | bordermap total | with index: radius / kNN s | shapely + orjson s | geopandas s | shapely ÷ bordermap | geopandas ÷ bordermap | peak MB: bordermap radius / kNN / shapely / geopandas | same answers |"
  echo "|---:|---:|---|---:|---|---:|---:|---:|---:|---|---|"
} > $table
for s in $SIZES; do
  f=$DATA/incidents-$s.geojson
  rm -f "$f.bmidx"
  rad=($BM near --input "$f" --queries $DATA/heavy-radius.csv --radius-km 10 -o $OUT/heavy-bm-$s-radius.csv)
  knn=($BM near --input "$f" --queries $DATA/heavy-knn.csv --nearest 10 -o $OUT/heavy-bm-$s-knn.csv)
  read -r r_min r_med r_mb < <(runs "${rad[@]}")
  read -r k_min k_med k_mb < <(runs "${knn[@]}")
  $BM index "$f" >&2
  read -r ri_min ri_med _ < <(runs "${rad[@]}")
  read -r ki_min ki_med _ < <(runs "${knn[@]}")
  rm -f "$f.bmidx"
  { cat $OUT/heavy-bm-$s-radius.csv; tail -n +2 $OUT/heavy-bm-$s-knn.csv; } > $OUT/heavy-bm-$s.csv
  rows=$(($(wc -l < $OUT/heavy-bm-$s.csv) - 1))
  total=$(echo "$r_med + $k_med" | bc)
  t_s=nan; t_g=nan; m_s=-; m_g=-; same=-
  if [ "$PEERS" = 1 ]; then
    Q=$DATA/heavy-radius.csv,$DATA/heavy-knn.csv
    echo "shapely $s" >&2
    read -r t_s m_s < <(measure $PY bench/peer_shapely.py "$f" "$Q" $OUT/heavy-shapely-$s.csv)
    echo "geopandas $s" >&2
    read -r t_g m_g < <(measure $PY bench/peer_geopandas.py "$f" "$Q" $OUT/heavy-geopandas-$s.csv)
    if $PY bench/compare.py $OUT/heavy-bm-$s.csv $OUT/heavy-shapely-$s.csv $OUT/heavy-geopandas-$s.csv > $OUT/heavy-compare-$s.txt; then same=yes; else same="NO (see heavy-compare-$s.txt)"; fi
    cat $OUT/heavy-compare-$s.txt >&2
  fi
  printf '| %s | %s | %s, %s / %s, %s | %s | %s / %s | %s | %s | %.1f× | %.1f× | %s / %s / %s / %s | %s |\n' \
    "$(count "$s")" "$rows" "$r_min" "$r_med" "$k_min" "$k_med" "$total" "$ri_med" "$ki_med" "$t_s" "$t_g" \
    "$(echo "$t_s / $total" | bc -l 2>/dev/null || echo 0)" "$(echo "$t_g / $total" | bc -l 2>/dev/null || echo 0)" \
    "$r_mb" "$k_mb" "$m_s" "$m_g" "$same" >> $table
done
echo
cat $table
