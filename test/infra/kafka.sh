#!/usr/bin/env bash
# Apache Kafka 3.9.1 (Scala 2.13) for the integration tests, without Docker: the broker's jars
# from Maven Central, one KRaft node (broker and controller in one process) on loopback.
#
#   test/infra/kafka.sh fetch               # jars into the cache (idempotent)
#   test/infra/kafka.sh start <dir> <port>  # broker on 127.0.0.1:<port>, controller on <port+1>;
#                                           # data, logs and pidfile in <dir>; an existing <dir>
#                                           # is restarted as it is (not reformatted)
#   test/infra/kafka.sh stop <dir>          # SIGTERM, wait, then SIGKILL; ok if not running
#
# KAFKA_HEAP (default -Xms128m -Xmx512m) and KAFKA_START_TIMEOUT (seconds, default 90) tune it.
set -euo pipefail

KAFKA_VERSION=3.9.1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
root="$(cd "$here/../.." && pwd)"
cache_root="${LEDGER_CACHE_DIR:-$HOME/.cache/appraisal-ledger}"
libs="$cache_root/kafka-$KAFKA_VERSION/libs"

log() { echo "kafka.sh: $*" >&2; }
die() { log "$*"; exit 1; }

fetch() {
  if [ -f "$libs/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || die "mvn (Maven) is needed to fetch the Kafka jars"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $libs"
  rm -rf "$libs.tmp"
  mkdir -p "$libs.tmp"
  # stdout goes to stderr: this command prints nothing but progress.
  mvn -q -B -Dstyle.color=never -f "$here/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs.tmp" >&2
  [ -f "$libs.tmp/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  touch "$libs.tmp/.complete"
  rm -rf "$libs"
  mv "$libs.tmp" "$libs"
}

running_pid() { # prints the pid if <dir>'s broker is alive
  local pidfile="$1/kafka.pid"
  [ -f "$pidfile" ] || return 1
  local pid
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

write_config() { # <dir> <port>
  local dir="$1" port="$2"
  local controller=$((port + 1))
  cat >"$dir/server.properties" <<EOF
# Written by test/infra/kafka.sh: one KRaft node, loopback only, sized for a test machine.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
log.retention.hours=24
EOF
  cat >"$dir/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${kafka.logs.dir}/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=1
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
EOF
}

java_opts() { # <dir>
  # shellcheck disable=SC2086
  echo ${KAFKA_HEAP:--Xms128m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$1/log4j.properties" "-Dkafka.logs.dir=$1"
}

start() { # <dir> <port>
  local dir port
  [ $# -eq 2 ] || die "usage: kafka.sh start <dir> <port>"
  mkdir -p "$1"
  dir="$(cd "$1" && pwd)"
  port="$2"
  [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
  if pid="$(running_pid "$dir")"; then die "a broker is already running from $dir (pid $pid)"; fi
  local p
  for p in "$port" $((port + 1)); do
    if (: </dev/tcp/127.0.0.1/"$p") 2>/dev/null; then die "127.0.0.1:$p is already in use (another broker?)"; fi
  done
  fetch
  command -v java >/dev/null || die "java (17+) is needed to run the broker"
  write_config "$dir" "$port"
  # shellcheck disable=SC2207
  local opts=($(java_opts "$dir"))
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    # A base64url id may begin with '-', which kafka-storage's argument parser reads as an option
    # ("--cluster-id: expected one argument"): one start in 64 failed so. Passed as --cluster-id=<id> below.
    cluster_id="$(node -e "process.stdout.write(require('node:crypto').randomBytes(16).toString('base64url'))")"
    log "formatting $dir/data (cluster $cluster_id)"
    java "${opts[@]}" -cp "$libs/*" kafka.tools.StorageTool format --cluster-id="$cluster_id" \
      -c "$dir/server.properties" >"$dir/format.out" 2>&1 || { cat "$dir/format.out" >&2; die "format failed"; }
  fi
  log "starting broker on 127.0.0.1:$port (controller $((port + 1))), dir $dir"
  # setsid: the broker outlives this script and whatever process group started it.
  setsid java "${opts[@]}" -cp "$libs/*" kafka.Kafka "$dir/server.properties" \
    >>"$dir/kafka.out" 2>&1 </dev/null &
  echo $! >"$dir/kafka.pid"
  local pid=$!
  # Ready = this broker (its cluster id) answers a metadata request.
  local cluster_id
  cluster_id="$(sed -n 's/^cluster.id=//p' "$dir/data/meta.properties")"
  if ! NODE_PATH="$root/node_modules" node "$here/kafka/ready.js" "127.0.0.1:$port" \
    "${KAFKA_START_TIMEOUT:-90}" "$pid" "$cluster_id"; then
    log "broker did not become ready; last lines of $dir/server.log and kafka.out:"
    tail -n 40 "$dir/server.log" >&2 2>/dev/null || true
    tail -n 20 "$dir/kafka.out" >&2 2>/dev/null || true
    stop "$dir"
    exit 1
  fi
  log "ready on 127.0.0.1:$port (pid $pid)"
}

stop() { # <dir>
  [ $# -eq 1 ] || die "usage: kafka.sh stop <dir>"
  local dir="$1" pid
  if ! pid="$(running_pid "$dir")"; then
    rm -f "$dir/kafka.pid"
    return 0
  fi
  terminate "$pid" 30 kafka.sh # a controlled shutdown can take a while
  rm -f "$dir/kafka.pid"
  log "stopped broker from $dir"
}

case "${1:-}" in
  fetch) fetch ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: kafka.sh fetch | start <dir> <port> | stop <dir>" ;;
esac
