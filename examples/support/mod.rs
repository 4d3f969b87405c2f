//! What every example sets up before its own work.

use std::io::IsTerminal;
use std::process::ExitCode;
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

/// An error a command-line example reports.
pub type Failure = Box<dyn std::error::Error>;

/// The exit code of a run: 0, or 1 with the error on stderr (clap exits 2
/// for a usage error before a run starts).
#[allow(dead_code)] // Not every example ends this way.
pub fn exit(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
