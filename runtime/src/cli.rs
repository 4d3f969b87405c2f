//! The command line a generated client carries (`cli` feature): a
//! subcommand per operation, grouped by tag, built with clap's builder API
//! from a table the generator writes ([`Op`]), and the shared code every
//! operation's small generated function calls: arguments parsed into the
//! operation's own types, the body from `--body`/`--set`/`--file`, output as
//! JSON (pretty on a terminal, one line otherwise), errors and exit codes.
//!
//! Exit codes: 0 done (and `--help`), 1 the call failed (the server's status
//! and message on stderr), 2 a usage error (clap's, or a value that does not
//! fit its type, found before anything is sent).

use crate::{BoxFuture, Error, FilePart};
use clap::{Arg as ClapArg, ArgAction, ArgMatches, Command};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub use clap;

/// Where a parameter goes: path parameters are positional, the rest flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Path,
    Query,
    Header,
    Cookie,
}

/// One parameter of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The argument's id (its Rust name).
    pub id: &'static str,
    /// Its flag without the dashes (`per-page`).
    pub long: &'static str,
    /// The value's name in help (`PER_PAGE`).
    pub value_name: &'static str,
    /// Its name in the API (shown in help).
    pub wire: &'static str,
    pub place: Place,
    pub required: bool,
    /// A list: the flag repeats.
    pub many: bool,
    /// The values an enumeration allows (empty: any).
    pub values: &'static [&'static str],
    pub help: &'static str,
}

/// What `--body` holds for an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON (also form bodies: the same members, sent as a form).
    Json,
    /// Multipart: members from `--body`/`--set`, files from `--file name=@path`.
    Multipart,
    Text,
    Binary,
}

/// One operation's subcommand and the function that runs it.
pub struct Op<C: 'static> {
    /// The group's subcommand (from the operation's tag).
    pub group: &'static str,
    /// The operation's subcommand (its method's name in kebab case).
    pub name: &'static str,
    pub about: &'static str,
    pub long_about: &'static str,
    pub args: &'static [Arg],
    /// The request body, and whether the operation requires one.
    pub body: Option<(BodyKind, bool)>,
    /// A paginated list: `--all` reads every page.
    pub pages: bool,
    /// It can answer with a stream of events: `--stream` asks for it.
    pub stream: bool,
    pub run: for<'a> fn(&'a C, &'a Input) -> BoxFuture<'a, Result<(), Failure>>,
}

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// A value does not fit (exit 2); nothing was sent.
    Usage(String),
    /// The call failed (exit 1).
    Call(String),
}

