#!/usr/bin/env bash
# Runs the benchmark (scripts/measure.ts) in one go: Node 24, the TypeScript build, the Pulumi CLI, then the figures.
# Usage: scripts/measure.sh [--counts 50,200,500] [--latencies 0,20] [--rounds 1] [--install packed|linked]
#                           [--out figures.json] [--markdown report.md] [--update-readme] [--scenario NAME ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
PATH="$("$root/scripts/node24.sh"):$PATH"
export PATH
if [ ! -d node_modules/@pulumi/pulumi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
npx tsc -p tsconfig.json >/dev/null || true  # tsc emits despite type errors elsewhere; a broken benchmark fails below
test -f dist/scripts/measure.js || { echo "dist/scripts/measure.js missing after the build" >&2; exit 1; }
PATH="$("$root/scripts/engine.sh"):$PATH"
export PATH
exec node dist/scripts/measure.js "$@"
