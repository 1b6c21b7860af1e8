#!/usr/bin/env bash
# Builds (once per version) or finds the Pulumi CLI used by the e2e tests and the README's main job.
# Prints the directory to put first on PATH. Usage: scripts/engine.sh [--print-dir]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="v$(sed -n 's/.*github.com\/pulumi\/pulumi\/pkg\/v3 v\([0-9.]*\).*/\1/p' "$root/engine/go.mod")"
cache="${PULUMI_HARBOR_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-harbor-endpoints/engine}/$version"
bin="$cache/bin"

# A machine that already has a suitable pulumi (>= the pinned minor) uses it instead of building.
if [ -z "${PULUMI_HARBOR_FORCE_BUILD:-}" ] && command -v pulumi >/dev/null 2>&1 && [ "$(command -v pulumi)" != "$bin/pulumi" ]; then
  have="$(pulumi version 2>/dev/null || true)"
  if printf '%s\n%s\n' "$version" "$have" | sort -V -C 2>/dev/null; then
    echo "$(dirname "$(command -v pulumi)")"
    exit 0
  fi
fi

if [ ! -x "$bin/pulumi" ]; then
  mkdir -p "$bin"
  echo "building the Pulumi CLI $version into $bin (first run only; 10-20 minutes on 2 cores)" >&2
  (
    cd "$root/engine"
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
      -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  ) >&2
  mv "$bin/pulumi.tmp" "$bin/pulumi"
fi
echo "$bin"
