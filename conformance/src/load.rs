//! Loading case files: every `*.json` file under a directory, recursively,
//! in path order.

use std::path::{Path, PathBuf};

use crate::case::CaseFile;

/// A case file and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The file's path.
    pub path: PathBuf,
    /// Whether it is one of the crate's own cases (checked for coverage).
    pub primary: bool,
    /// Its content.
    pub file: CaseFile,
}

/// A file or directory that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The path.
    pub path: PathBuf,
    /// What was wrong.
    pub message: String,
}

/// Every `*.json` file under `dir`, sorted by path.
pub fn json_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|e| LoadError {
            path: current.clone(),
            message: format!("cannot read directory: {e}"),
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| LoadError {
                path: current.clone(),
                message: format!("cannot read directory entry: {e}"),
            })?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Parses one case file; an error names the JSON path, line and column.
pub fn parse(path: &Path, text: &str) -> Result<CaseFile, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let fail = |message: String| LoadError {
        path: path.to_path_buf(),
        message,
    };
    let file: CaseFile = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| fail(format!("at `{}`: {}", e.path(), e.inner())))?;
    de.end().map_err(|e| fail(e.to_string()))?;
    Ok(file)
}

/// Loads every case file under `dir`. Files that fail are reported, the
/// others still load.
pub fn load_dir(dir: &Path, primary: bool) -> (Vec<Loaded>, Vec<LoadError>) {
    let paths = match json_files(dir) {
        Ok(paths) => paths,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| LoadError {
                path: path.clone(),
                message: format!("cannot read file: {e}"),
            })
            .and_then(|text| parse(&path, &text));
        match parsed {
            Ok(file) => loaded.push(Loaded {
                path,
                primary,
                file,
            }),
            Err(e) => errors.push(e),
        }
    }
    (loaded, errors)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parse_errors_name_line_and_column() {
        let err = parse(
            Path::new("x.json"),
            "{\"operation\": \"a\",\n \"cases\": [], \"extra\": 1}",
        )
        .unwrap_err();
        assert!(
            err.message.contains("unknown field `extra`"),
            "{}",
            err.message
        );
        assert!(err.message.contains("line 2"), "{}", err.message);
        let err = parse(
            Path::new("x.json"),
            r#"{"operation": "a", "cases": [{"name": "n", "kind": "sample", "expect": {}}]}"#,
        )
        .unwrap_err();
        assert!(
            err.message.starts_with("at `cases[0].kind`"),
            "{}",
            err.message
        );
    }
}
