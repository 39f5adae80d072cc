#!/usr/bin/env bash
# Questions about a FlatGeobuf file, read through its own index, side by side with the same
# questions about the same incidents as GeoJSON (read whole, and with `bordermap index`'s
# sidecar), and with geopandas reading the FlatGeobuf file's envelope through GDAL
# (bench/peer_fgb.py) for the single radius question. Checks that every bordermap answer
# is the same, byte for byte, from either file, and the peer's rows too.
#
# With HTTP=1 (the default), the same file is then served by a static web server (Node.js
# http-server, through npx) on 127.0.0.1:PORT, and every question is asked of its URL (HTTP
# range requests), beside geopandas reading the 10 km circle's envelope through GDAL's
# /vsicurl/; the bytes bordermap downloads are those its note gives.
#
# Environment: SIZE (default 1m), RUNS (5; the median and the largest peak memory are
# reported), PEERS (1 to run the Python peer, default 1), PYTHON (bench/.venv/bin/python),
# HTTP (1), PORT (8765). Needs GNU time (/usr/bin/time). Prints markdown tables (also
# bench/results/fgb.md).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1m}
RUNS=${RUNS:-5}
PEERS=${PEERS:-1}
PY=${PYTHON:-bench/.venv/bin/python}
HTTP=${HTTP:-1}
PORT=${PORT:-8765}
DATA=bench/data
OUT=bench/results
mkdir -p "$DATA" "$OUT"

count() { case $1 in 10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;; *) echo "$1" ;; esac; }

cargo build --release --bin bordermap --example gen_incidents --example gen_queries >&2
BM=target/release/bordermap
gj=$DATA/incidents-$SIZE.geojson
fgb=$DATA/incidents-$SIZE.fgb
[ -s "$gj" ] || target/release/examples/gen_incidents "$(count "$SIZE")" 42 "$gj"
[ -s $DATA/incidents-10k.geojson ] || target/release/examples/gen_incidents 10000 42 $DATA/incidents-10k.geojson
[ -s $DATA/heavy-radius.csv ] && [ -s $DATA/heavy-knn.csv ] ||
  target/release/examples/gen_queries 1000 42 $DATA/heavy $DATA/incidents-10k.geojson
[ -s "$fgb" ] || $BM export --to fgb --input "$gj" -o "$fgb" --max-input-mb 4096 >&2

# RUNS runs of a command: "MEDIAN_WALL_S MAX_PEAK_MB" (wall time to the millisecond: GNU
# time's own has hundredths)
runs() {
  local ts=() mb=0 t kb start
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o $OUT/.time "$@" >/dev/null 2>>$OUT/fgb.log
    t=$(printf "%.3f" "$(echo "scale=3; ($(date +%s%N) - $start) / 1000000000" | bc)")
    read -r kb < $OUT/.time
    ts+=("$t")
    [ $((kb / 1024)) -gt "$mb" ] && mb=$((kb / 1024))
  done
  printf '%s %s\n' "$(printf '%s\n' "${ts[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")" "$mb"
}

questions=(
  "one 10 km radius|near --lat 39.85 --lon 70.58 --radius-km 10 --format csv"
  "the 10 nearest|near --lat 39.85 --lon 70.58 --nearest 10 --format csv"
  "within Leilek District|within --area Leilek --format csv"
  "1,000 radii (the heavy mix)|near --queries $DATA/heavy-radius.csv --radius-km 10"
  "1,000 × 10 nearest (the heavy mix)|near --queries $DATA/heavy-knn.csv --nearest 10"
)

# The Python peer on SOURCE (a path, or GDAL's /vsicurl/URL), one 10 km radius, its rows
# compared with bordermap's on the local file; prints a line that starts with LABEL.
peer() {
  local tp mp same=no
  read -r tp mp < <(runs "$PY" bench/peer_fgb.py "$1" 39.85 70.58 10 $OUT/fgb-peer.csv)
  $BM near --input "$fgb" --lat 39.85 --lon 70.58 --radius-km 10 --format csv -o $OUT/fgb-c.csv
  cmp -s <(cut -d, -f1-3 $OUT/fgb-c.csv) $OUT/fgb-peer.csv && same=yes
  echo
  echo "$2, one 10 km radius: $tp s ($mp MB); same rows: $same"
}

table=$OUT/fgb.md
{
  echo "| question | GeoJSON, wall s (peak MB) | GeoJSON with the sidecar | FlatGeobuf through its index | same answers |"
  echo "|---|---|---|---|---|"
  for q in "${questions[@]}"; do
    name=${q%%|*}
    read -r -a args <<< "${q#*|}"
    rm -f "$gj.bmidx"
    read -r t1 m1 < <(runs $BM "${args[@]}" --input "$gj" -o $OUT/fgb-a.csv)
    $BM index "$gj" >/dev/null
    read -r t2 m2 < <(runs $BM "${args[@]}" --input "$gj" -o $OUT/fgb-b.csv)
    rm -f "$gj.bmidx"
    read -r t3 m3 < <(runs $BM "${args[@]}" --input "$fgb" --max-input-mb 4096 -o $OUT/fgb-c.csv)
    same=no
    cmp -s $OUT/fgb-a.csv $OUT/fgb-b.csv && cmp -s $OUT/fgb-a.csv $OUT/fgb-c.csv && same=yes
    echo "| $name | $t1 ($m1) | $t2 ($m2) | $t3 ($m3) | $same |"
  done
  [ "$PEERS" = 1 ] && peer "$fgb" "geopandas (pyogrio, GDAL's FlatGeobuf driver) on the FlatGeobuf file"
  if [ "$HTTP" = 1 ]; then
    npx --yes http-server@14.1.1 "$DATA" -a 127.0.0.1 -p "$PORT" -s -c-1 >&2 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    url=http://127.0.0.1:$PORT/$(basename "$fgb")
    for _ in $(seq 120); do curl -sf -r 0-0 -o /dev/null "$url" && break; sleep 1; done
    echo
    echo "The FlatGeobuf file served over HTTP by Node.js http-server on 127.0.0.1:"
    echo
    echo "| question | wall s (peak MB) | downloaded (requests) | same answers as the local file |"
    echo "|---|---|---|---|"
    for q in "${questions[@]}"; do
      name=${q%%|*}
      read -r -a args <<< "${q#*|}"
      read -r t m < <(runs $BM "${args[@]}" --input "$url" -o $OUT/fgb-h.csv)
      got=$($BM "${args[@]}" --input "$url" -o $OUT/fgb-h.csv 2>&1 | sed -n 's/.*: read \([0-9]*\) of its [0-9]* bytes in \([0-9]*\) HTTP.*/\1 bytes (\2)/p')
      $BM "${args[@]}" --input "$fgb" --max-input-mb 4096 -o $OUT/fgb-c.csv 2>/dev/null
      same=no
      cmp -s $OUT/fgb-h.csv $OUT/fgb-c.csv && same=yes
      echo "| $name | $t ($m) | $got | $same |"
    done
    [ "$PEERS" = 1 ] && peer "/vsicurl/$url" "geopandas (pyogrio, GDAL's /vsicurl/) on the same URL"
  fi
} | tee "$table"
