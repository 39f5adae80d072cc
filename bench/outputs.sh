#!/usr/bin/env bash
# Large outputs: wall time, peak memory and output size of the commands that write a whole
# dataset (the HTML page, each export format, a merge) on the benchmark's incidents files.
# With BASE set to another bordermap binary (an older build, say), each command is run with
# it too, and the two outputs are compared byte for byte.
#
# Environment: SIZES (default "100k 1m"), BASE (optional binary to compare with). Needs GNU
# time (/usr/bin/time). Prints a markdown table (also bench/results/outputs.md).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100k 1m"}
BASE=${BASE:-}
DATA=bench/data
OUT=bench/results
mkdir -p "$DATA" "$OUT"

count() { case $1 in 10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;; *) echo "$1" ;; esac; }

cargo build --release --bin bordermap --example gen_incidents >&2
BM=target/release/bordermap
[ -s $DATA/incidents-10k.geojson ] || target/release/examples/gen_incidents 10000 42 $DATA/incidents-10k.geojson
for s in $SIZES; do
  f=$DATA/incidents-$s.geojson
  [ -s "$f" ] || target/release/examples/gen_incidents "$(count "$s")" 42 "$f"
done

# one run of a command writing $1: "WALL_S PEAK_MB OUTPUT_MB"
measure() {
  local out=$1
  shift
  rm -f "$out"
  /usr/bin/time -f "%e %M" -o $OUT/.time "$@" >/dev/null 2>>$OUT/outputs.log
  read -r t kb < $OUT/.time
  printf '%s %s %s\n' "$t" "$((kb / 1024))" "$(($(stat -c %s "$out") / 1048576))"
}

table=$OUT/outputs.md
{
  if [ -n "$BASE" ]; then
    echo "| incidents | command | output MB | wall s | peak MB | baseline wall s | baseline peak MB | same bytes |"
    echo "|---:|---|---:|---:|---:|---:|---:|---|"
  else
    echo "| incidents | command | output MB | wall s | peak MB |"
    echo "|---:|---|---:|---:|---:|"
  fi
} > $table
for s in $SIZES; do
  f=$DATA/incidents-$s.geojson
  n=$(count "$s")
  for job in html geojson csv kml fgb gpkg merge; do
    case $job in
      html) args=(html --input "$f" --max-incidents "$n") ; ext=html ;;
      merge) args=(merge "$f" $DATA/incidents-10k.geojson) ; ext=geojson ;;
      *) args=(export --to "$job" --input "$f") ; ext=$job ;;
    esac
    o=$OUT/outputs-$s-$job.$ext
    read -r t mb size < <(measure "$o" $BM "${args[@]}" -o "$o")
    label="\`${args[*]}\`"
    label=${label//$DATA\//}
    if [ -n "$BASE" ]; then
      ob=$OUT/outputs-$s-$job-base.$ext
      read -r bt bmb _ < <(measure "$ob" "$BASE" "${args[@]}" -o "$ob")
      same=$(cmp -s "$o" "$ob" && echo yes || echo NO)
      rm -f "$ob"
      echo "| $n | $label | $size | $t | $mb | $bt | $bmb | $same |" >> $table
    else
      echo "| $n | $label | $size | $t | $mb |" >> $table
    fi
    rm -f "$o"
  done
done
cat $table
