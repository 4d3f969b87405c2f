#!/usr/bin/env bash
# Uploads and downloads of a large file, through the crate's own examples
# (upload_file, download_file) and through curl, against a local server that
# discards what it gets and sends canned bytes (client-tests' transfer_server).
# For each: wall time, CPU (user + sys) and peak RSS of the client process,
# alternating the two clients, medians of RUNS runs.
#
#     scripts/bench-transfer.sh [SIZE_BYTES] [RUNS]     # default 2 GiB, 3 runs
#
# Needs curl and /usr/bin/time; writes SIZE bytes twice under a temporary folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-$((2 << 30))}
runs=${2:-3}
port=${PORT:-8787}
cd "$root"
cargo build -q --release --example upload_file --example download_file
cargo build -q --release -p client-tests --example transfer_server
bin="$root/target/release/examples"
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/transfer_server" "$port" "$size" 2>/dev/null &
server=$!
# Until it answers.
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
head -c "$size" /dev/zero | tr '\0' 'x' > "$work/big.jsonl"
export NEBIUS_API_KEY=bench NEBIUS_BASE_URL="http://127.0.0.1:$port"
api="$NEBIUS_BASE_URL/v1"

# One measured run: "wall cpu rss_kb" on stdout.
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A wall cpu rss
for ((i = 0; i < runs; i++)); do
  for who in crate curl; do
    for what in upload download; do
      rm -f "$work/out"
      case "$who/$what" in
        crate/upload) m=$(measure "$bin/upload_file" "$work/big.jsonl" --purpose batch) ;;
        curl/upload) m=$(measure curl -sS -f -H "Authorization: Bearer bench" -F purpose=batch \
          -F "file=@$work/big.jsonl;type=application/jsonl" "$api/files") ;;
        crate/download) m=$(measure "$bin/download_file" file-bench -o "$work/out") ;;
        curl/download) m=$(measure curl -sS -f -H "Authorization: Bearer bench" -o "$work/out" \
          "$api/files/file-bench/content") ;;
      esac
      read -r w c r <<<"$m"
      wall[$who/$what]+="$w "; cpu[$who/$what]+="$c "; rss[$who/$what]+="$r "
    done
  done
done

printf "%s bytes, %s runs each, alternating; medians\n\n" "$size" "$runs"
printf "| transfer | client | wall s | MiB/s | CPU s (user+sys) | peak RSS MiB |\n|---|---|---|---|---|---|\n"
for what in upload download; do
  for who in crate curl; do
    w=$(tr ' ' '\n' <<<"${wall[$who/$what]}" | sed '/^$/d' | median)
    c=$(tr ' ' '\n' <<<"${cpu[$who/$what]}" | sed '/^$/d' | median)
    r=$(tr ' ' '\n' <<<"${rss[$who/$what]}" | sed '/^$/d' | median)
    awk -v what="$what" -v who="$who" -v w="$w" -v c="$c" -v r="$r" -v s="$size" \
      'BEGIN { printf "| %s | %s | %.2f | %.0f | %.2f | %.1f |\n", what, who, w, s / 1048576 / w, c, r / 1024 }'
  done
done
