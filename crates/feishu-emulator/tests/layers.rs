//! The crate's modules form layers: no module reaches, directly or through
//! others, back to itself. A module is a top-level file or folder under
//! `src/`; an edge is any `crate::name` path in its code (comments aside).
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file under `src` belongs to; `None` for the crate root and
/// the binary.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => None,
        Some(name) => Some(name.to_owned()),
        None => Some(first),
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The modules a source text names through `crate::`: plain paths
/// (`crate::state::World`) and groups (`use crate::{a::X, b}`, across lines).
fn referenced(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| is_ident(c) || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start_of_item = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => start_of_item = true,
                    c if depth == 1 && start_of_item && is_ident(c) => {
                        let name: String =
                            group[i..].chars().take_while(|c| is_ident(*c)).collect();
                        found.insert(name);
                        start_of_item = false;
                    }
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// The module graph of the crate's `src`.
fn graph_of(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(src, f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let Some(module) = module_of(src, file) else {
            continue;
        };
        let uses = referenced(&fs::read_to_string(file).unwrap());
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(
            uses.into_iter()
                .filter(|u| *u != module && modules.contains(u)),
        );
    }
    graph
}

/// A circle of modules, if any: depth-first search for an edge back to a
/// module still on the path.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

fn graph(edges: &[(&str, &str)]) -> Graph {
    let mut g = Graph::new();
    for (from, to) in edges {
        g.entry((*from).to_owned())
            .or_default()
            .insert((*to).to_owned());
        g.entry((*to).to_owned()).or_default();
    }
    g
}

#[test]
fn the_module_graph_has_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = graph_of(&src);
    assert!(g.len() > 15, "modules found: {:?}", g.keys());
    assert_eq!(find_cycle(&g), None, "module graph: {g:#?}");
}

#[test]
fn the_core_sits_at_the_bottom() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = graph_of(&src);
    let below_core: BTreeSet<&str> = ["clock", "event_log", "events", "state"].into();
    let core: BTreeSet<&str> = g["core"].iter().map(String::as_str).collect();
    assert_eq!(core, below_core);
    for layer in [
        "router",
        "actions",
        "delivery",
        "ws",
        "admin",
        "server",
        "transport",
    ] {
        assert!(
            !g[layer].contains("emulator"),
            "`{layer}` reaches the public handle: {:?}",
            g[layer]
        );
    }
    let users_of_emulator: Vec<&String> = g
        .iter()
        .filter(|(_, to)| to.contains("emulator"))
        .map(|(from, _)| from)
        .collect();
    assert!(users_of_emulator.is_empty(), "{users_of_emulator:?}");
}

#[test]
fn the_reader_sees_plain_grouped_and_inline_paths() {
    let text = "use crate::state::{World, Chat};\n\
                use crate::{error::Failure,\n    events::{self, EmittedEvent}, ids};\n\
                // use crate::commented_out;\n\
                fn f() -> crate::clock::Clock { $crate::not_this::X }\n";
    let names: Vec<String> = referenced(text).into_iter().collect();
    assert_eq!(names, ["clock", "error", "events", "ids", "state"]);
}

#[test]
fn a_circle_is_found_and_a_layering_passes() {
    let layered = graph(&[("emulator", "core"), ("router", "core"), ("core", "state")]);
    assert_eq!(find_cycle(&layered), None);
    let circle = graph(&[
        ("emulator", "router"),
        ("router", "core"),
        ("core", "state"),
        ("state", "router"),
    ]);
    assert_eq!(
        find_cycle(&circle),
        Some(vec![
            "core".to_owned(),
            "state".to_owned(),
            "router".to_owned(),
            "core".to_owned()
        ])
    );
    let two = graph(&[("auth", "state"), ("state", "auth")]);
    assert!(find_cycle(&two).is_some());
}
