#!/usr/bin/env bash
# Installs PostgreSQL and PostGIS from the distribution's packages for the store tests
# (tests/store.rs). Idempotent: does nothing when both are installed. The tests themselves
# start a throwaway cluster on a free local port in a temporary directory, as an
# unprivileged user, and stop it when they end (tests/util/pg.rs); no server is started here.
set -euo pipefail

sudo_if_needed() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

postgis_installed() {
    local sharedir
    for bin in /usr/lib/postgresql/*/bin; do
        [ -x "${bin}/initdb" ] || continue
        sharedir="$("${bin}/pg_config" --sharedir)"
        [ -f "${sharedir}/extension/postgis.control" ] && return 0
    done
    return 1
}

if postgis_installed; then
    echo "PostgreSQL and PostGIS already installed"
else
    sudo_if_needed apt-get update
    # postgresql-NN-postgis-3 for the distribution's PostgreSQL major version.
    major="$(apt-cache depends postgresql | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1)"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y \
        postgresql "postgresql-${major}-postgis-3" openssl
fi
for bin in /usr/lib/postgresql/*/bin; do
    "${bin}/postgres" --version
done
dpkg-query -W -f '${Package} ${Version}\n' 'postgresql-*-postgis-3' 2>/dev/null || true
# The cluster the package may have started is not used by the tests.
