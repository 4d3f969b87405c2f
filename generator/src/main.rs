//! `openapi-gen`: the command line.
//!
//! - `openapi-gen`: regenerate `generated/client.rs` from `spec/` (run from the project root).
//! - `openapi-gen generate <SPEC> -o <FILE.rs> [--report <FILE.json>] [--check] [--env-prefix P] [--no-example-tests]`
//! - `openapi-gen crate <SPEC> -o <DIR> [--name <NAME>] [--env-prefix P]`
//!
//! Exit codes: 0 success (warnings on stderr), 1 the spec cannot be generated,
//! 2 usage errors.

use openapi_gen::diag::GenError;
use openapi_gen::{write_if_changed, Config, Generated};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  openapi-gen                                  regenerate generated/client.rs from spec/
  openapi-gen generate <SPEC> -o <FILE.rs> [--report <FILE.json>] [--check]
                       [--env-prefix <PREFIX>] [--no-example-tests]
  openapi-gen crate <SPEC> -o <DIR> [--name <NAME>] [--env-prefix <PREFIX>]";

/// The project's own client: spec/ to generated/client.rs.
const DEFAULT_OUT: &str = "generated/client.rs";

struct Args {
    command: String,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    report: Option<PathBuf>,
    check: bool,
    name: Option<String>,
    env_prefix: Option<String>,
    example_tests: bool,
}

fn parse(argv: &[String]) -> Result<Args, String> {
    let mut args = Args {
        command: String::new(),
        spec: None,
        out: None,
        report: None,
        check: false,
        name: None,
        env_prefix: None,
        example_tests: true,
    };
    let mut it = argv.iter();
    let Some(cmd) = it.next() else {
        args.command = "default".into();
        return Ok(args);
    };
    match cmd.as_str() {
        "generate" | "crate" => args.command = cmd.clone(),
        "-h" | "--help" | "help" => {
            args.command = "help".into();
            return Ok(args);
        }
        other => return Err(format!("unknown command {other:?}")),
    }
    while let Some(a) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match a.as_str() {
            "-o" | "--out" => args.out = Some(PathBuf::from(value(a)?)),
            "--report" => args.report = Some(PathBuf::from(value(a)?)),
            "--name" => args.name = Some(value(a)?),
            "--env-prefix" => args.env_prefix = Some(value(a)?),
            "--check" => args.check = true,
            "--no-example-tests" => args.example_tests = false,
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag:?}")),
            spec if args.spec.is_none() => args.spec = Some(PathBuf::from(spec)),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    if args.spec.is_none() {
        return Err(format!("`{}` needs a spec file", args.command));
    }
    if args.out.is_none() {
        return Err(format!("`{}` needs -o", args.command));
    }
    if args.command == "crate" && (args.check || args.report.is_some()) {
        return Err("`crate` takes neither --check nor --report".into());
    }
    Ok(args)
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse(&argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("openapi-gen: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match args.command.as_str() {
        "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "default" => default_project(),
        "generate" => generate(&args),
        _ => make_crate(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn config(args: &Args) -> Config {
    let mut c = Config::new();
    if let Some(spec) = &args.spec {
        c.spec(spec);
    }
    if let Some(p) = &args.env_prefix {
        c.env_prefix(p);
    }
    c.example_tests(args.example_tests);
    c
}

fn run(config: &Config) -> Result<Generated, GenError> {
    let g = config.generate()?;
    for d in &g.diagnostics {
        eprintln!("{d}");
    }
    Ok(g)
}

fn default_project() -> Result<ExitCode, GenError> {
    // The project root: where `spec/` is, from here or from this crate's parent.
    let root = [PathBuf::from("."), Path::new(env!("CARGO_MANIFEST_DIR")).join("..")]
        .into_iter()
        .find(|r| r.join("spec").is_dir())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut c = Config::new();
    c.spec_dir(root.join("spec"));
    let g = run(&c)?;
    let out = root.join(DEFAULT_OUT);
    let changed = write_if_changed(&out, &g.code)?;
    eprintln!(
        "{} {} ({} operations, {} types, {} example tests)",
        if changed { "wrote" } else { "unchanged:" },
        out.display(),
        g.report.operations,
        g.report.types,
        g.example_tests
    );
    Ok(ExitCode::SUCCESS)
}

fn generate(args: &Args) -> Result<ExitCode, GenError> {
    let g = run(&config(args))?;
    let out = args.out.as_deref().unwrap_or(Path::new(DEFAULT_OUT));
    if let Some(report) = &args.report {
        let json = serde_json::to_string_pretty(&g.report).unwrap_or_default();
        write_if_changed(report, &(json + "\n"))?;
    }
    if args.check {
        let current = std::fs::read_to_string(out).unwrap_or_default();
        if current != g.code {
            eprintln!("{} is stale: run `openapi-gen generate {} -o {}`", out.display(),
                args.spec.as_deref().map(|p| p.display().to_string()).unwrap_or_default(), out.display());
            return Ok(ExitCode::from(1));
        }
        return Ok(ExitCode::SUCCESS);
    }
    write_if_changed(out, &g.code)?;
    Ok(ExitCode::SUCCESS)
}

fn make_crate(args: &Args) -> Result<ExitCode, GenError> {
    let g = run(&config(args))?;
    let dir = args.out.as_deref().unwrap_or(Path::new("."));
    let name = args.name.clone().unwrap_or_else(|| {
        dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "api-client".into())
    });
    let name: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         openapi-gen-runtime = {{ path = \"openapi-gen-runtime\", version = \"{}\" }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
         [dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n",
        openapi_gen::vendor::RUNTIME_VERSION
    );
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("src/lib.rs"), &g.code)?;
    // A copy of the runtime beside it: the crate builds with nothing but crates.io.
    let runtime = dir.join("openapi-gen-runtime");
    write_if_changed(&runtime.join("Cargo.toml"), &openapi_gen::vendor::runtime_manifest())?;
    for (path, text) in openapi_gen::vendor::RUNTIME_SOURCES {
        write_if_changed(&runtime.join(path), text)?;
    }
    eprintln!("wrote crate {name} in {}", dir.display());
    Ok(ExitCode::SUCCESS)
}
