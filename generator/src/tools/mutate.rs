//! A structured mutator for fuzzing the generator: it breaks real specs the
//! ways real specs are broken (and worse), deterministically from a seed.
//!
//! Used by `tests/fuzz.rs` (a bounded run in `cargo test`, a long run with
//! `FUZZ_CASES`) and by the corpus check, which compiles a sample of what the
//! generator makes of mutated specs.

use serde_json::{json, Map, Value};

/// A small, fast, seedable generator (xorshift64*); no dependency, same
/// sequence on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names that have broken generators: keywords, empty, digits, unicode, huge.
pub fn hostile_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "", "type", "self", "Self", "crate", "super", "r#type", "fn", "async", "await", "dyn", "Box", "Option",
        "Result", "String", "Vec", "Client", "Error", "None", "Some", "123", "9lives", "-", "__", "_", "a b", "a/b~c",
        "ñandú", "名前", "💥", "$ref", "{id}", "default", "new", "send", "stream", "request",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    names.push("x".repeat(5000));
    names
}

/// Pointers (as token lists) of every object and array in the document.
fn containers(doc: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(doc, Vec::<String>::new())];
    while let Some((v, path)) = stack.pop() {
        // Places deeper than this are not worth the paths to them.
        if path.len() > 48 {
            out.push(path);
            continue;
        }
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    if c.is_object() || c.is_array() {
                        let mut p = path.clone();
                        p.push(k.clone());
                        stack.push((c, p));
                    }
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    if c.is_object() || c.is_array() {
                        let mut p = path.clone();
                        p.push(i.to_string());
                        stack.push((c, p));
                    }
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out.sort();
    out
}

