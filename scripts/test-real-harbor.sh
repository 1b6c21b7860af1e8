#!/usr/bin/env bash
# Real-Harbor mode of the suite: runs every built test file that uses tests/support/harbor-target (the lifecycle tests
# of tests/sim/lifecycle and the Harbor-backed e2e tests) against the Harbor named by HARBOR_TEST_URL. Without that
# variable it starts a separate `harbor-sim` process and reaches it only through the HARBOR_TEST_* variables, which is
# how CI proves the mode. Ends with one line "N passed, M failed[, K skipped]". Needs a build (npm run build) first.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf '[test-real-harbor] %s\n' "$*" >&2; }
fail() { log "$*"; echo "0 passed, 1 failed"; exit 1; }

nodebin="$(scripts/node24.sh)" || fail "could not install Node 24"
export PATH="$nodebin:$PATH"
[ -f dist/simulator/bin.js ] || fail "dist/ is missing: run npm run build first"

mapfile -t files < <(grep -rl --include='*.test.js' 'support/harbor-target' dist/tests/sim/lifecycle dist/tests/e2e | sort)
[ "${#files[@]}" -gt 0 ] || fail "no test file uses tests/support/harbor-target"

sim_pid=""
sim_dir=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; fi
  [ -n "$sim_dir" ] && rm -rf "$sim_dir"
}
trap cleanup EXIT

if [ -z "${HARBOR_TEST_URL:-}" ]; then
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  sim_dir="$(mktemp -d)"
  # A canary password: the e2e secret scans look for it in state and output.
  password="ExtHarborCanary-$(node -e 'console.log(require("crypto").randomBytes(8).toString("hex"))')"
  # Docker Hub stand-in: Harbor's docker-hub health check pings registry-1.docker.io/v2/ anonymously and accepts a 401;
  # harbor-sim's own /v2/ answers exactly that, so no test needs the internet.
  node dist/simulator/bin.js --port "$port" --admin-password "$password" \
    --remote-override "https://registry-1.docker.io=http://127.0.0.1:$port" >"$sim_dir/out" 2>"$sim_dir/err" &
  sim_pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$sim_dir/out" 2>/dev/null && break
    kill -0 "$sim_pid" 2>/dev/null || fail "harbor-sim exited: $(cat "$sim_dir/err")"
    sleep 0.1
  done
  grep -q "listening on" "$sim_dir/out" || fail "harbor-sim did not start within 10 s"
  export HARBOR_TEST_URL="http://127.0.0.1:$port" HARBOR_TEST_USERNAME=admin HARBOR_TEST_PASSWORD="$password" HARBOR_TEST_REMOTE_HOST=127.0.0.1
  log "harbor-sim (pid $sim_pid) at $HARBOR_TEST_URL, reached only through HARBOR_TEST_* variables"
else
  log "running against $HARBOR_TEST_URL"
fi

log "${#files[@]} test files: ${files[*]}"
npx mocha --no-config --reporter dist/tests/support/totals-reporter.js --timeout 20000 --exit "${files[@]}"
