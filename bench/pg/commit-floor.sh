#!/usr/bin/env bash
# What this PostgreSQL server can do for durable single-row commits, measured with pgbench (a C
# client, so no JVM cost is included): the ceiling any event store on this machine works under.
#
#   bench/pg/commit-floor.sh [seconds-per-case]
#
# Connection from the usual libpq variables, defaulting to the test database (PGHOST=127.0.0.1,
# PGUSER=postgres, PGDATABASE=test). Works in schema es_floor, dropped and recreated. Rows have the
# shape of the store's events (same columns, keys and indexes). Cases:
#   1 row per transaction on 1 connection, and on 8 (PostgreSQL's own group commit of flushes);
#   8 rows per transaction on 1 connection: 8 single-event callers grouped perfectly into one
#     commit, the most that 8 synchronous callers can get from one commit order;
#   100 rows per transaction on 1 connection: the batched rate.
set -euo pipefail
seconds=${1:-5}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS es_floor CASCADE;
CREATE SCHEMA es_floor;
CREATE SEQUENCE es_floor.positions;
CREATE TABLE es_floor.events (
    position bigint NOT NULL PRIMARY KEY, stream_type text NOT NULL, stream_id text NOT NULL,
    version bigint NOT NULL, event_id uuid NOT NULL UNIQUE, event_type text NOT NULL,
    event_version integer NOT NULL, recorded_at timestamptz NOT NULL, payload bytea NOT NULL,
    metadata json, UNIQUE (stream_type, stream_id, version));
SQL

# One script per row count: a multi-row INSERT of events of the sample's size, each row its own stream.
payload='\x7b226f726465724964223a226f726465722d303030303432222c22637573746f6d65724964223a22637573746f6d65722d3137222c22616d6f756e74223a39392e39392c2263757272656e6379223a22455552227d'
for rows in 1 8 100; do
    {
        printf 'INSERT INTO es_floor.events (position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at, payload, metadata) VALUES\n'
        for ((i = 1; i <= rows; i++)); do
            printf "  (nextval('es_floor.positions'), 'Order', 's-' || :client_id || '-' || gen_random_uuid(), 1, gen_random_uuid(), 'OrderCreated', 1, now(), '%s'::bytea, NULL)%s\n" \
                "$payload" "$([[ $i -lt $rows ]] && echo , || echo ';')"
        done
    } > "$work/rows$rows.sql"
done

run() { # rows-per-transaction clients
    local out tps latency
    out=$(pgbench -n -M prepared -c "$2" -j "$(( $2 < 2 ? 1 : 2 ))" -T "$seconds" -f "$work/rows$1.sql" 2>&1)
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<< "$out")
    latency=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<< "$out")
    printf '  %3s row(s)/tx, %s connection(s): %8.0f tx/s, %8.0f rows/s, commit latency %s ms\n' \
        "$1" "$2" "$tps" "$(echo "$tps * $1" | bc)" "$latency"
}

echo "pgbench on $PGHOST/$PGDATABASE, ${seconds}s per case, $(nproc) cores"
run 1 1
run 1 8
run 8 1
run 100 1
psql -q -c 'SET client_min_messages = warning' -c 'DROP SCHEMA es_floor CASCADE'
