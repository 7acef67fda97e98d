#!/usr/bin/env bash
# What the store's append statement costs on this PostgreSQL server, measured with pgbench (a C
# client: no JVM, no driver), with prepared statements (-M prepared), as pgjdbc runs a statement
# it has executed prepareThreshold (5) times. The statements mirror AppendSql's two forms; their
# values are computed in SQL instead of bound, which the server prices the same.
#
# One connection, one commit at a time:
#   plain     a single-row INSERT of an event of the sample's size (what the raw JDBC baselines do);
#   meta      the same row with the engine's metadata (command and correlation id) and a command_id
#             entry in the partial unique index (idempotency);
#   head      the same, with its position taken from the log head row in the same statement (the
#             UPDATE that makes the global log gap-free for readers);
#   store     AppendSql's lone form for one event of a new stream: the version probe, the log head
#             update, pg_notify, the insert (what one command on a new aggregate sends);
#   store-8   the lone form with 8 events of one stream (a batch of 8 commands on a hot aggregate);
#   group-8   AppendSql's group form with 8 appends to 8 new streams (a group commit of 8 callers);
# and eight connections at once:
#   plain-8c  the plain insert from 8 connections (what the 8-connection raw baseline does).
# Each round prints rows/s for every case and the ceilings they set, the JVM excluded:
#   1 thread vs raw insert          store / plain
#   8 callers vs 8 raw connections  group-8 / plain-8c
#   hot aggregate, batches of 8 vs one command at a time under a lock   store-8 / store
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

E=es_shape.events
payload="'\x7b226f726465724964223a226f726465722d303030303432222c22637573746f6d65724964223a22637573746f6d65722d3137222c22616d6f756e74223a39392e39392c2263757272656e6379223a22455552227d'::bytea"
metadata="'{\"command-id\":\"0193a3f0-7f1e-7c3a-9f55-1a2b3c4d5e6f\",\"correlation-id\":\"0193a3f0-7f1e-7c3a-9f55-1a2b3c4d5e6f\"}'"
row="'Order', 's-' || gen_random_uuid(), 1, gen_random_uuid(), 'OrderCreated', 1, now(), $payload"
echo "INSERT INTO $E VALUES (nextval('es_shape.positions'), $row, NULL, NULL);" > "$work/plain.sql"
echo "INSERT INTO $E VALUES (nextval('es_shape.positions'), $row, $metadata::json, gen_random_uuid()::text);" > "$work/meta.sql"
echo "WITH h AS (UPDATE es_shape.head SET position = position + 1 WHERE id RETURNING position)
INSERT INTO $E SELECT h.position, $row, $metadata::json, gen_random_uuid()::text FROM h;" > "$work/head.sql"

probe="(SELECT e.version FROM $E e WHERE e.stream_type = s.stream_type AND e.stream_id = s.stream_id AND e.version = s.expected + 1) IS NULL
         AND (s.expected = 0 OR (SELECT e.version FROM $E e WHERE e.stream_type = s.stream_type AND e.stream_id = s.stream_id AND e.version = s.expected) IS NOT NULL)"
