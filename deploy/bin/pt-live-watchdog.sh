#!/bin/bash
# Runs `pt live --shard N` under systemd's watchdog (pt-live@.service, docs/operations.md).
# Node cannot write to NOTIFY_SOCKET, so this script does it with systemd-notify (hence
# NotifyAccess=all): READY=1 at the shard's first heartbeat, then WATCHDOG=1 while the heartbeat is
# fresh. A shard whose loop hangs stops beating, the pings stop, and systemd kills and restarts it.
#
# Usage: pt-live-watchdog.sh SHARD [more pt live flags]
# Environment: PT_BIN (default /opt/pt/node_modules/.bin/pt), PT_OPS_DIR (signals_policy.ops_dir,
# default data/ops), PT_REDIS_PREFIX (signals_policy.redis_key_prefix, default core),
# PT_WATCHDOG_POLL_SECONDS (default 10), REDIS_URL (then the heartbeat is read from Redis too;
# needs redis-cli), PT_NOTIFY (default systemd-notify; tests point it elsewhere).
set -u

shard="${1:?usage: pt-live-watchdog.sh SHARD [pt live flags]}"
shift
case "$shard" in *[!0-9]* | '') echo "pt-live-watchdog: shard must be a number, got '$shard'" >&2; exit 2 ;; esac
pt_bin="${PT_BIN:-/opt/pt/node_modules/.bin/pt}"
ops_dir="${PT_OPS_DIR:-data/ops}"
prefix="${PT_REDIS_PREFIX:-core}"
poll="${PT_WATCHDOG_POLL_SECONDS:-10}"
notify="${PT_NOTIFY:-systemd-notify}"
redis_url="${REDIS_URL:-}"

if [ -n "$redis_url" ] && ! command -v redis-cli >/dev/null 2>&1; then
  # With Redis up the heartbeat goes only to Redis, so without redis-cli every ping would stop.
  echo "pt-live-watchdog: REDIS_URL is set but redis-cli is missing (Debian: apt-get install redis-tools)" >&2
  exit 2
fi

# The heartbeat goes to Redis while Redis answers and to the file during an outage (docs/live.md),
# so either one, written by this child (its pid), counts.
file_beats() {
  local f="$ops_dir/heartbeat_shard_$shard.json" text expires
  text="$(cat "$f" 2>/dev/null)" || return 1
  [[ "$text" =~ \"pid\":[[:space:]]*$1[,}[:space:]] ]] || return 1
  [[ "$text" =~ \"expires_at\":[[:space:]]*\"([^\"]+)\" ]] || return 1
  expires="$(date -d "${BASH_REMATCH[1]}" +%s 2>/dev/null)" || return 1
  [ "$expires" -gt "$(date +%s)" ]
}
# The password goes to redis-cli through REDISCLI_AUTH, not its command line (visible in ps).
cli_url="$redis_url"
cli_auth=""
if [[ "$redis_url" =~ ^(rediss?://)([^:@/]*):([^@/]*)@(.*)$ ]]; then
  cli_auth="${BASH_REMATCH[3]}"
  cli_url="${BASH_REMATCH[1]}${BASH_REMATCH[2]:+${BASH_REMATCH[2]}@}${BASH_REMATCH[4]}"
fi
redis_beats() {
  [ -n "$redis_url" ] || return 1
  local text
  # The key lives 3 heartbeat intervals, so its presence is its freshness.
  text="$(
    [ -z "$cli_auth" ] || export REDISCLI_AUTH="$cli_auth"
    timeout 5 redis-cli -u "$cli_url" --no-auth-warning GET "$prefix:heartbeat:shard:$shard" 2>/dev/null
  )" || return 1
  [[ "$text" =~ \"pid\":[[:space:]]*$1[,}[:space:]] ]]
}

"$pt_bin" live --shard "$shard" "$@" &
child=$!

(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  ready=0
  # Ends with pt live, even when this script was killed without a chance to stop it.
  while kill -0 "$child" 2>/dev/null; do
    if file_beats "$child" || redis_beats "$child"; then
      if [ "$ready" = 0 ]; then
        "$notify" --ready "STATUS=shard $shard beating (pid $child)" && ready=1
      fi
      "$notify" WATCHDOG=1
    fi
    sleep "$poll" &
    sleeper=$!
    wait "$sleeper"
  done
) &
watcher=$!

# systemd (KillMode=mixed) signals only this script: pass each signal on once, so pt live sees a
# single SIGTERM (finish the bar, exit 0) or SIGHUP (reload). The watchdog's SIGABRT means the
# loop hangs: no bar to finish, so SIGKILL (the next start clears the stale shard lock).
interrupted=0
trap 'interrupted=1; kill -TERM "$child" 2>/dev/null' TERM
trap 'interrupted=1; kill -INT "$child" 2>/dev/null' INT
trap 'interrupted=1; kill -HUP "$child" 2>/dev/null' HUP
trap 'interrupted=1; kill -KILL "$child" 2>/dev/null' ABRT

# A trapped signal ends `wait` early while the child may still run: wait again (for a child
# already gone, `wait` returns its saved status at once).
while :; do
  interrupted=0
  wait "$child"
  rc=$?
  [ "$interrupted" = 1 ] || break
done
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
exit "$rc"