impl<E> From<Error<E>> for Failure {
    fn from(e: Error<E>) -> Self {
        Failure::Call(e.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Call(e.to_string())
    }
}

fn kebab(id: &str) -> String {
    id.trim_start_matches("r#").replace('_', "-")
}

fn arg(a: &Arg) -> ClapArg {
    let wire = if a.wire == a.id { String::new() } else { format!(" (`{}`)", a.wire) };
    let mut help = a.help.lines().next().unwrap_or("").trim().to_string();
    if help.is_empty() {
        help = format!(
            "The {} parameter{wire}",
            match a.place {
                Place::Path => "path",
                Place::Query => "query",
                Place::Header => "header",
                Place::Cookie => "cookie",
            }
        );
    }
    let mut c = ClapArg::new(a.id).help(help).required(a.required).value_name(a.value_name);
    if a.help.trim().contains('\n') {
        c = c.long_help(a.help.trim().to_string());
    }
    if a.place != Place::Path {
        c = c.long(a.long);
    }
    c = c.action(if a.many { ArgAction::Append } else { ArgAction::Set });
    if !a.values.is_empty() {
        c = c.value_parser(clap::builder::PossibleValuesParser::new(a.values.iter().copied()));
    }
    c
}

fn op_command<C>(op: &Op<C>) -> Command {
    let mut c = Command::new(op.name).about(op.about);
    if !op.long_about.is_empty() {
        c = c.long_about(op.long_about);
    }
    c = c.args(op.args.iter().map(arg));
    if let Some((kind, required)) = op.body {
        let what = match kind {
            BodyKind::Json | BodyKind::Multipart => "The body as JSON, @FILE for a file's, or - for stdin",
            BodyKind::Text => "The body's text, @FILE for a file's, or - for stdin",
            BodyKind::Binary => "The body's bytes: @FILE for a file's, - for stdin, or the text given",
        };
        let body = ClapArg::new("body").long("body").value_name("BODY").help(what);
        c = c.arg(body.required(required && matches!(kind, BodyKind::Text | BodyKind::Binary)));
        if matches!(kind, BodyKind::Json | BodyKind::Multipart) {
            c = c.arg(
                ClapArg::new("set")
                    .long("set")
                    .value_name("KEY=JSON")
                    .action(ArgAction::Append)
                    .help("Set one member of the body (a dotted path; a value that is not JSON is a string)"),
            );
        }
        if kind == BodyKind::Multipart {
            c = c.arg(
                ClapArg::new("file")
                    .long("file")
                    .value_name("NAME=@PATH")
                    .action(ArgAction::Append)
                    .help("A file part, read from PATH"),
            );
        }
    }
    if op.stream {
        c = c.arg(
            ClapArg::new("stream")
                .long("stream")
                .action(ArgAction::SetTrue)
                .help("Receive the answer as a stream of events: each as a line of JSON"),
        );
    }
    if op.pages {
        c = c.arg(
            ClapArg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Read every page: each item as a line of JSON"),
        );
    }
    c
}

/// The whole command: a subcommand per group, in it one per operation, and
/// `completions <SHELL>`.
pub fn command<C>(name: &'static str, about: &'static str, ops: &[Op<C>]) -> Command {
    let mut root = Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            ClapArg::new("base-url")
                .long("base-url")
                .global(true)
                .value_name("URL")
                .help("The API's base URL (else from the environment, else the spec's server)"),
        )
        .arg(
            ClapArg::new("raw")
                .long("raw")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Print the response body as the server sent it"),
        )
        .arg(
            ClapArg::new("output")
                .short('o')
                .long("output")
                .global(true)
                .value_name("PATH")
                .help("Write the response body to PATH instead of stdout"),
        )
        .subcommand(
            Command::new("completions")
                .about("Print a shell's completion script")
                .arg(ClapArg::new("shell").required(true).value_parser(clap::value_parser!(clap_complete::Shell))),
        );
    let mut groups: Vec<(&str, Command)> = Vec::new();
    for op in ops {
        let sub = op_command(op);
        match groups.iter_mut().find(|(g, _)| *g == op.group) {
            Some((_, g)) => *g = std::mem::take(g).subcommand(sub),
            None => groups.push((
                op.group,
                Command::new(op.group)
                    .about(format!("The {} operations", op.group))
                    .subcommand_required(true)
                    .arg_required_else_help(true)
                    .subcommand(sub),
            )),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(b.0));
    for (_, g) in groups {
        root = root.subcommand(g);
    }
    root
}

/// Run the command line: parse, build the client with `client` (the base URL
/// given, if any), run the chosen operation on a current-thread runtime.
pub fn main<C>(
    name: &'static str,
    about: &'static str,
    ops: &[Op<C>],
    client: impl FnOnce(Option<&str>) -> Result<C, Error>,
) -> ExitCode {
    let mut cmd = command(name, about, ops);
    let matches = match cmd.try_get_matches_from_mut(std::env::args_os()) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let Some((group, sub)) = matches.subcommand() else { return ExitCode::from(2) };
    if group == "completions" {
        if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
            clap_complete::generate(*shell, &mut cmd, name, &mut std::io::stdout());
        }
        return ExitCode::SUCCESS;
    }
    let Some((op_name, args)) = sub.subcommand() else { return ExitCode::from(2) };
    let Some(op) = ops.iter().find(|o| o.group == group && o.name == op_name) else { return ExitCode::from(2) };
    let input = Input {
        matches: args.clone(),
        body: std::sync::OnceLock::new(),
        raw: matches.get_flag("raw"),
        output: matches.get_one::<String>("output").map(PathBuf::from),
        pretty: std::io::stdout().is_terminal(),
    };
    let base_url = matches.get_one::<String>("base-url").map(String::as_str);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(&Failure::Call(format!("cannot start the async runtime: {e}"))),
    };
    let result = match client(base_url) {
        Ok(c) => runtime.block_on((op.run)(&c, &input)),
        Err(e) => Err(Failure::from(e)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => fail(&f),
    }
}

fn fail(f: &Failure) -> ExitCode {
    match f {
        Failure::Usage(m) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        Failure::Call(m) => {
            eprintln!("error: {m}");
            ExitCode::from(1)
        }
    }
}

/// The chosen operation's arguments, and how to print what it gives.
pub struct Input {
    matches: ArgMatches,
    /// The JSON body, once read.
    body: std::sync::OnceLock<Result<Value, String>>,
    raw: bool,
    output: Option<PathBuf>,
    pretty: bool,
}

/// A value from the command line as `T`: JSON when it parses as JSON that
/// fits, else the text as a JSON string (`--n 3`, `--name ada`, `--at 2024-01-01`).
fn parse<T: DeserializeOwned>(what: &str, raw: &str) -> Result<T, Failure> {
    if let Ok(v) = serde_json::from_str::<T>(raw) {
        return Ok(v);
    }
    T::deserialize(Value::String(raw.to_string()))
        .map_err(|e| Failure::Usage(format!("{what}: {raw:?} does not fit: {e}")))
}

