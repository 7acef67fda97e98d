#!/usr/bin/env bash
# What each part of the store's append statement costs on this PostgreSQL server, measured with
# pgbench (a C client, so no JVM and no driver is included), one connection, one row per commit:
#   plain   a single-row INSERT of an event of the sample's size (what the raw JDBC baselines do);
#   meta    the same row with the engine's metadata (command and correlation id) and a command_id
#           entry in the partial unique index;
#   head    the same, with its position taken from the log head row in the same statement (the
#           UPDATE that makes the global log gap-free for readers, as PostgresStore's append does);
#   notify  the same, plus pg_notify (the wake-up of LISTENing readers);
# and for eight callers:
#   plain-8 clients  the plain insert from 8 connections (what the 8-connection raw baseline does);
#   head-8 rows      one client committing 8 rows at a time with the log head update and pg_notify
#                    (what a perfect group commit of 8 single-event appends sends), in rows/s.
#
#   bench/pg/append-shape.sh [seconds-per-case] [rounds]
#
# Connection from the usual libpq variables, defaulting to the test database. Works in schema
# es_shape, dropped and recreated.
set -euo pipefail
seconds=${1:-5}
rounds=${2:-3}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -q -c "DROP SCHEMA IF EXISTS es_shape CASCADE" >/dev/null 2>&1 || true' EXIT

psql -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS es_shape CASCADE;
CREATE SCHEMA es_shape;
CREATE SEQUENCE es_shape.positions START 5000000000000;   -- far from the log head's positions
CREATE TABLE es_shape.events (
    position bigint NOT NULL PRIMARY KEY, stream_type text NOT NULL, stream_id text NOT NULL,
    version bigint NOT NULL, event_id uuid NOT NULL UNIQUE, event_type text NOT NULL,
    event_version integer NOT NULL, recorded_at timestamptz NOT NULL, payload bytea NOT NULL,
    metadata json, command_id text, UNIQUE (stream_type, stream_id, version));
CREATE UNIQUE INDEX ON es_shape.events (stream_type, stream_id, command_id) WHERE command_id IS NOT NULL;
CREATE TABLE es_shape.head (id boolean PRIMARY KEY, position bigint NOT NULL);
INSERT INTO es_shape.head VALUES (true, 0);
SQL

payload="'\x7b226f726465724964223a226f726465722d303030303432222c22637573746f6d65724964223a22637573746f6d65722d3137222c22616d6f756e74223a39392e39392c2263757272656e6379223a22455552227d'::bytea"
metadata="'{\"command-id\":\"0193a3f0-7f1e-7c3a-9f55-1a2b3c4d5e6f\",\"correlation-id\":\"0193a3f0-7f1e-7c3a-9f55-1a2b3c4d5e6f\"}'::json"
row="'Order', 's-' || gen_random_uuid(), 1, gen_random_uuid(), 'OrderCreated', 1, now(), $payload"
echo "INSERT INTO es_shape.events VALUES (nextval('es_shape.positions'), $row, NULL, NULL);" > "$work/plain.sql"
echo "INSERT INTO es_shape.events VALUES (nextval('es_shape.positions'), $row, $metadata, gen_random_uuid()::text);" > "$work/meta.sql"
head="WITH h AS (UPDATE es_shape.head SET position = position + 1 WHERE id RETURNING position)"
head8="WITH h AS (UPDATE es_shape.head SET position = position + 8 WHERE id RETURNING position - 8 AS base)"
echo "$head INSERT INTO es_shape.events SELECT h.position, $row, $metadata, gen_random_uuid()::text FROM h;" > "$work/head.sql"
echo "$head, i AS (INSERT INTO es_shape.events SELECT h.position, $row, $metadata, gen_random_uuid()::text FROM h RETURNING position)
SELECT pg_notify('es_shape', (SELECT position FROM i)::text);" > "$work/notify.sql"

echo "$head8, i AS (INSERT INTO es_shape.events SELECT h.base + g, $row, $metadata, gen_random_uuid()::text FROM h, generate_series(1, 8) g RETURNING position)
SELECT pg_notify('es_shape', (SELECT max(position) FROM i)::text);" > "$work/head8.sql"

tps() { pgbench -n "$@" -T "$seconds" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }
for ((r = 1; r <= rounds; r++)); do
    for case in plain meta head notify; do
        printf 'round %d %-16s %8.0f commits/s\n' "$r" "$case" "$(tps -c 1 -f "$work/$case.sql")"
    done
    printf 'round %d %-16s %8.0f rows/s\n' "$r" "plain-8 clients" "$(tps -c 8 -j 2 -f "$work/plain.sql")"
    printf 'round %d %-16s %8.0f rows/s\n' "$r" "head-8 rows" "$(echo "$(tps -c 1 -f "$work/head8.sql") * 8" | bc)"
done
