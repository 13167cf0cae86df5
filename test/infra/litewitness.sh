#!/usr/bin/env bash
# A real C2SP witness for the integration tests, without Docker: litewitness (c2sp.org/tlog-witness,
# cosignatures per c2sp.org/tlog-cosignature) and its admin tool witnessctl from
# filippo.io/torchwood v0.6.1, built through the Go module proxy and cached outside the repo.
# Loopback only. litewitness signs through an ssh-agent only, so each instance gets its own
# agent holding a fresh Ed25519 key.
#
#   test/infra/litewitness.sh fetch               # build both binaries into the cache if missing
#   test/infra/litewitness.sh start <dir> <port>  # key, agent, sqlite db, logs and pidfiles in <dir>;
#                                                 # returns once the witness serves its own vkey;
#                                                 # prints that vkey (also in <dir>/witness.vkey)
#   test/infra/litewitness.sh stop <dir>          # SIGTERM, wait, then SIGKILL (witness, then agent)
#   test/infra/litewitness.sh witnessctl-path     # where fetch puts witnessctl
#
# An existing <dir> is restarted as it is: same key, same vkey, same logs and tree sizes.
# LITEWITNESS_NAME (default witness.test.local/w1), LITEWITNESS_START_TIMEOUT_S (30).
#
# Logs are registered with witnessctl against the same db while the witness runs:
#   witnessctl add-log -db <dir>/witness.db -origin <origin>
#   witnessctl add-key -db <dir>/witness.db -origin <origin> -key <origin>+<keyid>+<base64(0x01||pub)>
set -euo pipefail

VERSION=v0.6.1
MODULE=filippo.io/torchwood
CACHE="${LEDGER_CACHE_DIR:-$HOME/.cache/appraisal-ledger}/litewitness-$VERSION"
LITEWITNESS="$CACHE/litewitness"
WITNESSCTL="$CACHE/witnessctl"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
NAME="${LITEWITNESS_NAME:-witness.test.local/w1}"
START_TIMEOUT_S="${LITEWITNESS_START_TIMEOUT_S:-30}"

