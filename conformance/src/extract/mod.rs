//! The extraction tool: reads the documentation (every `INDEX*.md`, markdown
//! tables and `json` code fences) and writes the case files and the
//! coverage manifest.
//!
//! Every endpoint and event row of the index files is covered; their guide
//! and reference pages are counted in the manifest. Each HTTP row is bound to its model type
//! with [`feishu_model::registry::route`], so the operation id is the
//! model's own. Output is deterministic: files in a fixed order, pretty
//! JSON, object keys sorted, so regenerating unchanged docs gives no diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use feishu_model::Method;

use crate::coverage::{GuideCounts, Manifest};

pub mod cases;
pub mod clean;
pub mod corrections;
pub mod index;
pub mod markdown;
pub mod page;

/// The docs folder used when none is given: `../shared/feishu-docs`
/// relative to the workspace root.
pub fn default_docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/feishu-docs")
}

/// Everything one extraction produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Case files by path relative to the cases folder, with their text.
    pub files: BTreeMap<PathBuf, String>,
    /// The coverage manifest.
    pub manifest: Manifest,
    /// Cases over all files.
    pub cases: usize,
}

impl Output {
    /// The manifest as written to disk.
    pub fn manifest_text(&self) -> Result<String, String> {
        pretty(&self.manifest)
    }
}

/// Pretty JSON with a trailing newline.
pub fn pretty<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| e.to_string())
}

/// The case file name of an operation: `<operation>.json`, events under
/// `events/<event_type>.json` (`:` is not allowed in file names everywhere).
pub fn file_name(operation: &str) -> PathBuf {
    match operation.strip_prefix(crate::run::EVENT_PREFIX) {
        Some(event) => Path::new("events").join(format!("{event}.json")),
        None => PathBuf::from(format!("{operation}.json")),
    }
}

/// The index files of the docs folder: every `INDEX*.md` directly in it,
/// sorted by name (`INDEX.md` first).
pub fn index_files(docs: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(docs).map_err(|e| format!("{}: {e}", docs.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", docs.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("INDEX") && name.ends_with(".md") {
            names.push(name);
        }
    }
    names.sort();
    if names.is_empty() {
        return Err(format!("{}: no INDEX*.md file", docs.display()));
    }
    Ok(names)
}

