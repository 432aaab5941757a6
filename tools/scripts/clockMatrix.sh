#!/usr/bin/env bash
# Runs test files under several machine clocks and time zones, so a test whose outcome depends on
# the hour, the date or the zone it runs in fails here instead of on some CI machine at 00:50.
#
#   tools/scripts/clockMatrix.sh [--only NAME[,NAME…]] [test/FILE.test.ts …]   (default: test/*.test.ts)
#
# Settings (NAME  machine clock  TZ):
#   sms-quiet    2026-12-08 00:50 UTC   UTC                  inside the shipped SMS quiet hours
#   daytime      2026-12-08 12:00 UTC   UTC                  outside them
#   dst-london   2027-03-28 00:50 UTC   Europe/London        clocks go forward at 01:00 UTC
#   year-end     2026-12-31 23:50 UTC   UTC                  a day, month and year end mid-run
#   auckland     the real clock         Pacific/Auckland     UTC+13, the day ahead of UTC
#   los-angeles  the real clock         America/Los_Angeles  UTC−8, the day behind
#
# The clock is moved with libfaketime (Debian: apt-get install faketime), as an offset from the real
# clock (FAKETIME=±Ns) so that every process the tests start shares one fake clock, ticking at real
# speed. What sees it: Node (the tests, the worker processes they start) and the JVM (Temporal's
# time-skipping test server, so the workflows' clock in the time-skipping tests too). What does not:
# Go programs (the Temporal CLI dev server, FerretDB) read the clock through the vDSO, not libc, and
# keep the real time; the dev-server tests therefore run their workflows on the real clock while the
# test and the worker read the fake one, which is why they must not depend on the hour either.
# The plain libfaketime (not faketime's default libfaketimeMT) with FAKETIME_FORCE_MONOTONIC_FIX=0
# and the monotonic clock left alone: with the defaults the JVM takes ~50 s to start, longer than
# the SDK waits for the test server.
#
# Each setting's output goes to $CLOCK_MATRIX_LOGS (default: a temp dir); the summary says which
# passed. Exit status 1 if any failed. One setting runs the files once; expect the time of `npm test`
# per setting. On a loaded machine the JVM may miss the SDK's 5 s start-up deadline (the harness
# retries it); a class-data-sharing archive speeds it up, e.g.
# JAVA_TOOL_OPTIONS=-XX:SharedArchiveFile=/tmp/tts.jsa (made once with -XX:ArchiveClassesAtExit).
set -uo pipefail
cd "$(dirname "$0")/../.."

LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
ONLY=""
if [[ "${1:-}" == "--only" ]]; then
  ONLY=",$2,"
  shift 2
fi
FILES=("$@")
[[ ${#FILES[@]} -gt 0 ]] || FILES=(test/*.test.ts)
LOGS=${CLOCK_MATRIX_LOGS:-$(mktemp -d -t clock-matrix-XXXXXX)}
mkdir -p "$LOGS"

SETTINGS=(
  "sms-quiet|2026-12-08 00:50:00|UTC"
  "daytime|2026-12-08 12:00:00|UTC"
  "dst-london|2027-03-28 00:50:00|Europe/London"
  "year-end|2026-12-31 23:50:00|UTC"
  "auckland||Pacific/Auckland"
  "los-angeles||America/Los_Angeles"
)

failed=0
for setting in "${SETTINGS[@]}"; do
  IFS='|' read -r name at zone <<<"$setting"
  [[ -z "$ONLY" || "$ONLY" == *",$name,"* ]] || continue
  log="$LOGS/$name.log"
  env=(TZ="$zone")
  if [[ -n "$at" ]]; then
    if [[ ! -r "$LIB" ]]; then
      echo "clockMatrix: $name needs libfaketime at $LIB (apt-get install faketime, or set FAKETIME_LIB)" >&2
      exit 2
    fi
    offset=$(($(date -u -d "$at" +%s) - $(date -u +%s)))
    env+=(LD_PRELOAD="$LIB" FAKETIME="$( ((offset >= 0)) && echo +)${offset}"
      FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0)
  fi
  started=$(date +%s)
  env "${env[@]}" node --import tsx --test --test-concurrency=1 "${FILES[@]}" >"$log" 2>&1
  status=$?
  took=$(($(date +%s) - started))
  summary=$(grep -E '^(ℹ|#) (pass|fail|cancelled) ' "$log" | sed -E 's/^(ℹ|#) //' | tr '\n' ' ')
  if [[ $status -eq 0 ]]; then
    echo "clockMatrix: $name (${at:-real clock} ${zone}): passed in ${took}s: ${summary}"
  else
    failed=1
    echo "clockMatrix: $name (${at:-real clock} ${zone}): FAILED in ${took}s: ${summary}(log: $log)"
    grep -E '^\s*(✖|not ok)' "$log" | head -20
  fi
done
exit $failed
