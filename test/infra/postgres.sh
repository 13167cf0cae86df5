#!/usr/bin/env bash
# PostgreSQL 15 for the integration tests, without Docker: Debian's packages (installed with
# apt-get when missing and run as root), a cluster initdb'ed into <dir>, loopback only, run as a
# non-root user (the `postgres` account the package creates when this script runs as root).
#
#   test/infra/postgres.sh fetch                                # the binaries, installed if missing
#   test/infra/postgres.sh start <dir> <port>                   # a primary; creates roles and database once
#   test/infra/postgres.sh start-replica <dir> <port> <primary-port>  # a streaming replica of a local primary
#   test/infra/postgres.sh promote <dir>                        # the replica becomes a primary
#   test/infra/postgres.sh kill <dir>                           # SIGKILL the postmaster (crash, no shutdown)
#   test/infra/postgres.sh stop <dir>                           # fast shutdown; ok if not running
#
# Roles: ledger_admin (superuser, owns the schema; password "admin") and ledger (the ledger's
# login; password "ledger"; gets only SELECT and INSERT from the schema install). Database: ledger.
# Then: POSTGRES_URL=postgres://ledger:ledger@127.0.0.1:<port>/ledger
#       POSTGRES_ADMIN_URL=postgres://ledger_admin:admin@127.0.0.1:<port>/ledger
# A primary started with POSTGRES_SYNC_STANDBY=1 commits only once a standby has flushed the WAL
# (synchronous_standby_names='*'): the failover test's setting. POSTGRES_START_TIMEOUT_S (60).
set -euo pipefail

MAJOR=15
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
START_TIMEOUT_S="${POSTGRES_START_TIMEOUT_S:-60}"
ADMIN_PASSWORD=admin
LEDGER_PASSWORD=ledger

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

bin_dir() {
  local dir="/usr/lib/postgresql/$MAJOR/bin"
  [[ -x "$dir/initdb" ]] && echo "$dir"
}

fetch() {
  if bin_dir >/dev/null; then return 0; fi
  [[ "$(id -u)" == 0 ]] || die "PostgreSQL $MAJOR is not installed (/usr/lib/postgresql/$MAJOR/bin); as root: apt-get install -y postgresql-$MAJOR"
  command -v apt-get >/dev/null || die "PostgreSQL $MAJOR is missing and there is no apt-get to install it"
  log "installing postgresql-$MAJOR with apt-get"
  # The package would create and start a cluster of its own on 5432; none is needed.
  mkdir -p /etc/postgresql-common
  [[ -f /etc/postgresql-common/createcluster.conf ]] || echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-$MAJOR" >&2
  bin_dir >/dev/null || die "apt-get install postgresql-$MAJOR did not provide /usr/lib/postgresql/$MAJOR/bin/initdb"
}

# PostgreSQL refuses to run as root: as root, run as the package's `postgres` account.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

