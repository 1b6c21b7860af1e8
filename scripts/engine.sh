#!/usr/bin/env bash
# Builds (once per version) or finds the Pulumi CLI used by the e2e tests and the README's main job.
# Prints the PATH entries to put first (the engine bin dir). PULUMI_HARBOR_ENGINE_NO_BUILD=1: never build, exit 3 if absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="v$(sed -n 's/.*github.com\/pulumi\/pulumi\/pkg\/v3 v\([0-9.]*\).*/\1/p' "$root/engine/go.mod")"
cache="${PULUMI_HARBOR_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-harbor-endpoints/engine}/$version"
bin="$cache/bin"

# A machine that already has a suitable pulumi (>= the pinned minor) uses it instead of building.
if [ -z "${PULUMI_HARBOR_FORCE_BUILD:-}" ] && command -v pulumi >/dev/null 2>&1 && [ "$(command -v pulumi)" != "$bin/pulumi" ]; then
  have="$(pulumi version 2>/dev/null || true)"
  if printf '%s\n%s\n' "$version" "$have" | sort -V -C 2>/dev/null; then
    dir="$(dirname "$(command -v pulumi)")"
    if command -v pulumi-language-nodejs >/dev/null 2>&1 || [ -x "$dir/pulumi-language-nodejs" ]; then
      echo "$dir"
    else
      echo "$dir:$root/scripts/language-host/bin"
    fi
    exit 0
  fi
fi

if [ ! -x "$bin/pulumi" ]; then
  # Test harnesses ask without building (a cold build takes 10-20 minutes); exit 3 means "not built yet".
  if [ -n "${PULUMI_HARBOR_ENGINE_NO_BUILD:-}" ]; then
    echo "the Pulumi CLI $version is not built yet: run scripts/engine.sh" >&2
    exit 3
  fi
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
# The Go module proxy refuses the Go Node.js language host, so the Node one in scripts/language-host stands in,
# together with a dynamic-provider host that also resolves @pulumi/pulumi from this checkout. They sit next to
# `pulumi` (where the CLI looks for bundled plugins, so it prints no "from $PATH" warning). Links are refreshed on
# every run so they point at the checkout that last asked; a real (non-link) host is never replaced.
for plugin in pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
  if [ ! -e "$bin/$plugin" ] || [ -L "$bin/$plugin" ]; then
    ln -sfn "$root/scripts/language-host/bin/$plugin" "$bin/$plugin"
  fi
done
echo "$bin"
