//! `cargo run -p conformance --bin extract [-- --docs DIR --out DIR --manifest FILE --check]`:
//! regenerates `conformance/cases/` and `conformance/coverage.json` from the
//! documentation. `--check` writes nothing and fails when the committed
//! files differ from what the docs give.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: extract [--docs DIR] [--out DIR] [--manifest FILE] [--check]\n\
    --docs      documentation folder (default: ../shared/feishu-docs from the workspace root)\n\
    --out       case folder to write (default: conformance/cases)\n\
    --manifest  coverage manifest to write (default: conformance/coverage.json)\n\
    --check     compare with the files on disk instead of writing";

fn main() -> ExitCode {
    let mut docs = conformance::extract::default_docs_dir();
    let mut out = conformance::default_cases_dir();
    let mut manifest = conformance::default_manifest();
    let mut check = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let parsed = match arg.as_str() {
            "--docs" => value("--docs").map(|v| docs = v),
            "--out" => value("--out").map(|v| out = v),
            "--manifest" => value("--manifest").map(|v| manifest = v),
            "--check" => {
                check = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument `{other}`")),
        };
        if let Err(e) = parsed {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let output = match conformance::extract::generate(&docs) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("extraction failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let totals = output.manifest.totals();
    let cases = output.cases;
    if check {
        let diffs = conformance::extract::differences(&output, &out, &manifest);
        for d in &diffs {
            println!("{d}");
        }
        if !diffs.is_empty() {
            println!(
                "{} files differ: run the extract tool without --check",
                diffs.len()
            );
            return ExitCode::FAILURE;
        }
        println!("up to date: {} case files", output.files.len());
        return ExitCode::SUCCESS;
    }
    if let Err(e) = conformance::extract::write(&output, &out, &manifest) {
        eprintln!("writing failed: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} case files ({cases} cases) to {}: {} operations, {} examples ({} JSON blocks), {} error rows",
        output.files.len(),
        out.display(),
        totals.operations,
        totals.examples,
        totals.json_blocks,
        totals.error_rows
    );
    ExitCode::SUCCESS
}
