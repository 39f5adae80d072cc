#!/usr/bin/env bash
# The shared store's figures for README "Working as a team": pushing and pulling 100,000
# incidents, and a 10 km radius query over 1,000,000 incidents in the database (GiST on
# geography, then the exact geodesic) against the same query on the GeoJSON file.
#
# Starts a throwaway PostgreSQL + PostGIS cluster in a temporary directory on a free local
# port (as an unprivileged user when run as root) and removes it at the end. Needs the
# distribution's postgresql and postgresql-NN-postgis-3 packages (.ci/postgres.sh).
#
#   bench/store.sh                  # 100k push/pull, 1M radius query
#   BIG=200000 bench/store.sh       # a smaller "big" size on a slow machine
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SMALL="${SMALL:-100000}"
BIG="${BIG:-1000000}"
TIMEFORMAT='%R'
data=bench/data
mkdir -p "${data}"

cargo build --release --quiet
cargo build --release --quiet --example gen_incidents
bm=target/release/bordermap
gen=target/release/examples/gen_incidents
for n in "${SMALL}" "${BIG}"; do
    [ -f "${data}/store-${n}.geojson" ] || "${gen}" "${n}" 42 "${data}/store-${n}.geojson"
done

# ---- a throwaway cluster ----
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
dir="$(mktemp -d)"
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown nobody "${dir}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
run_pg "${bin}/initdb" -D "${dir}/data" -U bench -E UTF8 --locale=C.UTF-8 --auth=trust >/dev/null
run_pg "${bin}/pg_ctl" -D "${dir}/data" -l "${dir}/log" -w \
    -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
trap 'run_pg "${bin}/pg_ctl" -D "${dir}/data" -m fast stop >/dev/null; rm -rf "${dir}"' EXIT
for db in small big; do
    "${bin}/psql" -q -h 127.0.0.1 -p "${port}" -U bench -d postgres -c "CREATE DATABASE ${db}"
done
url() { echo "postgresql://bench@127.0.0.1:${port}/$1?sslmode=disable"; }
"${bm}" db --db "$(url small)" init
"${bm}" db --db "$(url big)" init

echo "## machine"
nproc
"${bin}/postgres" --version

echo "## ${SMALL} incidents"
small="${data}/store-${SMALL}.geojson"
echo -n "push into an empty store (s): "; time "${bm}" db --db "$(url small)" push "${small}" >/dev/null
echo -n "second, identical push (s): "; time "${bm}" db --db "$(url small)" push "${small}" >/dev/null
out="$(mktemp)"
echo -n "pull (s): "; time "${bm}" db --db "$(url small)" pull -o "${out}" >/dev/null
if cmp -s "${out}" "${small}"; then
    echo "pulled bytes: identical"
else
    # The generator prints a whole-degree coordinate as `41` where bordermap writes `41.0`.
    echo "pulled bytes: $(diff "${out}" "${small}" | grep -c '^>') of ${SMALL} lines differ, e.g.:"
    diff "${out}" "${small}" | grep '^[<>]' | head -n 2 | cut -c 1-160
fi
rm -f "${out}" "${out}.revisions.json"

echo "## ${BIG} incidents"
big="${data}/store-${BIG}.geojson"
echo -n "push into an empty store (s): "; time "${bm}" db --db "$(url big)" push --max-input-mb 2048 "${big}" >/dev/null
for point in "70.82 40.06 Batken" "69.62 40.28 Khujand" "72.5 39.2 background"; do
    set -- ${point}
    for source in db file; do
        if [ "${source}" = db ]; then args=(--db "$(url big)"); else args=(--input "${big}" --max-input-mb 2048); fi
        "${bm}" near --lon "$1" --lat "$2" --radius-km 10 --format csv "${args[@]}" >"${dir}/near-${source}.csv"
        echo -n "near $3 10 km, ${source} ($(($(wc -l <"${dir}/near-${source}.csv") - 1)) results) (s): "
        time "${bm}" near --lon "$1" --lat "$2" --radius-km 10 --format csv "${args[@]}" >/dev/null
    done
    cmp -s "${dir}/near-db.csv" "${dir}/near-file.csv" && echo "db and file answers: identical" || echo "db and file answers: DIFFERENT"
done
