//! The Nebius client against async-openai on the same work: a local server
//! answers canned bytes (in its own process, so its CPU is not counted), and
//! each workload runs in a fresh client process, the two clients alternating.
//!
//! ```text
//! cargo run --release -p client-bench                 # every workload, 5 runs each
//! cargo run --release -p client-bench -- --runs 9 chat stream-main
//! cargo run --release -p client-bench -- --reference chat chat-spawned
//! ```
//!
//! `--reference` adds, for the chat workloads, reference clients that show
//! where a call's CPU goes (reqwest alone, hyper pooled by hand, its responses
//! as `reqwest::Response`, raw sockets).
//!
//! CPU is user + system time of the client process over the workload
//! (getrusage), per call or per streamed chunk; memory is the process's peak
//! resident set. Medians over the runs.

mod ours;
mod reference;
mod server;
mod theirs;
mod workload;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;
use workload::{Side, Workload};

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("run") => run_one(&args[1..]),
        _ => compare(&args),
    };
    if let Err(e) = result {
        eprintln!("client-bench: {e}");
        std::process::exit(1);
    }
}

/// `serve`: print the port, then answer until killed.
fn serve() -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("{}", listener.local_addr()?.port());
        server::serve(listener).await?;
        Ok(())
    })
}

/// What one run measured.
#[derive(Debug, Clone, Copy)]
struct Measure {
    units: usize,
    cpu_us: f64,
    wall_us: f64,
    rss_kib: f64,
}

/// CPU time of the whole process so far (every thread), and its peak RSS.
fn usage() -> (f64, f64) {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let micros = |t: libc::timeval| t.tv_sec as f64 * 1e6 + t.tv_usec as f64;
    (micros(usage.ru_utime) + micros(usage.ru_stime), usage.ru_maxrss as f64)
}

/// `run <side> <workload> <port>`: one workload in this process; prints
/// `units cpu_us wall_us rss_kib`.
fn run_one(args: &[String]) -> Result<(), Failure> {
    let [side, workload, port] = args else { return Err("usage: run <side> <workload> <port>".into()) };
    let side = Side::parse(side).ok_or("side: ours or async-openai")?;
    let workload = Workload::parse(workload).ok_or("unknown workload")?;
    let base_url = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let (cpu_before, _) = usage();
    let started = Instant::now();
    let units = runtime.block_on(async {
        match side {
            Side::Ours => ours::run(workload, &base_url).await,
            Side::AsyncOpenai => theirs::run(workload, &base_url).await,
            Side::Reference(kind) => reference::run(kind, workload, &base_url).await,
        }
    })?;
    let wall = started.elapsed().as_secs_f64() * 1e6;
    let (cpu_after, rss) = usage();
    println!("{units} {:.0} {wall:.0} {rss:.0}", cpu_after - cpu_before);
    Ok(())
}

fn measure(side: Side, workload: Workload, port: u16) -> Result<Measure, Failure> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args(["run", side.name(), workload.name(), &port.to_string()])
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(format!("{} {} failed", side.name(), workload.name()).into());
    }
    let text = String::from_utf8(out.stdout)?;
    let fields: Vec<f64> = text.split_whitespace().map(str::parse).collect::<Result<_, _>>()?;
    let [units, cpu_us, wall_us, rss_kib] = fields[..] else { return Err(format!("bad output: {text}").into()) };
    Ok(Measure { units: units as usize, cpu_us, wall_us, rss_kib })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Start the server, run every workload on both sides in alternation, print
