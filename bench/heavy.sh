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
# are reported), PEERS (1 to run the Python peers, default 1), PEER_RUNS (runs of each peer,
# 1; the median is reported: a peer takes about a minute at 1M), COMPARE (1 to check the
# answers with compare.py, default 1; slow at 1M), PYTHON (bench/.venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100k 1m"}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
PEERS=${PEERS:-1}
PEER_RUNS=${PEER_RUNS:-1}
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

# one run: "WALL_S PEAK_MB CPU_S" (CPU = user + system: on a shared machine the wall time
# includes waiting for a core)
measure() {
  /usr/bin/time -f "%e %M %U %S" -o $OUT/.time "$@" >/dev/null 2>>$OUT/heavy.log
  read -r t kb u sy < $OUT/.time
  printf '%s %s %.2f\n' "$t" "$((kb / 1024))" "$(echo "$u + $sy" | bc)"
}

# N runs of a command (`runs N CMD...`): "MIN MEDIAN PEAK_MB MEDIAN_CPU"
runs() {
  local n=$1 ts=() cs=() mb=0 t m c
  shift
  for _ in $(seq "$n"); do
    read -r t m c < <(measure "$@")
    ts+=("$t"); cs+=("$c"); mb=$m
  done
  local cpu
  cpu=$(printf '%s\n' "${cs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\n' "${ts[@]}" | sort -g | awk -v mb="$mb" -v cpu="$cpu" '{a[NR]=$1} END {printf "%s %s %s %s\n", a[1], a[int((NR+1)/2)], mb, cpu}'
}

table=$OUT/heavy.md
{
  echo "| incidents | rows | bordermap radius / kNN, wall s (min, median of $RUNS) | bordermap total wall s (CPU s) | with index: radius / kNN wall s (CPU s) | shapely + orjson wall s (CPU s), median of $PEER_RUNS | geopandas wall s (CPU s), median of $PEER_RUNS | shapely ÷ bordermap, wall (CPU) | geopandas ÷ bordermap, wall (CPU) | peak MB: bordermap radius / kNN / shapely / geopandas | same answers |"
  echo "|---:|---:|---|---|---|---|---|---|---|---|---|"
} > $table
for s in $SIZES; do
  f=$DATA/incidents-$s.geojson
  rm -f "$f.bmidx"
  rad=($BM near --input "$f" --queries $DATA/heavy-radius.csv --radius-km 10 -o $OUT/heavy-bm-$s-radius.csv)
  knn=($BM near --input "$f" --queries $DATA/heavy-knn.csv --nearest 10 -o $OUT/heavy-bm-$s-knn.csv)
  read -r r_min r_med r_mb r_cpu < <(runs "$RUNS" "${rad[@]}")
  read -r k_min k_med k_mb k_cpu < <(runs "$RUNS" "${knn[@]}")
  $BM index "$f" >&2
  read -r _ ri_med _ ri_cpu < <(runs "$RUNS" "${rad[@]}")
  read -r _ ki_med _ ki_cpu < <(runs "$RUNS" "${knn[@]}")
  rm -f "$f.bmidx"
  { cat $OUT/heavy-bm-$s-radius.csv; tail -n +2 $OUT/heavy-bm-$s-knn.csv; } > $OUT/heavy-bm-$s.csv
  rows=$(($(wc -l < $OUT/heavy-bm-$s.csv) - 1))
  total=$(printf '%.2f' "$(echo "$r_med + $k_med" | bc)")
  cpu=$(printf '%.2f' "$(echo "$r_cpu + $k_cpu" | bc)")
  t_s=nan; t_g=nan; m_s=-; m_g=-; c_s=nan; c_g=nan; same=-
  if [ "$PEERS" = 1 ]; then
    Q=$DATA/heavy-radius.csv,$DATA/heavy-knn.csv
    echo "shapely $s" >&2
    read -r _ t_s m_s c_s < <(runs "$PEER_RUNS" $PY bench/peer_shapely.py "$f" "$Q" $OUT/heavy-shapely-$s.csv)
    echo "geopandas $s" >&2
    read -r _ t_g m_g c_g < <(runs "$PEER_RUNS" $PY bench/peer_geopandas.py "$f" "$Q" $OUT/heavy-geopandas-$s.csv)
    if [ "${COMPARE:-1}" = 1 ]; then
      if $PY bench/compare.py $OUT/heavy-bm-$s.csv $OUT/heavy-shapely-$s.csv $OUT/heavy-geopandas-$s.csv > $OUT/heavy-compare-$s.txt; then same=yes; else same="NO (see heavy-compare-$s.txt)"; fi
      cat $OUT/heavy-compare-$s.txt >&2
    fi
  fi
  ratio() { echo "$1 / $2" | bc -l 2>/dev/null || echo 0; }
  printf '| %s | %s | %s, %s / %s, %s | %s (%s) | %s / %s (%s / %s) | %s (%s) | %s (%s) | %.1f× (%.1f×) | %.1f× (%.1f×) | %s / %s / %s / %s | %s |\n' \
    "$(count "$s")" "$rows" "$r_min" "$r_med" "$k_min" "$k_med" "$total" "$cpu" "$ri_med" "$ki_med" "$ri_cpu" "$ki_cpu" \
    "$t_s" "$c_s" "$t_g" "$c_g" "$(ratio "$t_s" "$total")" "$(ratio "$c_s" "$cpu")" "$(ratio "$t_g" "$total")" "$(ratio "$c_g" "$cpu")" \
    "$r_mb" "$k_mb" "$m_s" "$m_g" "$same" >> $table
done
echo
cat $table