log() { printf 'litewitness: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Both binaries or neither: they are installed into a temporary GOBIN and moved together.
fetch() {
  if [[ -x "$LITEWITNESS" && -x "$WITNESSCTL" ]]; then return 0; fi
  command -v go >/dev/null || die "go is not installed: needed once to build litewitness $VERSION into $CACHE"
  local tmp="$CACHE/bin.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  log "building litewitness and witnessctl $VERSION into $CACHE (about a minute on 2 cores)"
  # GOTOOLCHAIN=local: build with the installed go, never download another toolchain.
  # -buildvcs=false: no VCS stamping (the build runs outside any repository).
  GOBIN="$tmp" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
    go install -trimpath "$MODULE/cmd/litewitness@$VERSION" "$MODULE/cmd/witnessctl@$VERSION" >&2
  # -help exits 0 only from a binary that runs here (flag prints usage and exits 0).
  "$tmp/litewitness" -help >/dev/null 2>&1 || die "the built litewitness does not run"
  [[ -x "$tmp/witnessctl" ]] || die "witnessctl missing after go install"
  mv "$tmp/litewitness" "$LITEWITNESS"
  mv "$tmp/witnessctl" "$WITNESSCTL"
  rm -rf "$tmp"
  log "built $LITEWITNESS and $WITNESSCTL"
}

# ssh-agent, ssh-add and ssh-keygen come from openssh-client, which a fresh Debian CI machine
# may lack (it runs as root, so it can install it).
ensure_ssh_tools() {
  local missing=0 tool
  for tool in ssh-agent ssh-add ssh-keygen; do command -v "$tool" >/dev/null || missing=1; done
  ((missing)) || return 0
  if ((EUID != 0)) || ! command -v apt-get >/dev/null; then
    die "ssh-agent, ssh-add and ssh-keygen are needed (Debian: apt-get install openssh-client)"
  fi
  log "installing openssh-client (for ssh-agent, ssh-add, ssh-keygen)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client; } >&2
  for tool in ssh-agent ssh-add ssh-keygen; do
    command -v "$tool" >/dev/null || die "$tool still missing after installing openssh-client"
  done
}

# The agent's unix socket. sun_path holds about 104 bytes (108 on Linux, 104 on macOS), so a
# deep <dir> gets a short directory under /tmp instead; the choice is recorded in <dir>/agent.sockpath
# so that stop and a restart find the same one.
agent_socket() { # <dir>
  local dir="$1" sock
  if [[ -f "$dir/agent.sockpath" ]]; then
    cat "$dir/agent.sockpath"
    return 0
  fi
  sock="$dir/agent.sock"
  if ((${#sock} > 100)); then sock="$(mktemp -d /tmp/lw.XXXXXX)/agent.sock"; fi
  echo "$sock" >"$dir/agent.sockpath"
  echo "$sock"
}

# pid_of <pidfile> <marker>: the pid in <pidfile> if that process is alive and its command line
# contains <marker> (so a pid reused by an unrelated process after a crash is not taken for ours).
pid_of() {
  local pidfile="$1" marker="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  fi
  echo "$pid"
}
witness_pid() { pid_of "$1/litewitness.pid" "-db $1/witness.db"; }
agent_pid() { pid_of "$1/ssh-agent.pid" "-a $(agent_socket "$1")"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The cosigner verifier key (c2sp.org/signed-note, algorithm 0x04 of c2sp.org/tlog-cosignature):
#   <name>+<hex key id>+<base64(0x04 || 32-byte Ed25519 public key)>
#   key id = first 4 bytes of SHA-256(<name> || "\n" || 0x04 || public key)
# The public key is the last 32 bytes of the ssh wire blob (string "ssh-ed25519", string key).
# Computed by hand here (not read from litewitness's log) so that start can check it against
# what the witness itself serves.
write_vkey() { # <dir>
  local dir="$1" blob="$1/key.blob" keyid
  awk '{print $2}' "$dir/witness_key.pub" | base64 -d >"$blob"
  { printf '\x04'; tail -c 32 "$blob"; } >"$dir/witness.pubkey04"
  keyid="$({ printf '%s\n' "$NAME"; cat "$dir/witness.pubkey04"; } | sha256sum | cut -c1-8)"
  printf '%s+%s+%s\n' "$NAME" "$keyid" "$(base64 -w0 <"$dir/witness.pubkey04")" >"$dir/witness.vkey"
  rm -f "$blob" "$dir/witness.pubkey04"
}

# Ready = an HTTP answer from this port whose index page shows our vkey: the witness is up,
# holds our key through the agent, and the vkey computed above is the one it signs with.
serves_vkey() { # <port> <vkey>
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    grep -qF -- "$2" <&3
  ' _ "$1" "$2" 2>/dev/null
}

start_agent() { # <dir> <sock>
  local dir="$1" sock="$2" pid
  # A socket left by a crashed agent makes the new one's bind fail.
  rm -f "$sock"
  mkdir -p "$(dirname "$sock")"
  # -D: foreground, so the pidfile holds the agent itself; setsid: it outlives this script's
  # process group (a Ctrl-C in the terminal that ran up.sh does not reach it).
  setsid ssh-agent -D -a "$sock" >"$dir/ssh-agent.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/ssh-agent.pid"
  local _
  for _ in $(seq 1 50); do
    [[ -S "$sock" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/ssh-agent.log" >&2; die "ssh-agent exited during start"; }
    sleep 0.1
  done
  [[ -S "$sock" ]] || die "ssh-agent did not create $sock within 5 s"
  SSH_AUTH_SOCK="$sock" ssh-add -q "$dir/witness_key" 2>>"$dir/ssh-agent.log" ||
    { cat "$dir/ssh-agent.log" >&2; die "ssh-add failed"; }
}

start() {
  local dir="${1:?usage: start <dir> <port>}" port="${2:?usage: start <dir> <port>}" pid sock vkey
  [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
  fetch
  ensure_ssh_tools
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [[ ! -f "$dir/witness_key" ]]; then
    rm -f "$dir/witness_key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "$NAME" -f "$dir/witness_key" </dev/null >&2
  fi
  write_vkey "$dir"
  vkey="$(cat "$dir/witness.vkey")"
  local fingerprint
  fingerprint="$(ssh-keygen -l -E sha256 -f "$dir/witness_key.pub" | awk '{print $2}')"

  if pid="$(witness_pid "$dir")" && agent_pid "$dir" >/dev/null && serves_vkey "$port" "$vkey"; then
    log "already running (pid $pid) on 127.0.0.1:$port"
    echo "$vkey"
    return 0
  fi
  # Anything half there (a crash, a stopped agent, a witness on another port): start both afresh.
  stop "$dir"
  port_open "$port" && die "127.0.0.1:$port is already in use by another process"
  sock="$(agent_socket "$dir")" # after stop, which forgets the old one
  start_agent "$dir" "$sock"
  setsid "$LITEWITNESS" \
    -listen "127.0.0.1:$port" \
    -db "$dir/witness.db" \
    -name "$NAME" \
    -key "$fingerprint" \
    -ssh-agent "$sock" \
    >>"$dir/litewitness.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/litewitness.pid"
  # Alive-or-not by the pid alone while starting (until exec the command line is this script's).
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$dir/litewitness.log" >&2 || true
      stop "$dir"
      die "exited during start (log above: $dir/litewitness.log)"
    fi
    if serves_vkey "$port" "$vkey"; then
      log "ready on 127.0.0.1:$port (pid $pid, name $NAME, db $dir/witness.db)"
      echo "$vkey"
      return 0
    fi
    sleep 0.2
  done
  tail -n 30 "$dir/litewitness.log" >&2 || true
  stop "$dir"
  die "127.0.0.1:$port did not serve the vkey $vkey within ${START_TIMEOUT_S}s (log above)"
}

stop() {
  local dir="${1:?usage: stop <dir>}" pid sock
  [[ -d "$dir" ]] || return 0
  dir="$(cd "$dir" && pwd)" # as start recorded it
  # litewitness shuts down gracefully on SIGINT only; SIGTERM ends it at once, which its sqlite
  # db (every update a single committed statement) survives.
  if pid="$(witness_pid "$dir")"; then
    terminate "$pid" 5 litewitness
    log "stopped witness (pid $pid)"
  fi
  rm -f "$dir/litewitness.pid"
  if [[ -f "$dir/agent.sockpath" ]]; then
    sock="$(agent_socket "$dir")"
    if pid="$(agent_pid "$dir")"; then
      terminate "$pid" 5 ssh-agent
      log "stopped ssh-agent (pid $pid)"
    fi
    rm -f "$sock"
    # A short directory made under /tmp for the socket (see agent_socket) goes too.
    if [[ "$sock" != "$dir/agent.sock" ]]; then rmdir "$(dirname "$sock")" 2>/dev/null || true; fi
    rm -f "$dir/agent.sockpath"
  fi
  rm -f "$dir/ssh-agent.pid"
}

case "${1:-}" in
  fetch) fetch ;;
  start) shift && start "$@" ;;
  stop) shift && stop "$@" ;;
  witnessctl-path) echo "$WITNESSCTL" ;;
  *) die "usage: $0 fetch | start <dir> <port> | stop <dir> | witnessctl-path" ;;
esac
