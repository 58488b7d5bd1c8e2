//! `cargo run -p conformance [-- --cases DIR ...]`: runs `conformance/cases/`
//! and every extra case directory, prints one row per operation and the
//! closing `N passed, N failed` line; exits non-zero on any failure.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: conformance [--cases DIR]... [--emulator-failures] [--write-emulator-baseline]\n\
    Runs conformance/cases/ and every --cases DIR (repeatable), then the\n\
    emulator target over conformance/cases/ (--emulator-failures lists what\n\
    it does not pass; --write-emulator-baseline records what it passes).";

fn main() -> ExitCode {
    let mut config = conformance::Config::default();
    let mut show_failures = false;
    let mut write_baseline = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--cases" => match args.next() {
                Some(dir) => config.extra.push(PathBuf::from(dir)),
                None => {
                    eprintln!("--cases needs a directory\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--emulator-failures" => show_failures = true,
            "--write-emulator-baseline" => write_baseline = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let emulator_ok = match emulator_target(&config, show_failures, write_baseline) {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(conformance::run(&config)) {
        Ok(report) => {
            print!("{}", report.render());
            if report.ok() && emulator_ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Runs the emulator target over the crate's cases, prints its figure and
/// any regression against the baseline; whether nothing regressed.
fn emulator_target(
    config: &conformance::Config,
    show_failures: bool,
    write_baseline: bool,
) -> Result<bool, String> {
    use conformance::emulator;
    let (files, _) = conformance::load::load_dir(&config.cases, true);
    let files: Vec<_> = files.into_iter().map(|l| l.file).collect();
    let scope = emulator::read(&emulator::out_of_scope_path())?;
    let report = emulator::run(&files, &scope);
    if show_failures {
        print!("{}", report.failures());
    }
    if write_baseline {
        let text = serde_json::to_string_pretty(&report.baseline()).map_err(|e| e.to_string())?;
        std::fs::write(emulator::baseline_path(), text + "\n").map_err(|e| e.to_string())?;
    }
    let baseline = emulator::read(&emulator::baseline_path())?;
    let regressions = report.regressions(&baseline);
    for r in &regressions {
        println!("emulator regression: {r}");
    }
    println!("{}", report.summary());
    Ok(regressions.is_empty())
}
