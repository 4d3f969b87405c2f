#!/usr/bin/env bash
# Generation time and peak memory, end to end (read the spec, write the
# formatted client), median of 3 runs, for specs from 7 KB to 4x GitHub.
# With OPENAPI_GENERATOR set to an openapi-generator command (for example
# the `openapi-generator-cli` of PyPI's package of that name), it runs the
# `rust` target on the same specs beside it.
#
#     scripts/bench-generate.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The real specs come from ../shared, or OPENAPI_GEN_SHARED (as for the tests).
shared="${OPENAPI_GEN_SHARED:-$root/../shared}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p openapi-gen --manifest-path "$root/Cargo.toml"
gen="$root/target/release/openapi-gen"

if [ -d "$shared/corpus" ]; then
  python3 "$root/scripts/scale-spec.py" "$shared/corpus/github.json" 4 "$work/github-4x.json"
  specs=(
    "$shared/seed/"*.yaml
    "$shared/corpus/apis-guru/amazonaws.com/glue.json"
    "$shared/corpus/openai.yaml"
    "$shared/corpus/github.json"
    "$shared/bench/microsoft-graph.json"
    "$work/github-4x.json"
  )
else
  echo "skipped the real specs: $shared/corpus is not there (OPENAPI_GEN_SHARED names another folder)" >&2
  specs=("$root/spec/nebius-complete-upload.openapi.yaml")
fi

median() { sort -n | sed -n 2p; }

run3() { # label command...
  local label=$1; shift
  local times=() mems=()
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || true
    read -r t m < "$work/t"
    times+=("$t"); mems+=("$m")
  done
  local t m
  t=$(printf '%s\n' "${times[@]}" | median)
  m=$(printf '%s\n' "${mems[@]}" | median)
  printf '%-28s %-16s %8.2f s %8.0f MiB\n' "$label" "$(basename "$1")" "$t" "$((m / 1024))"
}

printf '%-28s %-16s %10s %12s\n' spec tool time "peak memory"
for spec in "${specs[@]}"; do
  [ -f "$spec" ] || continue
  name=$(basename "$spec")
  size=$(du -k "$spec" | cut -f1)
  run3 "$name (${size} KB)" "$gen" generate "$spec" -o "$work/out.rs"
  if [ -n "${OPENAPI_GENERATOR:-}" ]; then
    run3 "$name (${size} KB)" $OPENAPI_GENERATOR generate -i "$spec" -g rust -o "$work/og" --skip-validate-spec
  fi
  rm -rf "$work/og"
  [ -f "$work/out.rs" ] && printf '%-28s %s lines of Rust\n' "" "$(wc -l < "$work/out.rs")"
done