/// Reads every index file and merges them: rows in file order, guide pages
/// likewise. All must name the same source repository and commit.
pub fn read_indexes(docs: &Path) -> Result<index::Index, String> {
    let mut merged: Option<index::Index> = None;
    for name in index_files(docs)? {
        let path = docs.join(&name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let one = index::parse(&text).map_err(|e| format!("{name}: {e}"))?;
        match merged.as_mut() {
            None => merged = Some(one),
            Some(all) => {
                if (all.source.as_str(), all.commit.as_str())
                    != (one.source.as_str(), one.commit.as_str())
                {
                    return Err(format!(
                        "{name}: source `{}` at `{}`, other indexes `{}` at `{}`",
                        one.source, one.commit, all.source, all.commit
                    ));
                }
                all.rows.extend(one.rows);
                all.guides.extend(one.guides);
            }
        }
    }
    merged.ok_or_else(|| format!("{}: no INDEX*.md file", docs.display()))
}

/// Counts a guide page: its `json` blocks (any case of the tag) (and those that are not strict
/// JSON) and its error-table rows, next to what the index states.
fn guide_counts(row: &index::GuideRow, text: &str) -> GuideCounts {
    let page = markdown::parse(text);
    let json: Vec<_> = page
        .blocks
        .iter()
        .filter(|b| b.lang.eq_ignore_ascii_case("json"))
        .collect();
    GuideCounts {
        page: row.page.clone(),
        json_blocks: json.len(),
        index_json_blocks: row.json_blocks,
        invalid: json
            .iter()
            .filter(|b| serde_json::from_str::<serde_json::Value>(&b.text).is_err())
            .count(),
        index_invalid: row.invalid,
        error_rows: page
            .tables
            .iter()
            .filter(|t| t.column("错误码").is_some())
            .map(|t| t.rows.len())
            .sum(),
        index_error_rows: row.error_rows,
    }
}

/// Builds the case file of one index row from its page's text.
fn page_file(row: &index::IndexRow, text: &str) -> Result<cases::Generated, String> {
    let doc = page::read(&row.doc, text)?;
    if row.is_event() {
        return cases::event_file(row, &doc);
    }
    let m = Method::parse(&row.method)
        .ok_or_else(|| format!("{}: unknown method `{}`", row.doc, row.method))?;
    let (info, _) = feishu_model::registry::route(m, &row.target).ok_or_else(|| {
        format!(
            "{} {}: no model endpoint routes here",
            row.method, row.target
        )
    })?;
    if info.path != row.target {
        return Err(format!(
            "{} {}: routed to `{}` ({}), a different template",
            row.method, row.target, info.operation, info.path
        ));
    }
    let binding = crate::registry::find(info.operation)
        .ok_or_else(|| format!("{}: not bound", info.operation))?;
    cases::api_file(row, &doc, info.operation, binding.response)
}

/// Reads the docs under `docs` and builds every case file.
pub fn generate(docs: &Path) -> Result<Output, String> {
    let read = |rel: &str| {
        std::fs::read_to_string(docs.join(rel))
            .map_err(|e| format!("{}: {e}", docs.join(rel).display()))
    };
    let index = read_indexes(docs)?;
    let mut files = BTreeMap::new();
    let mut pages = Vec::new();
    let mut total = 0;
    let mut failures = Vec::new();
    for row in index.rows.iter() {
        let generated = match page_file(row, &read(&row.doc)?) {
            Ok(generated) => generated,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let name = file_name(&generated.file.operation);
        if files
            .insert(name.clone(), pretty(&generated.file)?)
            .is_some()
        {
            return Err(format!("two pages produce {}", name.display()));
        }
        total += generated.file.cases.len();
        pages.push(generated.counts);
    }
    if !failures.is_empty() {
        return Err(failures.join("\n"));
    }
    pages.sort_by(|a, b| a.operation.cmp(&b.operation));
    let mut guides = Vec::new();
    for row in &index.guides {
        if guides.iter().any(|g: &GuideCounts| g.page == row.page) {
            continue;
        }
        guides.push(guide_counts(row, &read(&row.page)?));
    }
    guides.sort_by(|a, b| a.page.cmp(&b.page));
    Ok(Output {
        files,
        manifest: Manifest {
            source: index.source,
            commit: index.commit,
            pages,
            guides,
        },
        cases: total,
    })
}

/// Differences between `output` and what is on disk: files that would be
/// written, changed or removed.
pub fn differences(output: &Output, cases_dir: &Path, manifest: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let existing: Vec<PathBuf> = crate::load::json_files(cases_dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.strip_prefix(cases_dir).ok().map(Path::to_path_buf))
        .collect();
    for stale in existing.iter().filter(|p| !output.files.contains_key(*p)) {
        out.push(format!(
            "{} would be removed",
            cases_dir.join(stale).display()
        ));
    }
    let mut wanted: Vec<(PathBuf, Result<String, String>)> = output
        .files
        .iter()
        .map(|(rel, text)| (cases_dir.join(rel), Ok(text.clone())))
        .collect();
    wanted.push((manifest.to_path_buf(), output.manifest_text()));
    for (path, text) in wanted {
        match (text, std::fs::read_to_string(&path)) {
            (Err(e), _) => out.push(format!("{}: {e}", path.display())),
            (Ok(want), Ok(have)) if want == have => {}
            (Ok(_), Ok(_)) => out.push(format!("{} would change", path.display())),
            (Ok(_), Err(_)) => out.push(format!("{} would be written", path.display())),
        }
    }
    out
}

/// Writes the case files and the manifest; removes other `*.json` files
/// under `cases_dir` (cases of pages that no longer exist).
pub fn write(output: &Output, cases_dir: &Path, manifest: &Path) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if cases_dir.exists() {
        for path in crate::load::json_files(cases_dir).map_err(|e| e.message)? {
            let rel = path.strip_prefix(cases_dir).map_err(|e| e.to_string())?;
            if !output.files.contains_key(rel) {
                std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
            }
        }
    }
    for (rel, text) in &output.files {
        let path = cases_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    std::fs::write(manifest, output.manifest_text()?).map_err(|e| io(manifest, e))
}
