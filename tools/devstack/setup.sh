#!/usr/bin/env bash
# Installs everything the demo and the tests need, idempotently:
#   - npm dependencies (only when package-lock.json changed);
#   - the Temporal CLI dev server, built from its Go module;
#   - FerretDB (MongoDB wire protocol over SQLite), built from tools/devstack/ferretdb;
#   - Temporal's Java time-skipping test server, resolved from Maven Central;
#   - Debian's chromium, for the test that drives the Temporal Web UI (when apt-get can install it).
# Binaries live in $JOURNEYS_CACHE_DIR (default ~/.cache/journeys), outside git, keyed by the
# recipe that built them, so a second run does nothing and an edited recipe rebuilds.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${JOURNEYS_CACHE_DIR:-$HOME/.cache/journeys}
bin=$cache/bin
mkdir -p "$bin"

TEMPORAL_CLI_MODULE=github.com/temporalio/cli/cmd/temporal
# v1.5.1 is the newest release whose go.mod has no replace directive: later tags refuse go install.
TEMPORAL_CLI_VERSION=v1.5.1

say() { printf 'setup: %s\n' "$*" >&2; }
need() {
  command -v "$1" >/dev/null 2>&1 || { say "missing '$1': $2"; exit 1; }
}
fingerprint() { cat "$@" | sha256sum | cut -c1-16; }
# Runs a build step, timing it, with its output kept in a log that is shown only on failure.
step() {
  local name=$1; shift
  local log=$cache/$name.log started=$SECONDS
  say "building $name (first run only; log: $log)"
  if ! "$@" >"$log" 2>&1; then
    say "building $name failed:"; tail -n 30 "$log" >&2; exit 1
  fi
  say "built $name in $((SECONDS - started))s"
}

# --- npm dependencies -------------------------------------------------------------------------
lock_hash=$(fingerprint "$root/package-lock.json")
stamp=$root/node_modules/.journeys-lock
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  need npm "install Node.js 20.19 or later"
  # npm install, not npm ci: the registry mirror our machines reach serves only this platform's
  # optional native packages (@swc/core-*, esbuild), so npm ci rejects any lockfile as out of sync.
  # npm install still installs exactly the versions the lockfile pins.
  step npm-install bash -c "cd '$root' && npm install --no-audit --no-fund"
  # npm install may rewrite the lockfile (formatting, resolved fields); stamp what it left.
  fingerprint "$root/package-lock.json" >"$stamp"
fi

# --- Temporal CLI (dev server with Web UI) ----------------------------------------------------
temporal=$bin/temporal-$TEMPORAL_CLI_VERSION
if [ ! -x "$temporal" ]; then
  need go "install Go 1.24 or later"
  tmp=$(mktemp -d)
  step temporal-cli env GOBIN="$tmp" go install "$TEMPORAL_CLI_MODULE@$TEMPORAL_CLI_VERSION"
  mv "$tmp/temporal" "$temporal" && rmdir "$tmp"
fi
ln -sfn "$temporal" "$bin/temporal"

# --- FerretDB ---------------------------------------------------------------------------------
ferret_src=$root/tools/devstack/ferretdb
ferretdb=$bin/ferretdb-$(fingerprint "$ferret_src/go.mod" "$ferret_src/go.sum" "$ferret_src"/*.go)
if [ ! -x "$ferretdb" ]; then
  need go "install Go 1.24 or later"
  step ferretdb bash -c "cd '$ferret_src' && go build -mod=readonly -o '$ferretdb.tmp' . && mv '$ferretdb.tmp' '$ferretdb'"
fi
ln -sfn "$ferretdb" "$bin/ferretdb"

# --- Temporal Java test server (time skipping) ------------------------------------------------
pom=$root/tools/devstack/temporal-test-server/pom.xml
classpath=$cache/temporal-test-server-$(fingerprint "$pom").classpath
if [ ! -s "$classpath" ]; then
  need java "install a JDK 17 or later"
  need mvn "install Apache Maven 3.8 or later"
  step temporal-test-server mvn -B -q -f "$pom" dependency:build-classpath "-Dmdep.outputFile=$classpath.tmp"
  mv "$classpath.tmp" "$classpath"
fi
wrapper=$bin/temporal-test-server
cat >"$wrapper.tmp" <<WRAPPER
#!/bin/sh
exec java -cp "\$(cat '$classpath')" io.temporal.testserver.TestServer "\$@"
WRAPPER
chmod +x "$wrapper.tmp" && mv "$wrapper.tmp" "$wrapper"

# --- Chromium (the browser test drives the Temporal Web UI) -----------------------------------
# Debian's package rather than Playwright's browser download: our machines reach the package mirror.
# CHROMIUM_PATH is CHROMIUM_FILE's old name (a file's path ends in _FILE), still read.
[ -z "${CHROMIUM_PATH:-}" ] || say "warning: CHROMIUM_PATH is deprecated: set CHROMIUM_FILE instead"
chromium=${CHROMIUM_FILE:-${CHROMIUM_PATH:-/usr/bin/chromium}}
if [ ! -x "$chromium" ]; then
  as_root=
  [ "$(id -u)" -eq 0 ] || as_root=$(command -v sudo || true)
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ -z "$as_root" ]; }; then
    say "no chromium at $chromium and no apt-get as root to install it: test/temporalUi.e2e.test.ts" \
      "needs it (install Debian's chromium, or set CHROMIUM_FILE)"
  # In a subshell, as step exits on failure: the other tests run without a browser.
  elif ! (step chromium bash -c "$as_root apt-get update &&
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium"); then
    say "chromium did not install: test/temporalUi.e2e.test.ts needs it"
  fi
fi

say "ready (cache: $cache)"
