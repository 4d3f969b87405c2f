//! `openapi-gen`: the command line.
//!
//! - `openapi-gen`: regenerate `generated/client.rs` from `spec/` (run from the project root).
//! - `openapi-gen generate <SPEC>... -o <FILE.rs>`: a client module from one or more specs.
//! - `openapi-gen crate <SPEC>... -o <DIR>`: a standalone crate.
//!
//! Exit codes: 0 success (warnings on stderr), 1 the spec cannot be generated,
//! 2 usage errors.

#[cfg(feature = "fast-alloc")]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use openapi_gen::diag::GenError;
use openapi_gen::{write_if_changed, Config, Generated, Overrides, SpecSource};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The project's own client: spec/ to generated/client.rs.
const DEFAULT_OUT: &str = "generated/client.rs";
/// The Rust API of the last generation, to show what a spec bump changes.
const DEFAULT_API: &str = "generated/api.json";

/// OpenAPI 3.0/3.1 to a typed async Rust client.
///
/// With no command: regenerate generated/client.rs from spec/ (a manifest
/// spec/openapi-gen.toml, or the one spec file there).
#[derive(Parser)]
#[command(name = "openapi-gen", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Fail (exit 1) when the spec gives any warning.
    #[arg(long, global = true)]
    deny_warnings: bool,
    /// Print each stage's time and the peak memory on stderr.
    #[arg(long, global = true)]
    timings: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client module (one .rs file; split into features, also a file per group in a folder named after it) from one or more specs.
    Generate {
        #[command(flatten)]
        input: Input,
        /// The file to write.
        #[arg(short, long, value_name = "FILE.rs")]
        out: PathBuf,
        /// Also write a JSON report: operations, skips, fallbacks, warnings, filtered items.
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
        /// Write nothing; exit 1 if the output file is not what would be generated.
        #[arg(long)]
        check: bool,
        /// Leave out the round-trip tests of the spec's examples.
        #[arg(long)]
        no_example_tests: bool,
    },
    /// Generate a standalone crate (Cargo.toml and src/lib.rs) that depends on openapi-gen-runtime.
    Crate {
        #[command(flatten)]
        input: Input,
        /// The crate's directory.
        #[arg(short, long, value_name = "DIR")]
        out: PathBuf,
        /// The package name (default: the directory's name).
        #[arg(long)]
        name: Option<String>,
        /// Depend on a local checkout of openapi-gen-runtime instead of crates.io.
        #[arg(long, value_name = "DIR")]
        runtime_path: Option<PathBuf>,
        /// With --features-by: the features on by default, `full` (every group) or `none`.
        #[arg(long, value_name = "full|none", default_value = "full", value_parser = ["full", "none"])]
        default_features: String,
    },
    /// What changes in the generated Rust API from OLD to NEW: methods, arguments,
    /// setters, types, fields, values, variants and auth, each breaking or not.
    Diff(DiffArgs),
    /// What a diagnostic code means (OAG0200), or every code with its title.
    Explain {
        #[arg(value_name = "CODE")]
        code: Option<openapi_gen::diag::Code>,
        /// Every code explained in full, as Markdown (the docs page).
        #[arg(long, conflicts_with = "code")]
        all: bool,
    },
}

/// One side of a diff.
#[derive(Args)]
struct DiffArgs {
    /// The old API: a spec file, a spec directory (with its openapi-gen.toml,
    /// or one spec), a manifest (.toml), or a snapshot (generated/api.json).
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The new API, in any of the same forms.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// Print the changes as JSON.
    #[arg(long)]
    json: bool,
    /// Exit 1 when a change is breaking.
    #[arg(long)]
    fail_on_breaking: bool,
    /// Keep only matching operations on both sides (as for generate).
    #[arg(long, value_name = "PATTERN")]
    include: Vec<String>,
    /// Leave out matching operations on both sides.
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,
}

/// What to generate from.
#[derive(Args)]
struct Input {
    /// Spec files (YAML or JSON). Several are merged into one client; the first
    /// names the API and its server.
    #[arg(value_name = "SPEC", required_unless_present = "manifest")]
    specs: Vec<PathBuf>,
    /// A manifest (openapi-gen.toml) listing the specs and their filters.
    #[arg(long, value_name = "FILE", conflicts_with = "specs")]
    manifest: Option<PathBuf>,
    /// An overlay (OpenAPI Overlay 1.0/1.1) for the SPEC before it on the command
    /// line (the first spec when none is before it); several apply in order.
    #[arg(long, value_name = "FILE")]
    overlay: Vec<PathBuf>,
    /// The settings (the manifest's keys and `Config`'s methods of the same names).
    #[command(flatten)]
    settings: Overrides,
}

