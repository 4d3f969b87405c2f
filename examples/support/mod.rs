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

/// Shows how far a transfer has gone, on stderr: a progress bar when stderr is
/// a terminal, else a plain line at each tenth (so logs stay readable).
#[allow(dead_code)] // Only the examples that move files use it.
pub fn progress(label: &'static str) -> impl Fn(u64, Option<u64>) + Send + Sync + 'static {
    let terminal = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template(
        "{msg} {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(label);
    let tenth = std::sync::atomic::AtomicU64::new(0);
    move |done, total| {
        if terminal {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
            if total == Some(done) {
                bar.finish();
            }
            return;
        }
        let Some(total) = total.filter(|t| *t > 0) else { return };
        let now = done * 10 / total;
        if now > tenth.swap(now, std::sync::atomic::Ordering::Relaxed) {
            eprintln!("{label}: {}% ({done} of {total} bytes)", now * 10);
        }
    }
}
