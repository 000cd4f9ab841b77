//! The one way the command line prints: every byte src/cli sends to stdout
//! or stderr goes through this module (`tests/cli_pipe.rs` fails on a
//! `println!`, `eprintln!` or `io::stdout()` anywhere else in src/cli).
//!
//! **A closed stdout is the end of the job.** When the reader goes away
//! (`tmd diff A B | head -c1`, a pager the user quits, git's diff driver
//! behind one), [`stdout`] notes it and returns `Ok`: the text is dropped,
//! every later call prints nothing, commands that go on through several
//! files stop ([`stdout_closed`]), and the command exits quietly, with no
//! message and the exit status its work gives (`tmd diff` still exits 1
//! when the models differ, `tmd check` 1 on an error): what a Unix filter
//! does, without dying of SIGPIPE. Any other write error (a full disk
//! behind `> out.json`) is an error: [`StdoutError`], exit 2.
//!
//! Stderr carries diagnostics and messages; when it is closed too
//! (`2>&1 | head`) they are lost silently, and nothing else changes:
//! the outputs are still written, the exit status is the same.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writing to stdout failed, and not because its reader left.
#[derive(Debug)]
pub struct StdoutError(std::io::Error);

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write to stdout: {}", self.0)
    }
}

/// Writes `text` to stdout and flushes it. A reader that went away is not
/// an error: see the module's doc.
pub fn stdout(text: impl AsRef<[u8]>) -> Result<(), StdoutError> {
    if stdout_closed() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(StdoutError(e)),
    }
}

/// Whether stdout's reader has gone: the job is over.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Writes `text` to stderr; a failure is ignored (there is nowhere left
/// to report it).
pub fn stderr(text: impl AsRef<[u8]>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_ref());
    let _ = err.flush();
}

/// [`stderr`] for `format_args!`: what [`errln!`] expands to.
pub fn stderr_fmt(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args);
    let _ = err.flush();
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// `eprintln!` that cannot panic: a line on stderr through [`stderr_fmt`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::print::stderr_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use errln;

/// The width to wrap diagnostics at on standard error: the terminal's,
/// else `COLUMNS`, else [`crate::report::DEFAULT_WIDTH`].
pub fn stderr_width() -> usize {
    width_of(terminal_size::terminal_size_of(std::io::stderr()))
}

fn width_of(terminal: Option<(terminal_size::Width, terminal_size::Height)>) -> usize {
    if let Some((terminal_size::Width(w), _)) = terminal {
        if w > 0 {
            return usize::from(w);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .unwrap_or(crate::report::DEFAULT_WIDTH)
        .min(1000)
}
