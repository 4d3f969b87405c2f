#!/usr/bin/env bash
# The Nebius client against async-openai 0.43 on the same work (client-bench):
# chat calls, streamed chats read in `main` and inside a task, embeddings,
# against a local server answering canned bytes from its own process. Each
# workload runs in a fresh process per client, the two alternating; prints
# the table (medians) with the ratios.
#
#     scripts/bench-client.sh [RUNS] [WORKLOAD...]   # default 5 runs, every workload
#
# Workloads: chat, chat-spawned, stream-main, stream-spawned, embeddings, embeddings-float.
# `--reference` after RUNS adds, for the chat workloads, reference clients
# (reqwest alone, hyper pooled by hand, raw sockets): where a call's CPU goes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
cargo build -q --release -p client-bench
exec target/release/client-bench --runs "$runs" "$@"