/// The bytes of `--body`'s value: `@path` a file's, `-` stdin, else the value itself.
fn read_source(value: &str) -> Result<Vec<u8>, Failure> {
    if value == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else if let Some(path) = value.strip_prefix('@') {
        std::fs::read(path).map_err(|e| Failure::Usage(format!("cannot read {path}: {e}")))
    } else {
        Ok(value.as_bytes().to_vec())
    }
}

impl Input {
    /// An optional parameter.
    pub fn value<T: DeserializeOwned>(&self, id: &str) -> Result<Option<T>, Failure> {
        match self.matches.try_get_one::<String>(id) {
            Ok(Some(raw)) => parse(&format!("--{}", kebab(id)), raw).map(Some),
            _ => Ok(None),
        }
    }

    /// A required parameter (clap has checked it is there).
    pub fn required<T: DeserializeOwned>(&self, id: &str) -> Result<T, Failure> {
        self.value(id)?.ok_or_else(|| Failure::Usage(format!("{} is required", kebab(id))))
    }

    /// A repeated parameter: every occurrence, or `None` when there is none.
    pub fn values<T: DeserializeOwned>(&self, id: &str) -> Result<Option<Vec<T>>, Failure> {
        let Ok(Some(raw)) = self.matches.try_get_many::<String>(id) else { return Ok(None) };
        let what = format!("--{}", kebab(id));
        raw.map(|r| parse(&what, r)).collect::<Result<Vec<T>, _>>().map(Some)
    }

    /// A required repeated parameter.
    pub fn required_values<T: DeserializeOwned>(&self, id: &str) -> Result<Vec<T>, Failure> {
        self.values(id)?.ok_or_else(|| Failure::Usage(format!("{} is required", kebab(id))))
    }

    /// Whether `--all` was given.
    pub fn all(&self) -> bool {
        self.matches.try_get_one::<bool>("all").ok().flatten().copied().unwrap_or(false)
    }

    /// Whether `--stream` was given.
    pub fn stream(&self) -> bool {
        self.matches.try_get_one::<bool>("stream").ok().flatten().copied().unwrap_or(false)
    }

    /// Whether `--raw` was given.
    pub fn raw(&self) -> bool {
        self.raw
    }

    fn given_body(&self) -> Option<&String> {
        self.matches.try_get_one::<String>("body").ok().flatten()
    }

    /// The body as a JSON value: `--body`, then each `--set key=json`
    /// (stdin is read once, however many members are taken from it).
    pub fn body_value(&self) -> Result<&Value, Failure> {
        match self.body.get_or_init(|| self.read_body_value()) {
            Ok(v) => Ok(v),
            Err(e) => Err(Failure::Usage(e.clone())),
        }
    }

    fn read_body_value(&self) -> Result<Value, String> {
        let mut body = match self.given_body() {
            Some(given) => {
                let bytes = read_source(given).map_err(|f| match f {
                    Failure::Usage(m) | Failure::Call(m) => m,
                })?;
                serde_json::from_slice(&bytes).map_err(|e| format!("--body is not JSON: {e}"))?
            }
            None => Value::Object(serde_json::Map::new()),
        };
        let sets = self.matches.try_get_many::<String>("set").ok().flatten().into_iter().flatten();
        for set in sets {
            let Some((path, raw)) = set.split_once('=') else {
                return Err(format!("--set {set:?}: expected KEY=VALUE"));
            };
            let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
            let mut at = &mut body;
            for key in path.split('.') {
                if !at.is_object() {
                    *at = Value::Object(serde_json::Map::new());
                }
                at = match at {
                    Value::Object(map) => map.entry(key.to_string()).or_insert(Value::Null),
                    other => other,
                };
            }
            *at = value;
        }
        Ok(body)
    }

