//! Generation benchmark: each stage's median time over several runs, and the
//! peak memory, for the seed, OpenAI, GitHub and (when present) Microsoft
//! Graph and a synthetic spec four times GitHub's size.
//!
//! `cargo bench -p openapi-gen --bench stages` (`BENCH_RUNS=N`, default 5;
//! `BENCH_SPECS=a.yaml,b.json` for other specs). Numbers are printed, never
//! asserted.

#[path = "../../tests/shared/mod.rs"]
mod shared;

use openapi_gen::Config;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn specs() -> Vec<PathBuf> {
    if let Ok(list) = std::env::var("BENCH_SPECS") {
        return list.split(',').map(PathBuf::from).collect();
    }
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/nebius-complete-upload.openapi.yaml");
    let real = ["corpus/openai.yaml", "corpus/github.json", "bench/microsoft-graph.json"];
    std::iter::once(seed)
        .chain(real.iter().filter_map(|rel| shared::or_skip(rel, "benchmarking a real spec")))
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter on the file name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    for spec in specs() {
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let mut per_stage: Vec<(&'static str, Vec<Duration>)> = Vec::new();
        let mut totals = Vec::new();
        let mut lines = 0;
        for _ in 0..runs {
            let started = std::time::Instant::now();
            let g = match Config::new().spec(&spec).generate() {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("{name}: {e}");
                    break;
                }
            };
            totals.push(started.elapsed());
            lines = g.code.lines().count();
            for (stage, took) in &g.timings.stages {
                match per_stage.iter_mut().find(|(s, _)| s == stage) {
                    Some((_, v)) => v.push(*took),
                    None => per_stage.push((stage, vec![*took])),
                }
            }
        }
        if totals.is_empty() {
            continue;
        }
        println!("{name}: median of {runs} runs, {lines} lines of Rust");
        for (stage, times) in per_stage {
            println!("  {stage:<20} {:>9.1} ms", median(times).as_secs_f64() * 1e3);
        }
        println!("  {:<20} {:>9.1} ms", "total", median(totals).as_secs_f64() * 1e3);
        if let Some(peak) = openapi_gen::peak_memory_bytes() {
            println!("  {:<20} {:>9.1} MiB (process so far)", "peak memory", peak as f64 / (1 << 20) as f64);
        }
    }
}