impl Input {
    /// `targets[i]`: the index of the spec overlay `i` follows on the command line.
    fn config(&self, targets: &[usize]) -> Config {
        let mut c = Config::new();
        for (i, spec) in self.specs.iter().enumerate() {
            let overlays = self.overlay.iter().zip(targets).filter(|(_, t)| **t == i).map(|(o, _)| o.clone());
            c.spec_source(overlays.fold(SpecSource::new(spec), SpecSource::overlay));
        }
        if let Some(m) = &self.manifest {
            c.manifest(m);
            for o in &self.overlay {
                c.overlay(o);
            }
        }
        c.overrides(&self.settings);
        c
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let targets = overlay_targets(&matches);
    let started = std::time::Instant::now();
    let (code, timings) = match dispatch(&cli, &targets) {
        Ok(done) => done,
        Err(e) => {
            match &e {
                GenError::Spec(diagnostics) => {
                    show(diagnostics, &mut openapi_gen::source::Sources::for_diagnostics(diagnostics))
                }
                other => eprintln!("{other}"),
            }
            (ExitCode::from(1), None)
        }
    };
    if cli.timings {
        if let Some(t) = timings {
            for (stage, took) in &t.stages {
                eprintln!("{stage:<18} {:>9.1} ms", took.as_secs_f64() * 1e3);
            }
            eprintln!("{:<18} {:>9.1} ms", "generation", t.total().as_secs_f64() * 1e3);
        }
        eprintln!("{:<18} {:>9.1} ms", "end to end", started.elapsed().as_secs_f64() * 1e3);
        if let Some(peak) = openapi_gen::peak_memory_bytes() {
            eprintln!("{:<18} {:>9.1} MiB", "peak memory", peak as f64 / (1 << 20) as f64);
        }
    }
    code
}

/// Generate once, then write what the command asks for; the stage times go back for `--timings`.
/// For each `--overlay`, the index of the spec before it on the command line
/// (0 when none is).
fn overlay_targets(matches: &clap::ArgMatches) -> Vec<usize> {
    let Some((_, sub)) = matches.subcommand() else { return Vec::new() };
    let indices = |id: &str| -> Vec<usize> {
        sub.try_get_raw(id).ok().flatten().and_then(|_| sub.indices_of(id)).map(|i| i.collect()).unwrap_or_default()
    };
    let specs = indices("specs");
    indices("overlay").into_iter().map(|at| specs.iter().filter(|s| **s < at).count().saturating_sub(1)).collect()
}

fn dispatch(cli: &Cli, targets: &[usize]) -> Result<(ExitCode, Option<openapi_gen::Timings>), GenError> {
    let mut config = match &cli.command {
        Some(Command::Diff(args)) => return diff(args).map(|code| (code, None)),
        Some(Command::Explain { code, all }) => {
            explain(*code, *all);
            return Ok((ExitCode::SUCCESS, None));
        }
        None => {
            let (_, spec_dir) = project()?;
            let mut c = Config::new();
            c.spec_dir(spec_dir);
            c
        }
        Some(Command::Generate { input, no_example_tests, out, .. }) => {
            let mut c = input.config(targets);
            // Only when given: `--example-tests=false` alone must stand.
            if *no_example_tests {
                c.example_tests(false);
            }
            // A split client's files go in a folder named after the module's file.
            if let Some(name) = out.file_name() {
                c.out_file_name(name.to_string_lossy());
            }
            c
        }
        Some(Command::Crate { input, .. }) => {
            let mut c = input.config(targets);
            c.out_file_name("lib.rs");
            c
        }
    };
    config.deny_warnings(cli.deny_warnings);
    let mut g = config.generate()?;
    show(&g.diagnostics, &mut g.sources);
    let code = match &cli.command {
        None => write_project(&g)?,
        Some(Command::Generate { out, report, check, .. }) => write_module(&g, out, report.as_deref(), *check)?,
        Some(Command::Crate { out, name, runtime_path, default_features, .. }) => {
            write_crate(&g, out, name.as_deref(), runtime_path.as_deref(), default_features == "full")?
        }
        Some(Command::Diff(_) | Command::Explain { .. }) => ExitCode::SUCCESS,
    };
    let timings = g.timings.clone();
    // The process ends next: its memory goes back to the system at once,
    // without freeing the client's texts and tables one by one.
    std::mem::forget(g);
    Ok((code, Some(timings)))
}

/// `openapi-gen explain [CODE]`.
fn explain(code: Option<openapi_gen::diag::Code>, all: bool) {
    use openapi_gen::diag::Code;
    match code {
        Some(code) => stdout(&format!("{code}: {}\n", code.explanation().trim_end())),
        None if all => stdout(&Code::page()),
        None => stdout(&Code::ALL.iter().map(|c| format!("{c}  {}\n", c.title())).collect::<String>()),
    }
}

/// Write to stdout; a reader that went away (`| head`) is not an error.
fn stdout(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// `openapi-gen diff OLD NEW`.
fn diff(args: &DiffArgs) -> Result<ExitCode, GenError> {
    let old = api_of(&args.old, args)?;
    let new = api_of(&args.new, args)?;
    let diff = openapi_gen::diff::Diff::new(&old, &new);
    if args.json {
        stdout(&format!("{}\n", diff.to_json()));
    } else {
        stdout(&diff.render());
    }
    Ok(if args.fail_on_breaking && diff.breaking > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The Rust API of one side of a diff: read from a snapshot, or generated.
fn api_of(path: &Path, args: &DiffArgs) -> Result<openapi_gen::diff::Surface, GenError> {
    if path.extension().is_some_and(|e| e == "json") && path.is_file() {
        if let Some(s) = std::fs::read_to_string(path).ok().and_then(|t| openapi_gen::diff::read_snapshot(&t)) {
            return Ok(s);
        }
    }
    let mut c = Config::new();
    if path.is_dir() {
        c.spec_dir(path);
    } else if path.extension().is_some_and(|e| e == "toml") {
        c.manifest(path);
    } else {
        c.spec(path);
    }
    for p in &args.include {
        c.include(p);
    }
    for p in &args.exclude {
        c.exclude(p);
    }
    c.api().map_err(|e| e.in_file(&path.display().to_string()))
}

/// Every diagnostic as rustc shows one, then the warnings counted by kind.
fn show(diagnostics: &[openapi_gen::diag::Diagnostic], sources: &mut openapi_gen::source::Sources) {
    for d in diagnostics {
        eprintln!("{}", sources.render(d));
    }
    if let Some(summary) = openapi_gen::source::summary(diagnostics) {
        eprintln!("warning: {summary}");
    }
    if let Some(summary) = openapi_gen::source::error_summary(diagnostics) {
        eprintln!("error: {summary}");
    }
}

/// The project of a run without arguments, found as cargo finds
/// `Cargo.toml`: from the current directory up, the first that holds
/// `spec/openapi-gen.toml` (the project root, its specs in `spec/`) or
/// `openapi-gen.toml` (root and spec directory both). Returns both.
fn project() -> Result<(PathBuf, PathBuf), GenError> {
    let here = std::env::current_dir().map_err(|e| GenError::io(".", "read the current directory", e))?;
    for dir in here.ancestors() {
        if dir.join("spec").join(MANIFEST).is_file() {
            return Ok((dir.to_path_buf(), dir.join("spec")));
        }
        if dir.join(MANIFEST).is_file() {
            return Ok((dir.to_path_buf(), dir.to_path_buf()));
        }
    }
    Err(GenError::config(
        here.display().to_string(),
        format!(
            "no {MANIFEST} here or in a directory above (nor in a spec/ there); \
             `openapi-gen generate SPEC -o FILE` generates from one spec"
        ),
    ))
}

const MANIFEST: &str = "openapi-gen.toml";

/// `spec/` to `generated/client.rs`, and the README's table of operations.
fn write_project(g: &Generated) -> Result<ExitCode, GenError> {
    let (root, _) = project()?;
    let out = root.join(DEFAULT_OUT);
    // What the last generation's API was: show what this one changes in it.
    let snapshot = root.join(DEFAULT_API);
    let old = std::fs::read_to_string(&snapshot).ok().and_then(|t| openapi_gen::diff::read_snapshot(&t));
    if let Some(old) = old {
        let diff = openapi_gen::diff::Diff::new(&old, &g.surface);
        if !diff.is_empty() {
            eprint!("{}", diff.render());
        }
    }
    write_if_changed(&snapshot, &openapi_gen::diff::write_snapshot(&g.surface))?;
    let changed = g.write(&out)?;
    // The README's table of operations, when it has one, follows the spec.
    let readme = root.join("README.md");
    if let Ok(text) = std::fs::read_to_string(&readme) {
        if let Some(updated) = openapi_gen::readme::replace_operations_table(&text, &g.report.operations_table()) {
            if write_if_changed(&readme, &updated)? {
                eprintln!("updated the table of operations in {}", readme.display());
            }
        }
    }
    show_features(g);
    if let Some(features) = &g.report.features {
        let cargo_toml = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
        if let Err(problem) = features.check_manifest(&cargo_toml) {
            eprintln!("warning: {problem}; Cargo.toml's table should read:\n{}", features.table(true));
        }
    }
    eprintln!(
        "{} {} ({} operations, {} types, {} example tests; {} operations left out by filters)",
        if changed { "wrote" } else { "unchanged:" },
        out.display(),
        g.report.operations,
        g.report.types,
        g.example_tests,
        g.report.removed_by_filter.operations.len(),
    );
    Ok(ExitCode::SUCCESS)
}

fn write_module(g: &Generated, out: &Path, report: Option<&Path>, check: bool) -> Result<ExitCode, GenError> {
    if let Some(report) = report {
        let json = serde_json::to_string_pretty(&g.report).unwrap_or_default();
        write_if_changed(report, &(json + "\n"))?;
    }
    if check {
        let dir = out.parent().unwrap_or(Path::new("."));
        let files = std::iter::once((out.to_path_buf(), &g.code)).chain(g.parts.iter().map(|(p, t)| (dir.join(p), t)));
        for (path, text) in files {
            if std::fs::read_to_string(&path).ok().as_ref() != Some(text) {
                eprintln!("{} is stale: run the same command without --check", path.display());
                return Ok(ExitCode::from(1));
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    g.write(out)?;
    show_features(g);
    if let Some(table) = g.features_table() {
        eprintln!("the crate declares these features:\n{table}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The feature groups of a split client, a line each.
fn show_features(g: &Generated) {
    for d in &g.report.documents {
        eprint!("{}", d.summary());
    }
    if let Some(f) = &g.report.features {
        eprint!("{}", f.summary());
    }
}

fn write_crate(
    g: &Generated,
    dir: &Path,
    name: Option<&str>,
    runtime: Option<&Path>,
    default_full: bool,
) -> Result<ExitCode, GenError> {
    let name = name.map(str::to_owned).unwrap_or_else(|| {
        dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "api-client".into())
    });
    let name: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let version = openapi_gen::RUNTIME_VERSION;
    let runtime = match runtime {
        Some(path) => {
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let path = path.display().to_string().replace('\\', "/");
            format!("{{ path = \"{path}\", version = \"{version}\" }}")
        }
        None => format!("\"{version}\""),
    };
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         openapi-gen-runtime = {runtime}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
         [dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n"
    );
    let mut features = match &g.report.features {
        Some(features) => features.table(default_full),
        None if g.cli || g.mock => "[features]\n".to_string(),
        None => String::new(),
    };
    if g.mock {
        features.push_str("mock = [\"openapi-gen-runtime/mock\"]\n");
    }
    if g.cli {
        // The command line, as a binary named after the crate.
        features.push_str("cli = [\"openapi-gen-runtime/cli\"]\n");
        features.push_str(&format!(
            "\n[[bin]]\nname = \"{name}\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n"
        ));
        let lib = name.replace('-', "_");
        let main = format!(
            "//! `{name}`: the API's command line (`cargo run --features cli -- --help`).\n\n\
             fn main() -> std::process::ExitCode {{\n    {lib}::cli::main()\n}}\n"
        );
        write_if_changed(&dir.join("src/main.rs"), &main)?;
    }
    let manifest = if features.is_empty() { manifest } else { format!("{manifest}\n{features}") };
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    g.write(&dir.join("src/lib.rs"))?;
    show_features(g);
    eprintln!("wrote crate {name} in {}", dir.display());
    Ok(ExitCode::SUCCESS)
}
