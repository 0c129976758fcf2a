#!/usr/bin/env bash
# Fault runs (issue 13): two jiesu replicas on one PostgreSQL under load from org.jiesu.bench.FaultLoad.
#   docs/faults.sh kill        10 cycles of kill -9 of one replica, restarted each time
#   docs/faults.sh pg-restart  PostgreSQL stopped (fast) for 10 s, then started again
#   docs/faults.sh freeze      PostgreSQL frozen (SIGSTOP) for 10 s, then thawed
#   docs/faults.sh soak        the mixed load alone, heap and pool printed every minute
# Needs target/jiesu.jar (mvn -B -q -DskipTests package) and PostgreSQL server binaries (PG_BIN, default the
# newest /usr/lib/postgresql/*/bin). Everything listens on 127.0.0.1. RATE (requests/s, default 100: half the
# two-replica maximum, the soak's rate), BREACHES (SLA deadlines falling due per second meanwhile, default 2)
# and DURATION (ISO-8601) may be set. Output: $WORK/report-MODE.txt, with the host's load average (uptime)
# every 30 s at its end.
set -euo pipefail
MODE=${1:?kill | pg-restart | freeze | soak}
cd "$(dirname "$0")/.."
JAR=$PWD/target/jiesu.jar
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
WORK=${WORK:-/tmp/jiesu-faults}
PGPORT=${PGPORT:-55432}
RATE=${RATE:-100}
BREACHES=${BREACHES:-2}
PORTS=(18081 18082)
DB=postgresql://postgres@127.0.0.1:$PGPORT/jiesu
EVENTS=$WORK/events-$MODE.txt

as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
now() { date +%s%3N; }
event() { echo "$(now) $1" >> "$EVENTS"; echo "[$(date +%T)] $1"; }
pg_pids() { local main; main=$(head -1 "$WORK/pg/postmaster.pid"); echo "$main $(pgrep -P "$main" | tr '\n' ' ')"; }

start_replica() { # index
  local i=$1
  JIESU_DB_URL=$DB JIESU_JWT_JWKS=$WORK/keys/dev-jwks.json JIESU_HTTP_PORT=${PORTS[$i]} JIESU_RATE_LIMIT=10000000 \
  JIESU_DATA_DIR=$WORK/replica$i JIESU_DB_POOL_SIZE=8 \
    java -Xmx256m -jar "$JAR" serve >> "$WORK/replica$i.log" 2>&1 &
  echo $! > "$WORK/replica$i.pid"
}
wait_ready() { # index; a replica that died while starting (it happens on this shared host) is started again
  until curl -sf "http://127.0.0.1:${PORTS[$1]}/health/ready" > /dev/null; do
    if ! kill -0 "$(cat "$WORK/replica$1.pid")" 2>/dev/null; then
      [ -f "$EVENTS" ] && event "died-starting"
      echo "replica $1 died while starting; started again" >&2
      start_replica "$1"
    fi
    sleep 0.2
  done
}
cleanup() {
  [ -n "${UPTIMES:-}" ] && kill "$UPTIMES" 2>/dev/null || true
  for i in 0 1; do [ -f "$WORK/replica$i.pid" ] && kill "$(cat "$WORK/replica$i.pid")" 2>/dev/null || true; done
  [ -f "$WORK/pg/postmaster.pid" ] && { kill -CONT $(pg_pids) 2>/dev/null || true; as_pg "$PG_BIN/pg_ctl -D $WORK/pg -m fast stop" > /dev/null || true; }
}
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK" && chmod 777 "$WORK" && : > "$EVENTS"
cp "$JAR" "$WORK/jiesu.jar" && JAR=$WORK/jiesu.jar   # a rebuild meanwhile does not pull the jar from under the servers
as_pg "$PG_BIN/initdb -D $WORK/pg -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" > "$WORK/initdb.log"
as_pg "$PG_BIN/pg_ctl -D $WORK/pg -o '-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=60 -c track_commit_timestamp=on' -l $WORK/pg.log start" > /dev/null
as_pg "$PG_BIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -qc 'CREATE DATABASE jiesu'"
java -cp "$JAR" org.jiesu.bench.FaultLoad keys "$WORK/keys" > /dev/null
start_replica 0; start_replica 1; wait_ready 0; wait_ready 1
echo "two replicas ready on ${PORTS[*]}, PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $PGPORT"

case $MODE in
  kill) DURATION=${DURATION:-PT1800S} ;;   # ends when the ten cycles are done
  pg-restart|freeze) DURATION=${DURATION:-PT90S} ;;
  soak) DURATION=${DURATION:-PT600S} ;;
  *) echo "unknown mode $MODE"; exit 2 ;;
esac
java -cp "$JAR" org.jiesu.bench.FaultLoad --urls "http://127.0.0.1:${PORTS[0]},http://127.0.0.1:${PORTS[1]}" \
  --keys "$WORK/keys" --db "$DB" --rate "$RATE" --duration "$DURATION" --events "$EVENTS" --scrape PT60S \
  --stop-file "$WORK/stop" --breaches "$BREACHES" \
  > "$WORK/report-$MODE.txt" 2>"$WORK/load.err" &
LOAD=$!
( while true; do echo "$(date +%T) $(uptime)" >> "$WORK/uptime-$MODE.txt"; sleep 30; done ) &
UPTIMES=$!
sleep 15
event start
case $MODE in
  kill)
    for cycle in $(seq 1 10); do
      kill -9 "$(cat "$WORK/replica1.pid")"; event kill
      sleep 2
      start_replica 1; wait_ready 1; event ready
      sleep 10
    done
    touch "$WORK/stop" ;;
  pg-restart)
    sleep 10
    as_pg "$PG_BIN/pg_ctl -D $WORK/pg -m fast stop" > /dev/null; event pg-stop
    sleep 10
    as_pg "$PG_BIN/pg_ctl -D $WORK/pg -o '-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=60 -c track_commit_timestamp=on' -l $WORK/pg.log start" > /dev/null
    event pg-start
    sleep 30; touch "$WORK/stop" ;;
  freeze)
    sleep 10
    PIDS=$(pg_pids); kill -STOP $PIDS; event freeze
    sleep 10
    kill -CONT $PIDS; event thaw
    sleep 30; touch "$WORK/stop" ;;
esac
wait $LOAD
kill "$UPTIMES" 2>/dev/null || true; UPTIMES=
echo "load average (uptime every 30 s; the host's 2 cores are shared):" >> "$WORK/report-$MODE.txt"
cat "$WORK/uptime-$MODE.txt" >> "$WORK/report-$MODE.txt"
cat "$WORK/report-$MODE.txt"
