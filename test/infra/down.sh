#!/usr/bin/env bash
# Stops what test/infra/up.sh started and removes its data (the download cache stays).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${LEDGER_INFRA_DIR:-${TMPDIR:-/tmp}/appraisal-ledger-infra}"
"$here/kafka.sh" stop "$state/kafka" >&2
"$here/ferretdb.sh" stop "$state/ferretdb" >&2
"$here/litewitness.sh" stop "$state/witness" >&2
"$here/postgres.sh" stop "$state/postgres" >&2
rm -rf "$state"
