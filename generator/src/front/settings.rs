//! Every setting of a generation beyond which specs to read, declared once.
//!
//! One entry of `settings!` below gives a setting its field in
//! [`Settings`], its default, its doc, and its three bindings: the
//! [`Config`](crate::Config) method of the same name, the manifest key of the
//! same name, and the command-line flag `--the-name`. To add a setting, add an
//! entry, then read `settings.the_name` where a stage needs it (the stages get
//! [`Settings`] through the plan); the test at the end of this file checks
//! that it is reachable from all three.
//!
//! What the settings cannot hold, because it is about one spec (mount,
//! overlays, filters of that spec) or is a structured declaration
//! (`[[pagination]]`, `[[feature]]`), lives in [`crate::Plan`].

use crate::front::plan::FeaturesBy;
use crate::ground::diag::Lint;

/// Declares the settings, in three groups:
/// - `lists`: a `Vec<T>`; every manifest entry, flag and call adds one;
/// - `values`: a `T` with its default; a later binding overrides;
/// - `optional`: an `Option<T>`, `None` until set.
///
/// Bindings apply in order: the manifest, then `Config` calls, then flags.
macro_rules! settings {
    (
        lists { $( $(#[doc = $ldoc:literal])+ $list:ident : $lty:ty, $lvalue:literal; )+ }
        values { $( $(#[doc = $vdoc:literal])+ $value:ident : $vty:ty = $default:expr, $vvalue:literal; )+ }
        optional { $( $(#[doc = $odoc:literal])+ $opt:ident : $oty:ty, $ovalue:literal; )+ }
    ) => {
        /// The settings of one generation (see the module docs for how to add one).
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Settings {
            $( $(#[doc = $ldoc])+ pub $list: Vec<$lty>, )+
            $( $(#[doc = $vdoc])+ pub $value: $vty, )+
            $( $(#[doc = $odoc])+ pub $opt: Option<$oty>, )+
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings { $( $list: Vec::new(), )+ $( $value: $default, )+ $( $opt: None, )+ }
            }
        }

        impl Settings {
            /// Every setting's name: its `Config` method and manifest key
            /// (the flag is `--` and the name with `-` for `_`).
            pub const NAMES: &'static [&'static str] =
                &[$(stringify!($list),)+ $(stringify!($value),)+ $(stringify!($opt),)+];
        }

        /// What one binding (the manifest, `Config` calls, or the command
        /// line) sets: lists add, the rest override when given.
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[cfg_attr(feature = "cli", derive(clap::Args))]
        #[non_exhaustive]
        pub struct Overrides {
            $(
                $(#[doc = $ldoc])+
                #[serde(default)]
                #[cfg_attr(feature = "cli", arg(long, value_name = $lvalue))]
                pub $list: Vec<$lty>,
            )+
            $(
                $(#[doc = $vdoc])+
                #[serde(default)]
                // `--mock` alone is `--mock=true`.
                #[cfg_attr(feature = "cli", arg(long, value_name = $vvalue, num_args = 0..=1, require_equals = true, default_missing_value = "true"))]
                pub $value: Option<$vty>,
            )+
            $(
                $(#[doc = $odoc])+
                #[serde(default)]
                #[cfg_attr(feature = "cli", arg(long, value_name = $ovalue))]
                pub $opt: Option<$oty>,
            )+
        }

        impl Overrides {
            /// Apply these over `settings`.
            pub fn apply(&self, settings: &mut Settings) {
                $( settings.$list.extend(self.$list.iter().cloned()); )+
                $( if let Some(v) = &self.$value { settings.$value = v.clone(); } )+
                $( if let Some(v) = &self.$opt { settings.$opt = Some(v.clone()); } )+
            }

            /// Add what a later binding sets: its lists after these, its
            /// other settings over these.
            pub fn and(&mut self, later: &Overrides) {
                $( self.$list.extend(later.$list.iter().cloned()); )+
                $( if later.$value.is_some() { self.$value = later.$value.clone(); } )+
                $( if later.$opt.is_some() { self.$opt = later.$opt.clone(); } )+
            }
        }

        impl crate::Config {
            $(
                $(#[doc = $ldoc])+
                pub fn $list(&mut self, one: impl Into<$lty>) -> &mut Self {
                    self.overrides.$list.push(one.into());
                    self
                }
            )+
            $(
                $(#[doc = $vdoc])+
                pub fn $value(&mut self, value: impl Into<$vty>) -> &mut Self {
                    self.overrides.$value = Some(value.into());
                    self
                }
            )+
            $(
                $(#[doc = $odoc])+
                pub fn $opt(&mut self, value: impl Into<$oty>) -> &mut Self {
                    self.overrides.$opt = Some(value.into());
                    self
                }
            )+
        }
    };
}

settings! {
    lists {
        /// Keep only the operations these patterns match, in every spec:
        /// `GET|POST /v1/files`, `tag:Files`, an operationId; `*` is a wildcard.
        include: String, "PATTERN";
        /// Leave out the operations these patterns match, in every spec (same
        /// patterns as `include`).
        exclude: String, "PATTERN";
        /// Diagnostic codes not to show (`OAG0200`), or `warnings` for all; see
        /// `openapi-gen explain`.
        allow: Lint, "CODE";
        /// Diagnostic codes that stop the generation (`OAG0200`), or `warnings`
        /// for all; a code both allowed and denied is denied.
        deny: Lint, "CODE";
    }
    values {
        /// Whether list operations are paginated by convention (default: true).
        /// An operation's `x-pagination`, which an overlay or `[[pagination]]`
        /// can set, declares its paging either way.
        detect_pagination: bool = true, "BOOL";
        /// Generate a typed mock server for tests of code that uses the client
        /// (`mod mock`, behind the crate's `mock` feature, which must enable
        /// `openapi-gen-runtime/mock`; default: false).
        mock: bool = false, "BOOL";
        /// Generate a command line: `mod cli` (behind the crate's `cli` feature,
        /// which must enable `openapi-gen-runtime/cli`) with a subcommand per
        /// operation and `cli::main()` for a binary to call (default: false).
        cli: bool = false, "BOOL";
        /// Emit a round-trip test for every example in the spec (default: true).
        example_tests: bool = true, "BOOL";
    }
    optional {
        /// Prefix of the variables `Client::from_env` reads: `NEBIUS` gives
        /// `NEBIUS_API_KEY` and `NEBIUS_BASE_URL` (default: the first word of
        /// the spec's title).
        env_prefix: String, "PREFIX";
        /// Put each API group behind a cargo feature, grouped by `tag` or `path`
        /// (default: not split, unless `[[feature]]` lists name groups; then the
        /// rest by tag). The crate declares the features: `Generated::features_table`
        /// is its `[features]` table.
        features_by: FeaturesBy, "tag|path";
    }
}

impl Settings {
    /// Which warnings are dropped and which stop the generation.
    pub(crate) fn levels(&self) -> crate::ground::diag::Levels<'_> {
        crate::ground::diag::Levels { allow: &self.allow, deny: &self.deny }
    }
}

impl<'de> serde::Deserialize<'de> for FeaturesBy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::diag::Code;

    /// A value for each setting that is not its default, as the manifest
    /// writes it and as a flag takes it.
    fn sample(name: &str) -> (&'static str, &'static str) {
        match name {
            "include" | "exclude" => ("[\"tag:X\"]", "tag:X"),
            "env_prefix" => ("\"ACME\"", "ACME"),
            "detect_pagination" | "example_tests" => ("false", "false"),
            "mock" | "cli" => ("true", "true"),
            "features_by" => ("\"path\"", "path"),
            "allow" | "deny" => ("[\"OAG0200\"]", "OAG0200"),
            other => panic!("no sample for the setting `{other}`: add one here"),
        }
    }

    /// What a binding gives for one setting, as the settings it makes.
    fn by_manifest(name: &str) -> Settings {
        let text = format!("{name} = {}\n[[spec]]\nfile = \"a.yaml\"\n", sample(name).0);
        let dir = std::env::temp_dir().join(format!("openapi-gen-settings-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("openapi-gen.toml"), text).unwrap();
        let plan = crate::Config::new().spec_dir(&dir).plan().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        plan.settings
    }

    fn by_config(name: &str) -> Settings {
        let mut c = crate::Config::new();
        c.spec("a.yaml");
        match name {
            "include" => c.include("tag:X"),
            "exclude" => c.exclude("tag:X"),
            "env_prefix" => c.env_prefix("ACME"),
            "detect_pagination" => c.detect_pagination(false),
            "mock" => c.mock(true),
            "cli" => c.cli(true),
            "features_by" => c.features_by(FeaturesBy::Path),
            "example_tests" => c.example_tests(false),
            "allow" => c.allow(Code::UntypedSchema),
            "deny" => c.deny(Code::UntypedSchema),
            other => panic!("`{other}` is not set through Config here: add it"),
        };
        c.plan().unwrap().settings
    }

    #[cfg(feature = "cli")]
    fn by_flag(name: &str) -> Settings {
        use clap::{Args, FromArgMatches};
        let command = Overrides::augment_args(clap::Command::new("t"));
        let flag = format!("--{}={}", name.replace('_', "-"), sample(name).1);
        let matches = command.try_get_matches_from(["t", &flag]).unwrap();
        let mut settings = Settings::default();
        Overrides::from_arg_matches(&matches).unwrap().apply(&mut settings);
        settings
    }

    #[test]
    fn every_setting_is_reachable_from_the_manifest_config_and_the_command_line() {
        let default = Settings::default();
        for name in Settings::NAMES {
            let manifest = by_manifest(name);
            assert_ne!(manifest, default, "the manifest's `{name}` changes nothing");
            assert_eq!(by_config(name), manifest, "Config::{name} and the manifest's `{name}` differ");
            #[cfg(feature = "cli")]
            assert_eq!(by_flag(name), manifest, "the flag for `{name}` and the manifest's `{name}` differ");
        }
    }

    #[test]
    fn lists_add_and_values_override_in_binding_order() {
        let mut s = Settings::default();
        let manifest = Overrides { include: vec!["a".into()], mock: Some(true), ..Overrides::default() };
        let flags = Overrides { include: vec!["b".into()], mock: Some(false), ..Overrides::default() };
        manifest.apply(&mut s);
        flags.apply(&mut s);
        assert_eq!((s.include, s.mock), (vec!["a".to_string(), "b".to_string()], false));
    }
}
