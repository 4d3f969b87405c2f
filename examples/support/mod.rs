//! What every example sets up before its own work.

use std::io::IsTerminal;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

/// Trace calls on stderr as `RUST_LOG` asks (`RUST_LOG=debug` shows each
/// call's span as it closes; never the key).
pub fn trace_to_stderr() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::from_default_env())
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}