own() { # <dir>: hand the cluster dir to the account that runs it
  if [[ "$(id -u)" == 0 ]]; then chown -R postgres: "$1"; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_of() { # the postmaster's pid if <dir>'s server is alive
  local file="$1/data/postmaster.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(head -n 1 "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

configure() { # <dir> <port>: settings for a loopback test server, primary or replica
  local dir="$1" port="$2"
  cat >>"$dir/data/postgresql.conf" <<EOF
# Written by test/infra/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 64MB
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
fsync = on
synchronous_commit = on
log_min_messages = warning
log_line_prefix = '%m [%p] '
EOF
  # A promoted replica must not wait for a standby of its own: it has none. A primary gets its
  # standby setting (ALTER SYSTEM) once its roles exist: before, nothing could commit.
  echo "synchronous_standby_names = ''" >>"$dir/data/postgresql.conf"
  cat >"$dir/data/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 scram-sha-256
host replication all 127.0.0.1/32 scram-sha-256
EOF
}

wait_ready() { # <dir> <port> <pid>
  local dir="$1" port="$2" pid="$3" bin
  bin="$(bin_dir)"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$dir/postgres.log" >&2 || true
      die "exited during start (log above: $dir/postgres.log)"
    fi
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; then return 0; fi
    sleep 0.2
  done
  tail -n 30 "$dir/postgres.log" >&2 || true
  die "not ready on 127.0.0.1:$port within ${START_TIMEOUT_S}s (log above: $dir/postgres.log)"
}

launch() { # <dir> <port>
  local dir="$1" port="$2" bin
  bin="$(bin_dir)"
  port_open "$port" && die "127.0.0.1:$port is already in use by another process"
  # setsid: the server outlives this script and whatever process group started it.
  as_owner setsid -f "$bin/postgres" -D "$dir/data" >>"$dir/postgres.log" 2>&1 </dev/null
  local deadline=$((SECONDS + 10))
  until [[ -f "$dir/data/postmaster.pid" ]]; do
    ((SECONDS < deadline)) || { tail -n 30 "$dir/postgres.log" >&2 || true; die "no postmaster.pid in $dir/data (log above)"; }
    sleep 0.1
  done
  wait_ready "$dir" "$port" "$(head -n 1 "$dir/data/postmaster.pid")"
}

psql_admin() { # <dir> <port> <sql...>: over the unix socket in <dir>
  local dir="$1" port="$2"
  shift 2
  as_owner "$(bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U ledger_admin -d postgres "$@"
}

start() {
  local dir="${1:?usage: start <dir> <port>}" port="${2:?usage: start <dir> <port>}" bin pid
  [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
  fetch
  bin="$(bin_dir)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if pid="$(pid_of "$dir")"; then
    log "already running from $dir (pid $pid)"
    return 0
  fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    printf '%s\n' "$ADMIN_PASSWORD" >"$dir/pwfile"
    own "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U ledger_admin --pwfile="$dir/pwfile" -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    rm -f "$dir/pwfile"
    configure "$dir" "$port"
    own "$dir"
    launch "$dir" "$port"
    psql_admin "$dir" "$port" -c "CREATE ROLE ledger LOGIN PASSWORD '$LEDGER_PASSWORD'" -c "CREATE DATABASE ledger OWNER ledger_admin"
    psql_admin "$dir" "$port" -d ledger -c 'REVOKE CREATE ON SCHEMA public FROM PUBLIC'
  else
    launch "$dir" "$port"
  fi
  if [[ "${POSTGRES_SYNC_STANDBY:-0}" == 1 ]]; then
    psql_admin "$dir" "$port" -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c 'SELECT pg_reload_conf()' >/dev/null
  fi
  log "ready on 127.0.0.1:$port (pid $(pid_of "$dir"), data in $dir/data)"
}

start_replica() {
  local dir="${1:?usage: start-replica <dir> <port> <primary-port>}" port="${2:?}" primary="${3:?}" bin
  [[ "$port" =~ ^[0-9]+$ && "$primary" =~ ^[0-9]+$ ]] || die "ports must be numbers, got '$port' and '$primary'"
  fetch
  bin="$(bin_dir)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if pid_of "$dir" >/dev/null; then die "a server is already running from $dir"; fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    own "$dir"
    # -R: standby.signal and primary_conninfo; -X stream: the WAL written meanwhile comes along.
    as_owner env PGPASSWORD="$ADMIN_PASSWORD" "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U ledger_admin \
      -D "$dir/data" -R -X stream -c fast -d "application_name=replica_$port" >"$dir/basebackup.log" 2>&1 ||
      { cat "$dir/basebackup.log" >&2; die "pg_basebackup from 127.0.0.1:$primary failed"; }
    # The copied postgresql.conf is the primary's: its port and socket dir are rewritten by the later lines.
    configure "$dir" "$port"
    # ALTER SYSTEM's file came along with primary_conninfo: drop the primary's standby setting.
    sed -i '/^synchronous_standby_names/d' "$dir/data/postgresql.auto.conf"
    own "$dir"
  fi
  launch "$dir" "$port"
  log "replica ready on 127.0.0.1:$port of 127.0.0.1:$primary (pid $(pid_of "$dir"))"
}

promote() {
  local dir="${1:?usage: promote <dir>}"
  dir="$(cd "$dir" && pwd)"
  pid_of "$dir" >/dev/null || die "no server running from $dir"
  as_owner "$(bin_dir)/pg_ctl" promote -w -t "$START_TIMEOUT_S" -D "$dir/data" >&2
}

kill_server() {
  local dir="${1:?usage: kill <dir>}" pid
  dir="$(cd "$dir" && pwd)"
  pid="$(pid_of "$dir")" || die "no server running from $dir"
  kill -KILL "$pid"
  # Its backends notice the postmaster's death and exit; wait until the port is free.
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
  log "killed postmaster $pid ($dir)"
}

stop() {
  local dir="${1:?usage: stop <dir>}" pid
  [[ -d "$dir" ]] || return 0
  dir="$(cd "$dir" && pwd)"
  pid="$(pid_of "$dir")" || return 0
  # SIGINT is PostgreSQL's fast shutdown; lib.sh's terminate sends SIGTERM (smart: waits for clients).
  kill -INT "$pid" 2>/dev/null || true
  terminate "$pid" 30 postgres.sh
  log "stopped (pid $pid, $dir)"
}

case "${1:-}" in
  fetch) fetch ;;
  start) shift && start "$@" ;;
  start-replica) shift && start_replica "$@" ;;
  promote) shift && promote "$@" ;;
  kill) shift && kill_server "$@" ;;
  stop) shift && stop "$@" ;;
  *) die "usage: $0 fetch | start <dir> <port> | start-replica <dir> <port> <primary-port> | promote <dir> | kill <dir> | stop <dir>" ;;
esac
