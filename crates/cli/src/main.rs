//! `kubeplay`: the command-line shell over `kubeplay-core`, for CI and the terminal.
//!
//! The interface (commands, flags, exit codes, output formats) is documented in
//! `docs/cli.md` and is stable: change it only in ways that keep existing scripts working.

mod args;
mod explain;
mod input;
mod lessons;
mod position;
mod report;
mod rules;
mod simulate;
mod style;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, Format, LessonsAction, RulesFormat};
use crate::input::{Checked, InputError};

/// Exit status: no error-severity diagnostic.
const EXIT_OK: u8 = 0;
/// Exit status: at least one error-severity diagnostic.
const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage error or unreadable input.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            // A closed pipe while printing is not worth a panic.
            let _ = err.print();
            let code = u8::try_from(err.exit_code()).unwrap_or(EXIT_USAGE);
            return ExitCode::from(code);
        }
    };
    ExitCode::from(run(cli))
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Simulate(args) => match simulate::run(&args.scenario) {
            Ok(timeline) => {
                let result = emit(|out| match args.format {
                    RulesFormat::Text => simulate::text(out, &timeline),
                    RulesFormat::Json => simulate::json(out, &timeline),
                });
                finish_write(result, EXIT_OK)
            }
            Err(message) => {
                stderr_line(&format!("error: {message}"));
                EXIT_USAGE
            }
        },
        Command::Check(check) => {
            let color = style::Style::new(check.color.enabled());
            run_check(&check.paths, &check.ignore, check.format, color)
        }
        Command::Rules(rules) => {
            let result = emit(|out| match rules.format {
                RulesFormat::Text => rules::text(out),
                RulesFormat::Json => rules::json(out),
            });
            finish_write(result, EXIT_OK)
        }
        Command::Explain(explain) => {
            let mut found = Ok(());
            let result = emit(|out| {
                found = explain::write(out, &explain.resource)?;
                Ok(())
            });
            match found {
                Ok(()) => finish_write(result, EXIT_OK),
                Err(message) => {
                    stderr_line(&format!("error: {message}"));
                    EXIT_USAGE
                }
            }
        }
        Command::Lessons(args) => run_lessons(&args),
    }
}

fn run_lessons(args: &args::LessonsArgs) -> u8 {
    let dir = match &args.action {
        Some(LessonsAction::Check { dir }) => dir.as_deref(),
        None => None,
    };
    let loaded = match dir {
        Some(d) => lessons::load_dir(d),
        None => lessons::builtin(),
    };
    let list = match loaded {
        Ok(list) => list,
        Err(message) => {
            stderr_line(&format!("error: {message}"));
            return EXIT_USAGE;
        }
    };
    if args.action.is_none() {
        let result = emit(|out| match args.format {
            RulesFormat::Text => lessons::text(out, &list),
            RulesFormat::Json => lessons::json(out, &list),
        });
        return finish_write(result, EXIT_OK);
    }
    let mut all_ok = false;
    let result = emit(|out| {
        all_ok = lessons::check(out, &list)?;
        Ok(())
    });
    finish_write(result, if all_ok { EXIT_OK } else { EXIT_FINDINGS })
}

fn run_check(
    paths: &[std::path::PathBuf],
    ignore: &[String],
    format: Format,
    style: style::Style,
) -> u8 {
    if let Some(unknown) = ignore
        .iter()
        .find(|c| !kubeplay_core::registry::rules().any(|r| r.code == c.as_str()))
    {
        stderr_line(&format!(
            "error: --ignore {unknown}: no check has this code (see `kubeplay rules`)"
        ));
        return EXIT_USAGE;
    }
    let collected = input::collect(paths);
    for note in &collected.notes {
        stderr_line(&format!("note: {note}"));
    }
    let mut failures: Vec<InputError> = collected.errors;
    let mut files: Vec<Checked> = Vec::with_capacity(collected.sources.len());
    for result in input::check_all(collected.sources) {
        match result {
            Ok(mut checked) => {
                checked
                    .analysis
                    .diagnostics
                    .retain(|d| !ignore.iter().any(|c| c == d.code));
                files.push(checked);
            }
            Err(err) => failures.push(err),
        }
    }
    for err in &failures {
        stderr_line(&format!("error: {err}"));
    }
    let errors: usize = files
        .iter()
        .map(|f| f.analysis.count(kubeplay_core::Severity::Error))
        .sum();
    let status = if !failures.is_empty() {
        EXIT_USAGE
    } else if errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    let result = emit(|out| match format {
        Format::Text => report::text::write(out, &files, style),
        Format::Json => report::json::write(out, &files),
        Format::Sarif => report::sarif::write(out, &files),
    });
    // The process is about to exit: freeing every YAML node one by one is wasted time
    // (about 5% of a large run); the operating system takes the memory back at once.
    std::mem::forget(files);
    finish_write(result, status)
}

/// Runs `body` against a buffered stdout and flushes it.
fn emit(body: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    body(&mut out)?;
    out.flush()
}

/// A reader that went away (`kubeplay check . | head -1`) is not an error: the status stays
/// what the check found. Any other write failure (a full disk) is reported, status 2.
fn finish_write(result: io::Result<()>, status: u8) -> u8 {
    match result {
        Ok(()) => status,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => status,
        Err(err) => {
            stderr_line(&format!("error: cannot write the report: {err}"));
            EXIT_USAGE
        }
    }
}

/// Writes one line to stderr, ignoring a closed stderr.
fn stderr_line(line: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "kubeplay: {line}");
}
