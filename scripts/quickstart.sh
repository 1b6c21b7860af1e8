#!/usr/bin/env bash
# The README's main job: runs the quickstart (root Pulumi.yaml -> examples/quickstart) end to end against a Harbor
# simulator it starts itself: preview, up, the endpoints' outputs (secrets masked), destroy.
# Installs what it needs on the way: Node 24, `npm ci`, the TypeScript build and the Pulumi CLI (cached after the first run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Node.js 24"
PATH="$("$root/scripts/node24.sh"):$PATH"
export PATH
node --version

if [ ! -d node_modules/@pulumi/pulumi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

step "build (tsc)"
# tsc emits even when it reports type errors, so a broken build would leave a stale or half-new dist behind: stop here.
if ! npx tsc -p tsconfig.json; then
  echo "the TypeScript build failed (errors above); not running the quickstart on a stale dist" >&2
  exit 1
fi
test -f dist/examples/quickstart/index.js || { echo "dist/examples/quickstart/index.js missing after the build" >&2; exit 1; }

step "Pulumi CLI (built from Go modules on the first run, 10-20 minutes; cached afterwards)"
PATH="$("$root/scripts/engine.sh"):$PATH"
export PATH
pulumi version

# An isolated, throw-away Pulumi setup: nothing is written to ~/.pulumi and no login is needed.
work="$(mktemp -d "${TMPDIR:-/tmp}/harbor-quickstart.XXXXXX")"
export PULUMI_HOME="$work/pulumi-home"
export PULUMI_BACKEND_URL="file://$work/state"
export PULUMI_CONFIG_PASSPHRASE="quickstart"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$work/state"
stack=quickstart
sim_pid=""
# A fresh random admin password for the simulator; it only ever travels through env and secret config.
QS_PASSWORD="qs-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
export QS_PASSWORD

cleanup() {
  set +e
  if [ -n "${stack_created:-}" ]; then
    pulumi destroy --yes --non-interactive --stack "$stack" >/dev/null 2>&1
    pulumi stack rm --yes --force --non-interactive --stack "$stack" >/dev/null 2>&1  # also removes Pulumi.quickstart.yaml
  fi
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step "Harbor simulator"
# Every quickstart endpoint is reachable offline: "harbor" and "docker-registry" point at the simulator itself (it
# serves /api/version and /v2/) and Harbor's huawei adapter makes no request, so no remoteOverrides are needed.
node -e '
  const { startHarborSimulator } = require("./dist/simulator");
  (async () => {
    const sim = await startHarborSimulator({ adminPassword: process.env.QS_PASSWORD });
    console.log(sim.url);
    process.on("SIGTERM", () => sim.close().then(() => process.exit(0)));
  })().catch((e) => { console.error(e.message); process.exit(1); });
' >"$work/sim.url" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 100); do [ -s "$work/sim.url" ] && break; sleep 0.1; done
sim_url="$(head -n1 "$work/sim.url")"
[ -n "$sim_url" ] || { cat "$work/sim.err" >&2; exit 1; }
echo "Harbor simulator at $sim_url (admin)"

step "stack $stack"
pulumi stack init "$stack" --non-interactive >/dev/null
stack_created=1
pulumi config set harbor:url "$sim_url" --stack "$stack"
pulumi config set harbor:username admin --stack "$stack"
# The Harbor password is a Pulumi secret: encrypted in the stack config and in state.
printf '%s' "$QS_PASSWORD" | pulumi config set --secret harbor:password --stack "$stack"

step "pulumi preview"
pulumi preview --non-interactive --stack "$stack"

# Everything the engine prints below is also kept in $work/shown.log, to prove no secret is shown in clear text.
step "pulumi up (--diff: every endpoint's inputs, secrets masked)"
pulumi up --yes --non-interactive --skip-preview --diff --stack "$stack" | tee "$work/shown.log"

step "outputs (secrets masked)"
pulumi stack output --stack "$stack" | tee -a "$work/shown.log"
pulumi stack output --json --stack "$stack" | tee -a "$work/shown.log"

# The Harbor password is the upstream endpoint's accessSecret: it must show as [secret], never in clear text.
if grep -qF -- "$QS_PASSWORD" "$work/shown.log"; then
  echo "a secret was printed in clear text" >&2
  exit 1
fi
grep -Eq 'accessSecret *: *(\[secret\]|"\[secret\]")' "$work/shown.log" \
  || { echo "expected accessSecret to be shown masked as [secret]" >&2; exit 1; }

step "pulumi destroy"
pulumi destroy --yes --non-interactive --skip-preview --stack "$stack"
pulumi stack rm --yes --non-interactive --stack "$stack" >/dev/null
stack_created=""
step "done: the quickstart ran preview, up and destroy against the simulator"