    /// The body as the operation's request type: a member that does not fit
    /// is a usage error, before anything is sent.
    pub fn json_body<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        let value = self.body_value()?;
        T::deserialize(value).map_err(|e| Failure::Usage(format!("the body does not fit the request: {e}")))
    }

    /// An optional JSON body: `None` when neither `--body` nor `--set` was given.
    pub fn optional_json_body<T: DeserializeOwned>(&self) -> Result<Option<T>, Failure> {
        let given = self.given_body().is_some() || self.matches.try_get_many::<String>("set").ok().flatten().is_some();
        if given {
            self.json_body().map(Some)
        } else {
            Ok(None)
        }
    }

    /// One member of a multipart body's fields (from `--body`/`--set`).
    pub fn member<T: DeserializeOwned>(&self, wire: &str) -> Result<Option<T>, Failure> {
        match self.body_value()?.get(wire) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| Failure::Usage(format!("the body member {wire:?} does not fit: {e}"))),
        }
    }

    /// A required member of a multipart body.
    pub fn required_member<T: DeserializeOwned>(&self, wire: &str) -> Result<T, Failure> {
        self.member(wire)?.ok_or_else(|| Failure::Usage(format!("the body needs {wire:?} (--set {wire}=...)")))
    }

    /// The file parts named `name` (`--file name=@path`), streamed from disk.
    pub async fn files(&self, name: &str) -> Result<Vec<FilePart>, Failure> {
        let mut out = Vec::new();
        let given = self.matches.try_get_many::<String>("file").ok().flatten().into_iter().flatten();
        for file in given {
            let Some((n, path)) = file.split_once('=') else {
                return Err(Failure::Usage(format!("--file {file:?}: expected NAME=@PATH")));
            };
            if n != name {
                continue;
            }
            let path = path.strip_prefix('@').unwrap_or(path);
            let part =
                FilePart::from_path(path).await.map_err(|e| Failure::Usage(format!("cannot read {path}: {e}")))?;
            out.push(part);
        }
        Ok(out)
    }

    /// One file part, if given.
    pub async fn file(&self, name: &str) -> Result<Option<FilePart>, Failure> {
        Ok(self.files(name).await?.into_iter().next())
    }

    /// A required file part.
    pub async fn required_file(&self, name: &str) -> Result<FilePart, Failure> {
        self.file(name)
            .await?
            .ok_or_else(|| Failure::Usage(format!("the body needs the file {name:?} (--file {name}=@PATH)")))
    }

    /// An untyped multipart body: each member of `--body`/`--set` a text part,
    /// each `--file name=@path` a file part.
    pub async fn multipart(&self) -> Result<crate::Multipart, Failure> {
        let mut form = crate::Multipart::new();
        if let Value::Object(members) = self.body_value()? {
            for (name, value) in members {
                form.text(name, value);
            }
        }
        let given = self.matches.try_get_many::<String>("file").ok().flatten().into_iter().flatten();
        let mut names: Vec<&str> = given.filter_map(|f| f.split_once('=').map(|(n, _)| n)).collect();
        names.dedup();
        for name in names {
            for part in self.files(name).await? {
                form.file(name, &part, None);
            }
        }
        Ok(form)
    }

    /// A text body, if given.
    pub fn text_body(&self) -> Result<Option<String>, Failure> {
        let Some(given) = self.given_body() else { return Ok(None) };
        String::from_utf8(read_source(given)?).map(Some).map_err(|_| Failure::Usage("--body is not UTF-8 text".into()))
    }

    /// A binary body, if given.
    pub fn binary_body(&self) -> Result<Option<Vec<u8>>, Failure> {
        self.given_body().map(|g| read_source(g)).transpose()
    }

    fn write(&self, bytes: &[u8]) -> Result<(), Failure> {
        match &self.output {
            Some(path) => {
                std::fs::write(path, bytes).map_err(|e| Failure::Call(format!("cannot write {}: {e}", path.display())))
            }
            None => {
                let mut out = std::io::stdout().lock();
                // A reader that went away (`| head`) is not an error.
                let _ = out.write_all(bytes).and_then(|()| out.flush());
                Ok(())
            }
        }
    }

    /// A typed response as JSON: pretty on a terminal, one line otherwise.
    pub fn json<T: Serialize>(&self, body: &T) -> Result<(), Failure> {
        let text = if self.pretty && self.output.is_none() {
            serde_json::to_string_pretty(body)
        } else {
            serde_json::to_string(body)
        };
        let mut text = text.map_err(|e| Failure::Call(format!("cannot print the response: {e}")))?;
        text.push('\n');
        self.write(text.as_bytes())
    }

    /// A text response.
    pub fn text(&self, body: &str) -> Result<(), Failure> {
        self.write(body.as_bytes())
    }

    /// A binary response: to `-o PATH`, else stdout.
    pub fn bytes(&self, body: &[u8]) -> Result<(), Failure> {
        self.write(body)
    }

    /// The response as the server sent it (`--raw`).
    pub async fn raw_response<E>(&self, sent: Result<crate::Success, Error<E>>) -> Result<(), Failure> {
        let body = sent?.bytes::<E>().await?;
        self.write(&body.body)
    }

    /// Events as they come, a line of JSON each; a stream cut short is an error.
    pub async fn events<T: Serialize>(&self, mut events: crate::EventStream<T>) -> Result<(), Failure> {
        while let Some(event) = events.next().await {
            self.line(&event?)?;
        }
        Ok(())
    }

    /// Items of a stream (events, pages) a line of JSON each, as they come;
    /// an error ends it (a cut stream is an error, not a quiet end).
    pub fn line<T: Serialize>(&self, item: &T) -> Result<(), Failure> {
        let mut text = serde_json::to_string(item).map_err(|e| Failure::Call(format!("cannot print: {e}")))?;
        text.push('\n');
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        Ok(())
    }
}
