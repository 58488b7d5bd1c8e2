//! `cargo run -p conformance [-- --cases DIR ...]`: runs `conformance/cases/`
//! and every extra case directory, prints one row per operation and the
//! closing `N passed, N failed` line; exits non-zero on any failure.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: conformance [--cases DIR]...\n\
    Runs conformance/cases/ and every --cases DIR (repeatable).";

fn main() -> ExitCode {
    let mut config = conformance::Config::default();
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
    match runtime.block_on(conformance::run(&config)) {
        Ok(report) => {
            print!("{}", report.render());
            if report.ok() {
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
