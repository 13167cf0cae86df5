# Sourced by the server scripts: what they share.

# terminate <pid> <seconds> <name>: SIGTERM, wait up to <seconds> for a controlled shutdown, then SIGKILL.
terminate() {
  local pid="$1" seconds="$2" name="$3" _
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((seconds * 10))); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  printf '%s: pid %s ignored SIGTERM for %s s; SIGKILL\n' "$name" "$pid" "$seconds" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
