#!/usr/bin/env bash
# Cold builds of the same chat program against this crate and against
# async-openai 0.43: a fresh target folder each time, dependencies already
# downloaded (`cargo fetch` first, not timed), the two alternating.
# For each: wall time, CPU (user + sys of cargo and everything it ran), the
# largest process's peak RSS (GNU time's %M: the biggest rustc or build
# script), and how many crates were compiled.
#
#     scripts/bench-build.sh [RUNS] [PROFILE]    # default 2 runs, dev (a `cargo build`)
#
# FEATURES picks this crate's features (default `chat`; the program needs
# chat) and THEIR_FEATURES async-openai's (default `chat-completion`), so
# `FEATURES=full THEIR_FEATURES=full` compares every API group on both sides.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-2}
profile=${2:-dev}
features=${FEATURES:-chat}
their_features=${THEIR_FEATURES:-chat-completion}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/ours/src" "$work/theirs/src"
quoted() { echo "$1" | tr ',' '\n' | sed 's/.*/"&"/' | paste -sd, -; }
cat > "$work/ours/Cargo.toml" <<EOF
[package]
name = "chat-ours"
version = "0.0.0"
edition = "2021"
[dependencies]
nebius-token-factory = { path = "$root", default-features = false, features = [$(quoted "$features")] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
[workspace]
EOF
cat > "$work/ours/src/main.rs" <<'EOF'
use nebius_token_factory::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = nebius_token_factory::Client::from_env()?;
    let message = ChatCompletionRequestUserMessage::new("Hello!");
    let request = CreateChatCompletionRequest::new("meta-llama/Llama-3.3-70B-Instruct", vec![message.into()]);
    let reply = client.create_chat_completion(&request).await?;
    println!("{:?}", reply.choices.first().and_then(|c| c.message.content.as_ref()));
    Ok(())
}
EOF
cat > "$work/theirs/Cargo.toml" <<EOF
[package]
name = "chat-theirs"
version = "0.0.0"
edition = "2021"
[dependencies]
async-openai = { version = "0.43", default-features = false, features = ["rustls", $(quoted "$their_features")] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
[workspace]
EOF
cat > "$work/theirs/src/main.rs" <<'EOF'
use async_openai::types::chat::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs};
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = async_openai::Client::new();
    let message = ChatCompletionRequestUserMessageArgs::default().content("Hello!").build()?;
    let request = CreateChatCompletionRequestArgs::default()
        .model("meta-llama/Llama-3.3-70B-Instruct")
        .messages([message.into()])
        .build()?;
    let reply = client.chat().create(request).await?;
    println!("{:?}", reply.choices.first().and_then(|c| c.message.content.as_ref()));
    Ok(())
}
EOF
for side in ours theirs; do (cd "$work/$side" && cargo fetch -q); done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A wall cpu rss crates
for ((i = 0; i < runs; i++)); do
  order="ours theirs"
  ((i % 2)) && order="theirs ours"
  for side in $order; do
    rm -rf "$work/target"
    (cd "$work/$side" && CARGO_TARGET_DIR="$work/target" /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
      cargo build --offline --profile "$profile" 2>"$work/log") || { cat "$work/log" >&2; exit 1; }
    read -r w u s m < "$work/time"
    wall[$side]+="$w "
    cpu[$side]+="$(echo "$u $s" | awk '{ print $1 + $2 }') "
    rss[$side]+="$((m / 1024)) "
    crates[$side]=$(grep -c '^ *Compiling ' "$work/log")
    echo "run $((i + 1)) $side: ${w}s wall, ${u}s user, ${s}s sys, $((m / 1024)) MiB, ${crates[$side]} crates" >&2
  done
done
echo "| cold \`cargo build\` ($profile), chat program | wall | CPU | peak RSS (largest process) | crates compiled |"
echo "|---|---|---|---|---|"
for side in ours theirs; do
  name=$([ "$side" = ours ] && echo "nebius-token-factory ($features)" || echo "async-openai 0.43 ($their_features)")
  printf '| %s | %s s | %s s | %s MiB | %s |\n' "$name" \
    "$(echo "${wall[$side]}" | tr ' ' '\n' | grep . | median)" \
    "$(echo "${cpu[$side]}" | tr ' ' '\n' | grep . | median)" \
    "$(echo "${rss[$side]}" | tr ' ' '\n' | grep . | median)" \
    "${crates[$side]}"
done