/// the table.
fn compare(args: &[String]) -> Result<(), Failure> {
    let mut runs = 5;
    let mut reference = false;
    let mut workloads = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().ok_or("--runs N")?.parse()?,
            "--reference" => reference = true,
            name => workloads.push(Workload::parse(name).ok_or_else(|| format!("unknown workload {name}"))?),
        }
    }
    if workloads.is_empty() {
        workloads = Workload::ALL.to_vec();
    }
    let mut server = Command::new(std::env::current_exe()?).arg("serve").stdout(Stdio::piped()).spawn()?;
    let mut line = String::new();
    BufReader::new(server.stdout.take().ok_or("server stdout")?).read_line(&mut line)?;
    let port: u16 = line.trim().parse()?;
    let result = table(&workloads, runs, port).and_then(|()| match reference {
        true => reference_table(&workloads, runs, port),
        false => Ok(()),
    });
    let _ = server.kill();
    let _ = server.wait();
    result
}

/// Medians of each side over `runs` runs of `workload`, the sides' order
/// rotating from run to run: CPU per unit, wall seconds, peak RSS in MiB.
fn sample(sides: &[Side], workload: Workload, runs: usize, port: u16) -> Result<Vec<(f64, f64, f64)>, Failure> {
    // A warm-up run of each side (connection setup, page cache).
    for &side in sides {
        measure(side, workload, port)?;
    }
    let mut samples: Vec<Vec<Measure>> = vec![Vec::new(); sides.len()];
    for run in 0..runs {
        for i in 0..sides.len() {
            let at = (i + run) % sides.len();
            samples[at].push(measure(sides[at], workload, port)?);
        }
    }
    Ok(samples
        .into_iter()
        .map(|s| {
            let units = s.first().map_or(1.0, |m| m.units as f64);
            (
                median(s.iter().map(|m| m.cpu_us / units).collect()),
                median(s.iter().map(|m| m.wall_us / 1e6).collect()),
                median(s.iter().map(|m| m.rss_kib / 1024.0).collect()),
            )
        })
        .collect())
}

fn per(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.2} µs")
    }
}

fn table(workloads: &[Workload], runs: usize, port: u16) -> Result<(), Failure> {
    println!("{runs} alternating runs per side, medians; CPU = user+sys of the client process\n");
    println!("| workload | CPU per unit: this crate | async-openai | ratio | wall: this crate | async-openai | peak RSS: this crate | async-openai |");
    println!("|---|---|---|---|---|---|---|---|");
    for &workload in workloads {
        let [ours, theirs] = sample(&[Side::Ours, Side::AsyncOpenai], workload, runs, port)?[..] else {
            return Err("two sides measured, not two results".into());
        };
        println!(
            "| {} ({}) | {} | {} | {:.2} | {:.2} s | {:.2} s | {:.1} MiB | {:.1} MiB |",
            workload.describe(),
            workload.unit(),
            per(ours.0),
            per(theirs.0),
            ours.0 / theirs.0,
            ours.1,
            theirs.1,
            ours.2,
            theirs.2
        );
    }
    Ok(())
}

/// `--reference`: the chat workloads through this crate and the reference
/// clients (`reference`), CPU per call and its ratio to this crate's.
fn reference_table(workloads: &[Workload], runs: usize, port: u16) -> Result<(), Failure> {
    let sides: Vec<Side> = Side::ALL.into_iter().filter(|s| *s != Side::AsyncOpenai).collect();
    println!("\nWhere a unary call's CPU goes: {runs} rotating runs per side, medians, CPU per call\n");
    println!("| workload | this crate | reqwest alone | hyper, pooled by hand | the same, as `reqwest::Response` | raw sockets |");
    println!("|---|---|---|---|---|---|");
    for &workload in workloads.iter().filter(|w| matches!(w, Workload::Chat | Workload::ChatSpawned)) {
        let medians = sample(&sides, workload, runs, port)?;
        let ours = medians.first().map_or(1.0, |m| m.0);
        let cells: Vec<String> = medians
            .iter()
            .enumerate()
            .map(|(i, m)| if i == 0 { per(m.0) } else { format!("{} ({:.2})", per(m.0), m.0 / ours) })
            .collect();
        println!("| {} | {} |", workload.describe(), cells.join(" | "));
    }
    Ok(())
}
