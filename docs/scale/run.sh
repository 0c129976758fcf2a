#!/usr/bin/env bash
# The measured figure behind docs/scaling.md: queue, list and scorecard latencies at N generated tickets.
#   N=10000000 docs/scale/run.sh        (default N=1000000)
# Needs target/jiesu.jar and PostgreSQL server binaries (PG_BIN). Listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000000}
JAR=$PWD/target/jiesu.jar
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
WORK=${WORK:-/tmp/jiesu-scale}
PGPORT=${PGPORT:-55440}
PORT=${PORT:-18090}
DB=postgresql://postgres@127.0.0.1:$PGPORT/jiesu
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
psqlq() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d jiesu -X "$@"; }
cleanup() {
  [ -f "$WORK/server.pid" ] && kill "$(cat "$WORK/server.pid")" 2>/dev/null || true
  as_pg "$PG_BIN/pg_ctl -D $WORK/pg -m fast stop" > /dev/null 2>&1 || true
}
trap cleanup EXIT
rm -rf "$WORK" && mkdir -p "$WORK" && chmod 777 "$WORK"
cp "$JAR" "$WORK/jiesu.jar" && JAR=$WORK/jiesu.jar   # a rebuild meanwhile does not pull the jar from under the server
as_pg "$PG_BIN/initdb -D $WORK/pg -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" > "$WORK/initdb.log"
as_pg "$PG_BIN/pg_ctl -D $WORK/pg -o '-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_wal_size=8GB' -l $WORK/pg.log start" > /dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'CREATE DATABASE jiesu'
java -cp "$JAR" org.jiesu.bench.FaultLoad keys "$WORK/keys" > /dev/null
start_server() {
  JIESU_DB_URL=$DB JIESU_JWT_JWKS=$WORK/keys/dev-jwks.json JIESU_HTTP_PORT=$PORT JIESU_RATE_LIMIT=10000000 \
    JIESU_DATA_DIR=$WORK/server java -jar "$JAR" serve >> "$WORK/server.log" 2>&1 &
  echo $! > "$WORK/server.pid"
  until curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null; do sleep 0.5; done
}
start_server                                        # applies the migrations
kill "$(cat "$WORK/server.pid")"; while kill -0 "$(cat "$WORK/server.pid")" 2>/dev/null; do sleep 0.5; done
echo "generating $N tickets ($(date +%T))"
time psqlq -q -v n="$N" -f docs/scale/generate.sql
start_server
TOKEN() { JIESU_DATA_DIR=$WORK/keys java -jar "$JAR" token "$@"; }
HOTLINE=$(TOKEN --role HOTLINE); STAFF=$(TOKEN --role STAFF --dept D-042)
measure() { # name token path ; 5 warm-up, then 30 timed requests one after another
  local name=$1 token=$2 path=$3
  for i in $(seq 5); do curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path"; done
  for i in $(seq 30); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path"
  done | sort -k2 -n | awk -v name="$name" '{ s[NR]=$2; c[$1]++ } END { printf "%-44s %s  p50 %.1f ms  p90 %.1f ms  max %.1f ms\n", name, (length(c)==1 && ("200" in c)) ? "30x200" : "NOT ALL 200", s[15]*1000, s[27]*1000, s[30]*1000 }'
}
echo "--- HTTP, one request at a time, $N tickets"
measure "queue: status=RECEIVED (hotline)" "$HOTLINE" "/api/v1/tickets?status=RECEIVED&limit=50"
measure "queue: department, sort=dueAt (staff)" "$STAFF" "/api/v1/tickets?sort=dueAt&limit=50"
measure "list: department, newest first (staff)" "$STAFF" "/api/v1/tickets?limit=50"
measure "list: all, newest first (hotline)" "$HOTLINE" "/api/v1/tickets?limit=50"
measure "list: category+month (hotline)" "$HOTLINE" "/api/v1/tickets?category=market&receivedFrom=2024-03-01T00:00:00Z&receivedTo=2024-04-01T00:00:00Z&limit=50"
echo "--- scorecard-shaped SQL (the three rates of every department for one month), EXPLAIN ANALYZE"
for run in 1 2 3; do
psqlq -At -c "EXPLAIN (ANALYZE, FORMAT JSON) SELECT lead_department, count(*) AS tickets,
  count(*) FILTER (WHERE first_contact_at <= received_at + interval '2 hours') AS responded,
  count(*) FILTER (WHERE reply_outcome = 'RESOLVED') AS resolved,
  count(*) FILTER (WHERE callback_satisfaction IN ('SATISFIED','BASICALLY_SATISFIED')) AS satisfied
  FROM ticket WHERE received_at >= date_trunc('month', now()) - interval '2 months'
   AND received_at < date_trunc('month', now()) - interval '1 month'
  GROUP BY lead_department" | python3 -c "import json,sys; p=json.load(sys.stdin)[0]; print('scorecard month, all departments: %.1f ms' % p['Execution Time'])"
done
psqlq -At -c "SELECT 'ticket table with indexes: ' || pg_size_pretty(pg_total_relation_size('ticket')) || ', ' || round(pg_total_relation_size('ticket')::numeric / count(*)) || ' bytes per ticket' FROM ticket"
