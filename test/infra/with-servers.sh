#!/usr/bin/env bash
# Runs a command with the test servers up, and stops them afterwards whatever the outcome:
#   test/infra/with-servers.sh npm test
# Tests that need a server are then required (a missing one fails the run, not skips).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
trap '"$here/down.sh"' EXIT
exports="$("$here/up.sh")"
eval "$exports"
export LEDGER_REQUIRE_SERVERS="kafka,mongodb,witness,postgres"
echo "servers: MONGODB_URI=$MONGODB_URI KAFKA_BROKERS=$KAFKA_BROKERS LEDGER_WITNESS_URL=$LEDGER_WITNESS_URL POSTGRES_URL=$POSTGRES_URL" >&2
"$@"