lone() {   # the lone form for $1 events of one new stream
    local values="" i
    for ((i = 1; i <= $1; i++)); do
        values+="${values:+, }($i, gen_random_uuid(), 'OrderCreated', 1, now(), $payload, $metadata::json, $([ $i = 1 ] && echo "gen_random_uuid()::text" || echo "NULL::text"))"
    done
    echo "WITH s AS (SELECT 'Order'::text AS stream_type, ('s-' || gen_random_uuid())::text AS stream_id, 0::bigint AS expected),
     ok AS MATERIALIZED (SELECT s.stream_type, s.stream_id, s.expected FROM s WHERE $probe),
     h AS (UPDATE es_shape.head SET position = position + $1 WHERE id AND EXISTS (SELECT FROM ok)
           RETURNING position - $1 AS base, pg_notify('es_shape', '')::text AS notified)
INSERT INTO $E (position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at, payload, metadata, command_id)
SELECT h.base + v.ord, ok.stream_type, ok.stream_id, ok.expected + v.ord, v.event_id, v.event_type, v.event_version, v.recorded_at,
       v.payload, v.metadata, v.command_id
FROM (VALUES $values) AS v(ord, event_id, event_type, event_version, recorded_at, payload, metadata, command_id), ok, h;"
}
lone 1 > "$work/store.sql"
lone 8 > "$work/store-8.sql"
n8="ARRAY[8]"
echo "WITH ids AS MATERIALIZED (SELECT ARRAY(SELECT 's-' || gen_random_uuid() FROM generate_series(1, 8)) AS a),
     p AS MATERIALIZED (
       SELECT array_fill('Order'::text, $n8) AS stream_types, ids.a AS stream_ids, array_fill(0::bigint, $n8) AS expected,
              array_fill('Order'::text, $n8) AS row_stream_types, ids.a AS row_stream_ids, array_fill(1::bigint, $n8) AS row_versions,
              ARRAY(SELECT gen_random_uuid() FROM generate_series(1, 8)) AS event_ids, array_fill('OrderCreated'::text, $n8) AS event_types,
              array_fill(1, $n8) AS event_versions, array_fill((extract(epoch FROM now()) * 1000000)::bigint, $n8) AS micros,
              array_fill($payload, $n8) AS payloads, array_fill($metadata::text, $n8) AS metadata,
              ARRAY(SELECT gen_random_uuid()::text FROM generate_series(1, 8)) AS command_ids
       FROM ids),
     req AS MATERIALIZED (
       SELECT q.r, ${probe//s./q.} AS ok
       FROM p, unnest(p.stream_types, p.stream_ids, p.expected) WITH ORDINALITY AS q(stream_type, stream_id, expected, r)),
     h AS (
       UPDATE es_shape.head SET position = position + (SELECT cardinality(event_ids) FROM p)
       WHERE id AND EXISTS (SELECT FROM p WHERE NOT EXISTS (SELECT FROM req WHERE NOT ok))
       RETURNING position - (SELECT cardinality(event_ids) FROM p) AS base, pg_notify('es_shape', '')::text AS notified),
     ins AS (
       INSERT INTO $E (position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at, payload, metadata, command_id)
       SELECT h.base + v.i, v.stream_type, v.stream_id, v.version, v.event_id, v.event_type, v.event_version,
              timestamptz 'epoch' + v.micros * interval '1 microsecond', v.payload, v.metadata::json, v.command_id
       FROM p, unnest(p.row_stream_types, p.row_stream_ids, p.row_versions, p.event_ids, p.event_types, p.event_versions,
                      p.micros, p.payloads, p.metadata, p.command_ids)
            WITH ORDINALITY AS v(stream_type, stream_id, version, event_id, event_type, event_version, micros, payload, metadata, command_id, i)
       CROSS JOIN h)
SELECT (SELECT base FROM h), array(SELECT r FROM req WHERE NOT ok ORDER BY r);" > "$work/group-8.sql"

tps() { pgbench -n -M prepared "$@" -T "$seconds" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }
for ((r = 1; r <= rounds; r++)); do
    declare -A rows=()
    for case in plain meta head store store-8 group-8; do
        per=1; [[ $case == *-8 ]] && per=8
        rows[$case]=$(echo "$(tps -c 1 -f "$work/$case.sql") * $per" | bc)
        printf 'round %d %-9s %8.0f rows/s\n' "$r" "$case" "${rows[$case]}"
    done
    rows[plain-8c]=$(tps -c 8 -j 2 -f "$work/plain.sql")
    printf 'round %d %-9s %8.0f rows/s\n' "$r" "plain-8c" "${rows[plain-8c]}"
    printf 'round %d ceilings: 1 thread %.2fx   8 callers %.2fx   hot aggregate, batches of 8: %.2fx\n' "$r" \
        "$(echo "${rows[store]} / ${rows[plain]}" | bc -l)" "$(echo "${rows[group-8]} / ${rows[plain-8c]}" | bc -l)" \
        "$(echo "${rows[store-8]} / ${rows[store]}" | bc -l)"
done
