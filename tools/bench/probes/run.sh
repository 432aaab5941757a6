#!/usr/bin/env bash
# The probe of issue 16, item 2 (see FINDINGS.md): FerretDB 1.24 on SQLite (the dev stack's build)
# against FerretDB 1.24 on Debian 12's PostgreSQL 15, same queries, 10 k and 100 k events.
# Everything lives in a temp dir; ports 55432 (PostgreSQL), 27117 (SQLite), 27118 (PostgreSQL).
# Needs: `bash tools/devstack/setup.sh` done, and postgresql-15 (`apt-get install -y
# --no-install-recommends postgresql`). Run as root (PostgreSQL runs as the `postgres` user).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d /tmp/probe-store.XXXX)
pgbin=/usr/lib/postgresql/15/bin
sizes=${SIZES:-10000,100000}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  su postgres -c "$pgbin/pg_ctl -D $tmp/pg -m fast stop" >/dev/null 2>&1 || true
}
trap cleanup EXIT
echo "probe: logs and data in $tmp"

(cd "$root/tools/bench/probes/ferretdb" && go build -mod=readonly -o "$tmp/ferretdb-probe" .)
chown postgres "$tmp"
su postgres -c "$pgbin/initdb -D $tmp/pg -A trust -U postgres" >"$tmp/initdb.log"
su postgres -c "$pgbin/pg_ctl -D $tmp/pg -l $tmp/pg.log -o '-p 55432 -k $tmp -c listen_addresses=127.0.0.1' -w start" >/dev/null
pg=postgres://postgres@127.0.0.1:55432
psql "$pg/postgres" -Xq -c 'CREATE DATABASE ferretdb' -c 'CREATE DATABASE ferretdb_gin'
# A cached generic plan has the key as a parameter and cannot use an expression index.
psql "$pg/postgres" -Xq -c 'ALTER DATABASE ferretdb_gin SET plan_cache_mode TO force_custom_plan'

"$HOME/.cache/journeys/bin/ferretdb" -listen 127.0.0.1:27117 -data "$tmp/sqlite" >"$tmp/sqlite.log" 2>&1 &
pids+=($!)
"$tmp/ferretdb-probe" -listen 127.0.0.1:27118 -handler postgresql -postgresql "$pg/ferretdb" >"$tmp/pg.log" 2>&1 &
pids+=($!)
"$tmp/ferretdb-probe" -listen 127.0.0.1:27119 -handler postgresql -postgresql "$pg/ferretdb_gin" >"$tmp/pggin.log" 2>&1 &
pids+=($!)
sleep 2

cd "$root"
npx tsx tools/bench/probes/storeQueries.ts --uri mongodb://127.0.0.1:27117/ --label sqlite --sizes "$sizes"
npx tsx tools/bench/probes/storeQueries.ts --uri mongodb://127.0.0.1:27118/ --label postgresql --sizes "$sizes"
npx tsx tools/bench/probes/storeQueries.ts --uri mongodb://127.0.0.1:27119/ --label postgresql_gin \
  --sizes "$sizes" --psql "$pg/ferretdb_gin"
