//! The `notice-pdf` command: a thin shell over the library, `main → run(parse())`. Each
//! command is a module of `cli`. Exit codes, all of them here: 0 ok, 1 data or render error,
//! 2 usage error; nothing else (a panic is reported as an internal error, exit 1; a closed
//! pipe ends the program quietly, exit 0, the way ripgrep does).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use notice_pdf::Error;

mod cli;
use cli::args::{BuildArgs, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(std::io::stderr(), "error: internal error: {info}");
        let _ = writeln!(
            std::io::stderr(),
            "hint: this is a bug in notice-pdf: please report it with the data file"
        );
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(Failure::Error(e))) => {
            report(&e);
            ExitCode::from(1)
        }
        Ok(Err(Failure::Usage(msg))) => {
            say(&format!("error: {msg}"));
            ExitCode::from(2)
        }
        Ok(Err(Failure::ClosedPipe)) => ExitCode::SUCCESS,
        // The hook has reported it.
        Err(_) => ExitCode::from(1),
    }
}

/// Runs the command; without one, `build` with its defaults.
fn run(cli: Cli) -> Res {
    match cli.command {
        None => cli::build::run(BuildArgs::default()),
        Some(Command::Build(args)) => cli::build::run(args),
        Some(Command::Render(args)) => cli::render::render(args),
        Some(Command::Pack(args)) => cli::render::pack(args),
        Some(Command::Html(args)) => cli::render::html(args),
        Some(Command::Diff(args)) => cli::diff::run(args),
        Some(Command::Audit(command)) => cli::audit::run(command),
        Some(Command::Verify(args)) => cli::verify::run(args),
        Some(Command::Preview(args)) => cli::preview::run(args),
        #[cfg(feature = "serve")]
        Some(Command::Serve(args)) => cli::serve::run(args),
        Some(Command::Check(args)) => cli::check::run(args),
    }
}

/// Why a command did not succeed.
enum Failure {
    /// A data, render or I/O error: exit 1.
    Error(Error),
    /// A usage problem found after argument parsing: exit 2, like clap's.
    Usage(String),
    /// The reader of standard output went away: stop quietly.
    ClosedPipe,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

type Res<T = ExitCode> = Result<T, Failure>;

/// Prints an error with its hints on standard error.
fn report(e: &Error) {
    match e {
        Error::Data(diags) => {
            for d in diags {
                say(&format!("error: {d}"));
                if let Some(h) = &d.hint {
                    say(&format!("hint: {h}"));
                }
            }
        }
        other => {
            say(&format!("error: {other}"));
            for h in other.hints() {
                say(&format!("hint: {h}"));
            }
        }
    }
}

/// Prints a line to standard error; a failure to print is ignored (there is nowhere to say it).
fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Writes to standard output; a closed pipe becomes [`Failure::ClosedPipe`].
fn emit(bytes: &[u8]) -> Res<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::ClosedPipe),
        Err(e) => Err(Failure::Error(Error::Io {
            action: "write",
            path: "<stdout>".into(),
            source: e,
        })),
    }
}