fn at<'a>(doc: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut v = doc;
    for t in path {
        v = match v {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

fn pointer(path: &[String]) -> String {
    path.iter().map(|t| format!("/{}", crate::ground::pointer::escape(t))).collect()
}

fn wrong_value(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!("text"),
        3 => json!(-1),
        4 => json!(1.5),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(1e308),
        8 => json!([]),
        9 => json!({}),
        10 => json!([{"type": "nonsense"}, 3]),
        _ => json!({"$ref": "#/components/schemas/DoesNotExist"}),
    }
}

fn schemas(doc: &mut Value) -> &mut Map<String, Value> {
    if !doc.get("components").is_some_and(Value::is_object) {
        doc["components"] = json!({});
    }
    if !doc["components"].get("schemas").is_some_and(Value::is_object) {
        doc["components"]["schemas"] = json!({});
    }
    match doc.pointer_mut("/components/schemas") {
        Some(Value::Object(m)) => m,
        _ => unreachable!("set to an object above"),
    }
}

/// Apply one random mutation; returns what it did.
pub fn mutate_once(doc: &mut Value, rng: &mut Rng) -> String {
    let places = containers(doc);
    let place = rng.pick(&places).clone();
    let here = pointer(&place);
    match rng.below(13) {
        0 => {
            // Delete a key.
            let Some(Value::Object(m)) = at(doc, &place) else { return format!("nothing at {here}") };
            let keys: Vec<String> = m.keys().cloned().collect();
            if keys.is_empty() {
                return format!("no key to delete at {here}");
            }
            let k = rng.pick(&keys).clone();
            m.shift_remove(&k);
            format!("deleted {here}/{k}")
        }
        1 | 2 => {
            // A value of the wrong type.
            let value = wrong_value(rng);
            let Some(target) = at(doc, &place) else { return format!("nothing at {here}") };
            let described = format!("{here} = {value}");
            match target {
                Value::Object(m) if !m.is_empty() => {
                    let keys: Vec<String> = m.keys().cloned().collect();
                    let k = rng.pick(&keys).clone();
                    m.insert(k.clone(), value);
                    format!("{here}/{k} = {}", m[&k])
                }
                other => {
                    *other = value;
                    described
                }
            }
        }
        3 => {
            // Dangling or cyclic refs.
            let target = match rng.below(5) {
                0 => "#/components/schemas/Nope".to_string(),
                1 => "#".to_string(),
                2 => format!("#{here}"),
                3 => "other.yaml#/x".to_string(),
                _ => "#/paths".to_string(),
            };
            let Some(v) = at(doc, &place) else { return format!("nothing at {here}") };
            *v = json!({"$ref": target});
            format!("{here} = $ref {target}")
        }
        4 => {
            // Rename a key to a hostile name.
            let names = hostile_names();
            let name = rng.pick(&names).clone();
            let Some(Value::Object(m)) = at(doc, &place) else { return format!("nothing at {here}") };
            let keys: Vec<String> = m.keys().cloned().collect();
            if keys.is_empty() {
                m.insert(name.clone(), json!({"type": "string"}));
                return format!("added {here}/{}", name.chars().take(20).collect::<String>());
            }
            let k = rng.pick(&keys).clone();
            if let Some(v) = m.shift_remove(&k) {
                m.insert(name.clone(), v);
            }
            format!("renamed {here}/{k} to {:?}", name.chars().take(20).collect::<String>())
        }
        5 => {
            // Hostile property and schema names.
            let names = hostile_names();
            let mut props = Map::new();
            for _ in 0..4 {
                props.insert(rng.pick(&names).clone(), json!({"type": "string"}));
            }
            let name = rng.pick(&names).clone();
            schemas(doc).insert(name.clone(), json!({"type": "object", "properties": props}));
            format!("schema {:?} with hostile property names", name.chars().take(20).collect::<String>())
        }
        6 => {
            // Deep nesting: mostly inside the limit, sometimes thousands deep.
            let depth = if rng.below(4) == 0 { 1000 + rng.below(4000) } else { 20 + rng.below(90) };
            let mut v = json!({"type": "string"});
            // Built by moving, not with `json!` (which would copy the inner value at every level).
            let object =
                |pairs: Vec<(&str, Value)>| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
            for i in 0..depth {
                v = match i % 3 {
                    0 => object(vec![("type", json!("array")), ("items", v)]),
                    1 => object(vec![("allOf", Value::Array(vec![v]))]),
                    _ => object(vec![("type", json!("object")), ("properties", object(vec![("n", v)]))]),
                };
            }
            schemas(doc).insert("Deep".into(), v);
            format!("schema Deep nested {depth} deep")
        }
        7 => {
            // Reference cycles through every combinator.
            let kinds = ["allOf", "anyOf", "oneOf", "$ref"];
            let (a, b) = (*rng.pick(&kinds), *rng.pick(&kinds));
            let link = |kind: &str, to: &str| {
                let r = json!({"$ref": format!("#/components/schemas/{to}")});
                if kind == "$ref" {
                    r
                } else {
                    json!({kind: [r, {"type": "string"}]})
                }
            };
            let s = schemas(doc);
            s.insert("CycA".into(), link(a, "CycB"));
            s.insert("CycB".into(), link(b, "CycA"));
            s.insert("CycU".into(), json!({"anyOf": [{"$ref": "#/components/schemas/CycA"}, {"type": "integer"}]}));
            format!("cycle CycA -{a}-> CycB -{b}-> CycA")
        }
        8 => {
            // A reference bomb: each level refers to the next twice.
            let levels = 30;
            let s = schemas(doc);
            for i in 0..levels {
                let next = json!({"$ref": format!("#/components/schemas/Bomb{}", i + 1)});
                let kind = ["allOf", "anyOf", "oneOf"][i % 3];
                s.insert(format!("Bomb{i}"), json!({kind: [next.clone(), next]}));
            }
            s.insert(format!("Bomb{levels}"), json!({"type": "object", "properties": {"x": {"type": "string"}}}));
            format!("reference bomb of {levels} levels")
        }
        9 => {
            // Every operationId the same.
            let mut n = 0;
            if let Some(Value::Object(paths)) = doc.get_mut("paths") {
                for item in paths.values_mut().filter_map(Value::as_object_mut) {
                    for op in item.values_mut().filter_map(Value::as_object_mut) {
                        op.insert("operationId".into(), json!("same"));
                        n += 1;
                    }
                }
            }
            format!("{n} operations with operationId `same`")
        }
        10 => {
            // Undeclared and duplicated path parameters.
            let path = ["/x/{undeclared}/{undeclared}", "/{a}{b}", "/y/{}", "/z/{id"][rng.below(4)];
            if !doc.get("paths").is_some_and(Value::is_object) {
                doc["paths"] = json!({});
            }
            doc["paths"][path] = json!({"get": {"parameters": [{"name": "other", "in": "path"}], "responses": {"200": {"description": "ok"}}}});
            format!("path {path} with undeclared parameters")
        }
        11 => {
            // Out-of-range numbers where numbers are expected.
            let values = [json!(u64::MAX), json!(-1e308), json!(1e308), json!(-1), json!(0.5)];
            let Some(Value::Object(m)) = at(doc, &place) else { return format!("nothing at {here}") };
            let key = *rng.pick(&["minimum", "maximum", "minLength", "maxItems", "multipleOf", "default", "format"]);
            let value = rng.pick(&values).clone();
            m.insert(key.into(), value.clone());
            format!("{here}/{key} = {value}")
        }
        _ => {
            // Odd versions and types.
            let versions = [json!("2.0"), json!("3.1.9"), json!(3), json!("4.0"), Value::Null];
            let v = rng.pick(&versions).clone();
            doc["openapi"] = v.clone();
            format!("openapi = {v}")
        }
    }
}

/// Apply `count` mutations; returns what they did.
pub fn mutate(doc: &mut Value, rng: &mut Rng, count: usize) -> Vec<String> {
    (0..count).map(|_| mutate_once(doc, rng)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutations() {
        // Mutations may nest thousands deep; serde_json clones and drops recursively.
        let run = std::thread::Builder::new().stack_size(256 << 20).spawn(same_seed_same_mutations).expect("spawn");
        if let Err(panic) = run.join() {
            std::panic::resume_unwind(panic);
        }
    }

    fn same_seed_same_mutations() {
        let base = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {}}}}});
        let (mut a, mut b) = (base.clone(), base.clone());
        let da = mutate(&mut a, &mut Rng::new(7), 5);
        let db = mutate(&mut b, &mut Rng::new(7), 5);
        assert_eq!(da, db);
        assert_eq!(a, b);
        let mut c = base.clone();
        mutate(&mut c, &mut Rng::new(8), 5);
        assert_ne!(a, c, "another seed, another document");
    }
}
