//! A cargo feature per API group (`features_by`): the group of each
//! operation, and the groups each named type is compiled for. A type that
//! several groups reach is compiled when any of them is on; one that every
//! group reaches always is; one that no operation reaches, only with `full`.

use super::{Operation, TypeSpace};
use crate::front::plan::FeaturesBy;
use crate::ground::diag::{Code, Diagnostics};
use crate::ground::naming::ascii_words;
use heck::ToSnakeCase;
use std::collections::BTreeMap;

/// At most this many groups: crates.io takes 300 features per crate, and
/// `default`, `full` and a crate's own few (`mock`) stand beside them.
pub(crate) const MAX_GROUPS: usize = 296;

/// Feature names a client crate already uses; a group named so gets `_api`.
const RESERVED: [&str; 6] = ["default", "full", "mock", "tracing", "std", "runtime"];

/// The rule that grouped the operations not named into a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Rule {
    /// The first tag.
    Tag,
    /// The first tag's first segment (`users` for `users.user`): the tags
    /// were more than [`MAX_GROUPS`].
    TagSegment,
    /// The path's first segment after those every path shares.
    Path,
}

impl Rule {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Rule::Tag => "by tag",
            Rule::TagSegment => "by the first segment of the tag (more tags than crates.io allows features)",
            Rule::Path => "by path prefix",
        }
    }
}

/// One group: a cargo feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub name: String,
    pub operations: usize,
    /// Named types compiled when it is on.
    pub types: usize,
}

/// When a named type is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Every group reaches it.
    Always,
    /// When any of these groups (indices into [`Features::groups`]) is on.
    Groups(Vec<usize>),
    /// No operation reaches it: with `full`.
    Full,
}

#[derive(Debug, Clone)]
pub(crate) struct Features {
    pub rule: Rule,
    /// Operations put in a group by name (`x-openapi-gen-feature`, `[[feature]]`).
    pub named: usize,
    /// Sorted by name.
    pub groups: Vec<Group>,
    /// The group of each operation.
    pub operation_groups: Vec<usize>,
    /// The gate of each named type, by id.
    pub type_gates: Vec<Gate>,
}

impl Features {
    /// The file beside the client's main one that holds the items of
    /// `gate` (`None`: the main file, for what every group needs). A group's
    /// own items are named after it (`chat`); those several groups share
    /// after the groups (`chat+completions`), shortened with a hash of the
    /// list when that grows long; those only `full` compiles, `full`.
    pub(crate) fn part(&self, gate: &Gate) -> Option<String> {
        let name = |g: &usize| self.groups.get(*g).map_or("full", |g| g.name.as_str());
        match gate {
            Gate::Always => None,
            Gate::Full => Some("full".into()),
            Gate::Groups(groups) => {
                let joined = groups.iter().map(name).collect::<Vec<_>>().join("+");
                if joined.len() <= 60 {
                    return Some(joined);
                }
                // FNV-1a: stable across runs, platforms and Rust versions.
                let hash = joined
                    .bytes()
                    .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
                let first: Vec<&str> = groups.iter().take(2).map(name).collect();
                Some(format!("{}+{}-more-{:08x}", first.join("+"), groups.len() - 2, hash as u32))
            }
        }
    }
}

/// A cargo feature name from a tag, path segment or list name: snake case,
/// ASCII; `untagged` when nothing is left.
pub(crate) fn feature_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        return "untagged".into();
    }
    if name.as_bytes()[0].is_ascii_digit() {
        name.insert_str(0, "api_");
    }
    if RESERVED.contains(&name.as_str()) {
        name.push_str("_api");
    }
    name
}

