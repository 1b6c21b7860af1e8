#!/usr/bin/env bash
# Builds (once per version) or finds the Pulumi CLI used by the e2e tests and the README's main job.
# Prints the PATH entries to put first (this checkout's engine bin dir). PULUMI_HARBOR_ENGINE_NO_BUILD=1: never build, exit 3 if absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="v$(sed -n 's/.*github.com\/pulumi\/pulumi\/pkg\/v3 v\([0-9.]*\).*/\1/p' "$root/engine/go.mod")"
cache="${PULUMI_HARBOR_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-harbor-endpoints/engine}/$version"
bin="$cache/bin"

# A machine that already has a suitable pulumi (>= the pinned minor) uses it instead of building.
# Our own cached CLI (shared or per-checkout bin dir, e.g. already on PATH from an earlier call) does not count.
ambient="$(command -v pulumi 2>/dev/null || true)"
case "$ambient" in "$cache"/*) ambient="" ;; esac
if [ -z "${PULUMI_HARBOR_FORCE_BUILD:-}" ] && [ -n "$ambient" ]; then
  have="$("$ambient" version 2>/dev/null || true)"
  if printf '%s\n%s\n' "$version" "$have" | sort -V -C 2>/dev/null; then
    dir="$(dirname "$ambient")"
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
  # One build at a time per cache: concurrent callers (parallel test tiers, several checkouts) wait on the lock and
  # then find the binary built; without it several `go build`s wrote the same pulumi.tmp.
  exec 9>"$cache/.build.lock"
  flock 9
  if [ ! -x "$bin/pulumi" ]; then
    echo "building the Pulumi CLI $version into $bin (first run only; 10-20 minutes on 2 cores)" >&2
    (
      cd "$root/engine"
      CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
        -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    ) >&2
    mv "$bin/pulumi.tmp" "$bin/pulumi"
  fi
  exec 9>&-
fi
# The Go module proxy refuses the Go Node.js language host, so the Node one in scripts/language-host stands in,
# together with a dynamic-provider host that also resolves @pulumi/pulumi from this checkout. The CLI looks for these
# bundled plugins next to its own binary with symlinks resolved (and warns "using ... from $PATH" otherwise), so every
# checkout gets its own bin dir in the cache, keyed by a hash of the checkout path: a hard link to the cached `pulumi`
# (same file system, no copy) next to links to this checkout's hosts. Two checkouts never repoint each other's hosts,
# and a deleted clone only leaves its own dir dangling (pruned by the next run of any checkout).
key="$(printf '%s' "$root" | sha256sum | cut -c1-16)"
checkouts="$cache/checkouts"
mine="$checkouts/$key/bin"
mkdir -p "$mine"
printf '%s\n' "$root" >"$checkouts/$key/checkout"
# A copy stands in where hard links fail; it is refreshed only when the cached binary is newer.
if ! [ "$mine/pulumi" -ef "$bin/pulumi" ] && ! [ "$mine/pulumi" -nt "$bin/pulumi" ]; then
  ln -f "$bin/pulumi" "$mine/pulumi.tmp.$$" 2>/dev/null || cp "$bin/pulumi" "$mine/pulumi.tmp.$$"
  mv -f "$mine/pulumi.tmp.$$" "$mine/pulumi"
fi
for plugin in pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
  if [ -e "$bin/$plugin" ] && [ ! -L "$bin/$plugin" ]; then
    target="$bin/$plugin"  # a real host built into the cache serves every checkout
  else
    target="$root/scripts/language-host/bin/$plugin"
  fi
  [ "$(readlink "$mine/$plugin" 2>/dev/null)" = "$target" ] || ln -sfn "$target" "$mine/$plugin"
done
# Prune the dirs of checkouts that no longer exist.
for dir in "$checkouts"/*/; do
  other="$(cat "$dir/checkout" 2>/dev/null || true)"
  if [ -n "$other" ] && [ ! -d "$other/scripts/language-host" ]; then rm -rf "$dir"; fi
done
echo "$mine"
