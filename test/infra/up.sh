#!/usr/bin/env bash
# Provisions and starts the real servers the integration tests use, on loopback, and prints
# their addresses as shell exports:
#
#   eval "$(test/infra/up.sh)"     # MONGODB_URI=..., KAFKA_BROKERS=...
#   npm test
#   test/infra/down.sh
#
# or in one go: test/infra/with-servers.sh npm test
#
# Kafka 3.9.1 (KRaft, single node) from the Maven Central jars and FerretDB v1.24.0 (SQLite
# backend) built through the Go module proxy; both cached in ${LEDGER_CACHE_DIR:-~/.cache/appraisal-ledger}.
# A MONGODB_URI already set (a real MongoDB) is used as it is and no FerretDB is started.
# A C2SP witness: litewitness from filippo.io/torchwood v0.6.1 (Go module proxy, same cache), its
# own Ed25519 key in an ssh-agent; LEDGER_WITNESS_* say where it is, its vkey and how to register logs.
# Ports: LEDGER_MONGO_PORT (37017), LEDGER_KAFKA_PORT (39092; its controller takes the next one).
# LEDGER_WITNESS_PORT (37380).
# PostgreSQL 15 from Debian's packages (apt-get installs postgresql-15 when missing), initdb'ed into
# the state dir, run as a non-root user: POSTGRES_URL (the ledger's role), POSTGRES_ADMIN_URL (the
# schema owner). LEDGER_POSTGRES_PORT (35432).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${LEDGER_INFRA_DIR:-${TMPDIR:-/tmp}/appraisal-ledger-infra}"
mongo_port="${LEDGER_MONGO_PORT:-37017}"
kafka_port="${LEDGER_KAFKA_PORT:-39092}"
witness_port="${LEDGER_WITNESS_PORT:-37380}"
postgres_port="${LEDGER_POSTGRES_PORT:-35432}"
mkdir -p "$state"

given_mongo="${MONGODB_URI:-}"

# Fetch both at once: on a fresh machine the FerretDB build and the Maven download overlap.
pids=()
"$here/kafka.sh" fetch >&2 & pids+=($!)
if [[ -z "$given_mongo" ]]; then "$here/ferretdb.sh" fetch >&2 & pids+=($!); fi
"$here/litewitness.sh" fetch >&2 & pids+=($!)
"$here/postgres.sh" fetch >&2 & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done

if [[ -z "$given_mongo" ]]; then
  "$here/ferretdb.sh" start "$state/ferretdb" "$mongo_port" >&2
  echo "export MONGODB_URI=mongodb://127.0.0.1:$mongo_port/"
else
  echo "up: using the given MONGODB_URI" >&2
  echo "export MONGODB_URI='$given_mongo'"
fi
# One more try on a failed start (a port still held by a broker that was just stopped, say).
if ! "$here/kafka.sh" start "$state/kafka" "$kafka_port" >&2; then
  echo "up: kafka did not start; stopping it and trying once more" >&2
  "$here/kafka.sh" stop "$state/kafka" >&2
  rm -rf "$state/kafka"
  sleep 2
  "$here/kafka.sh" start "$state/kafka" "$kafka_port" >&2
fi
echo "export KAFKA_BROKERS=127.0.0.1:$kafka_port"
# start prints the witness's cosigner vkey (c2sp.org/tlog-cosignature), computed from its key.
witness_vkey="$("$here/litewitness.sh" start "$state/witness" "$witness_port")"
echo "export LEDGER_WITNESS_URL=http://127.0.0.1:$witness_port"
echo "export LEDGER_WITNESS_NAME='${witness_vkey%%+*}'"
echo "export LEDGER_WITNESS_VKEY='$witness_vkey'"
echo "export LEDGER_WITNESS_DB='$state/witness/witness.db'"
echo "export LEDGER_WITNESSCTL='$("$here/litewitness.sh" witnessctl-path)'"
"$here/postgres.sh" start "$state/postgres" "$postgres_port" >&2
echo "export POSTGRES_URL=postgres://ledger:ledger@127.0.0.1:$postgres_port/ledger"
echo "export POSTGRES_ADMIN_URL=postgres://ledger_admin:admin@127.0.0.1:$postgres_port/ledger"
# Where the relay tests may start and stop a broker of their own (fault tests).
echo "export LEDGER_INFRA_DIR='$state'"