/// Group the operations and gate the types; `None` (and a warning) when no
/// rule gives few enough groups.
pub(crate) fn decide(
    space: &TypeSpace,
    ops: &[Operation],
    by: FeaturesBy,
    diags: &mut Diagnostics,
) -> Option<Features> {
    let rules: &[Rule] = match by {
        FeaturesBy::Tag => &[Rule::Tag, Rule::TagSegment, Rule::Path],
        FeaturesBy::Path => &[Rule::Path],
    };
    let named: Vec<Option<String>> = ops.iter().map(|op| op.feature.as_deref().map(feature_name)).collect();
    let mut tried = Vec::new();
    for rule in rules {
        let keys = rule_keys(*rule, ops);
        let names: Vec<String> =
            named.iter().zip(keys).map(|(n, k)| n.clone().unwrap_or_else(|| feature_name(&k))).collect();
        let mut index: BTreeMap<&str, usize> = names.iter().map(|n| (n.as_str(), 0)).collect();
        if index.len() > MAX_GROUPS {
            tried.push(format!("{} groups {}", index.len(), rule.describe()));
            continue;
        }
        for (i, v) in index.values_mut().enumerate() {
            *v = i;
        }
        let operation_groups: Vec<usize> = names.iter().map(|n| index[n.as_str()]).collect();
        let mut groups: Vec<Group> =
            index.keys().map(|n| Group { name: n.to_string(), operations: 0, types: 0 }).collect();
        for g in &operation_groups {
            groups[*g].operations += 1;
        }
        let type_gates = gates(space, ops, &operation_groups, groups.len());
        for gate in &type_gates {
            match gate {
                Gate::Always => groups.iter_mut().for_each(|g| g.types += 1),
                Gate::Groups(gs) => gs.iter().for_each(|g| groups[*g].types += 1),
                Gate::Full => {}
            }
        }
        return Some(Features {
            rule: *rule,
            named: named.iter().filter(|n| n.is_some()).count(),
            groups,
            operation_groups,
            type_gates,
        });
    }
    diags.add(
        Code::TooManyFeatures,
        "#/paths",
        format!(
            "{}, more than the {MAX_GROUPS} features a crate may have: the client is not split into features; \
             name the groups with [[feature]] lists",
            tried.join(", then ")
        ),
    );
    None
}

/// Each operation's group before naming, by `rule`.
fn rule_keys(rule: Rule, ops: &[Operation]) -> Vec<String> {
    match rule {
        Rule::Tag => ops.iter().map(|op| op.group.clone().unwrap_or_default()).collect(),
        Rule::TagSegment => ops
            .iter()
            .map(|op| op.group.as_deref().unwrap_or_default().split(['.', '/']).next().unwrap_or_default().to_string())
            .collect(),
        Rule::Path => path_keys(ops),
    }
}

/// A version segment (`v1`, `v2beta1`), which names no group of its own.
fn is_version(segment: &str) -> bool {
    let Some(rest) = segment.strip_prefix('v') else { return false };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && rest[digits..].chars().all(|c| c.is_ascii_alphanumeric())
}

/// The first literal segment of each path after the segments every path
/// shares (at least one segment is left to each) and after a version
/// (`/v0/models` and `/v1/models` are both `models`); `root` for none.
fn path_keys(ops: &[Operation]) -> Vec<String> {
    let segments: Vec<Vec<&str>> =
        ops.iter().map(|op| op.path.split('/').filter(|s| !s.is_empty()).collect()).collect();
    let shortest = segments.iter().map(Vec::len).min().unwrap_or(0);
    let mut common = 0;
    while common + 1 < shortest
        && !segments[0][common].starts_with('{')
        && segments.iter().all(|s| s[common] == segments[0][common])
    {
        common += 1;
    }
    segments
        .iter()
        .map(|s| {
            let rest = &s[common.min(s.len())..];
            rest.iter().find(|seg| !seg.starts_with('{') && !is_version(seg)).map_or("root", |seg| seg).to_string()
        })
        .collect()
}

/// Which groups reach each named type.
fn gates(space: &TypeSpace, ops: &[Operation], operation_groups: &[usize], groups: usize) -> Vec<Gate> {
    let mut reached: Vec<Vec<usize>> = vec![Vec::new(); space.types.len()];
    for g in 0..groups {
        let roots: Vec<_> =
            ops.iter().zip(operation_groups).filter(|(_, og)| **og == g).flat_map(|(op, _)| op.type_roots()).collect();
        for id in space.reachable(&roots) {
            reached[id.0 as usize].push(g);
        }
    }
    reached
        .into_iter()
        .map(|gs| match gs.len() {
            0 => Gate::Full,
            n if n == groups => Gate::Always,
            _ => Gate::Groups(gs),
        })
        .collect()
}
