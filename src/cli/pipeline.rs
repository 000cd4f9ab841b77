//! What the emitting commands (`export`, `render`, `table`, `report`) share:
//! read and compile one input, print its diagnostics, and deliver the text
//! atomically to a file or to stdout.

use std::path::Path;
use std::process::ExitCode;

use super::config::{ConfigArgs, Configs};
use super::output::same_file;
use super::print::{self, errln};
use super::{
    fail, print_stdout, read_input_limited, status, write_atomic, Color, Input, InputLimits,
};
use crate::report::{self, FileReport};

/// Reads and compiles `file` with its project configuration, printing its
/// diagnostics to stderr. When the model (or its configuration) has
/// errors, says that no `what` was written and gives the exit code to
/// return.
pub fn compile_input(
    file: &str,
    limits: &InputLimits,
    config: &ConfigArgs,
    color: Color,
    what: &str,
) -> Result<(Input, crate::Compilation), ExitCode> {
    compile_input_with_options(file, limits, config, color, what).map(|(i, c, _)| (i, c))
}

/// As `compile_input`, also giving the options it compiled with (to
/// compile a rewrite of the model the same way).
pub fn compile_input_with_options(
    file: &str,
    limits: &InputLimits,
    config: &ConfigArgs,
    color: Color,
    what: &str,
) -> Result<(Input, crate::Compilation, crate::CompileOptions), ExitCode> {
    let mut configs = Configs::new(config, limits).map_err(fail)?;
    let input = read_input_limited(file, limits).map_err(fail)?;
    let resolved = match configs.for_input(&input) {
        Ok(resolved) => resolved,
        Err(problem) => {
            configs.say(&problem, color.enabled_for_stderr());
            errln!(
                "error: `{}`: {}; no {what} written",
                crate::emit::text::visible(&input.name),
                problem.why()
            );
            return Err(ExitCode::from(problem.status()));
        }
    };
    let options = resolved.options();
    let compilation = crate::compile_with(&input.text, &options);
    if !compilation.diagnostics.is_empty() {
        let report = FileReport {
            name: &input.name,
            source: &compilation.source,
            diagnostics: &compilation.diagnostics,
        };
        print::stderr(report::human(
            &report,
            color.enabled_for_stderr(),
            super::stderr_width(),
        ));
    }
    if compilation.valid().is_none() {
        errln!("error: `{}` has errors; no {what} written", input.name);
        return Err(ExitCode::from(status::FAILED));
    }
    Ok((input, compilation, options))
}

/// Refuses an output that is the input file itself.
pub fn check_not_input(input: &Input, output: Option<&Path>) -> Result<(), ExitCode> {
    match (input.path.as_deref(), file_output(output)) {
        (Some(path), Some(out)) if same_file(path, out) => Err(fail(format!(
            "refusing to write over the input file `{}`",
            out.display()
        ))),
        _ => Ok(()),
    }
}

/// The file an `-o OUT` names: none for `-`, which means stdout (as a
/// `-` input means stdin).
pub fn file_output(output: Option<&Path>) -> Option<&Path> {
    output.filter(|out| out.as_os_str() != "-")
}

/// Writes `text` to `output` atomically (refusing to write over the
/// input), or to stdout (no `output`, or `-`); a closed stdout (`| head`)
/// is not an error.
pub fn deliver(input: &Input, output: Option<&Path>, text: &str) -> ExitCode {
    if let Err(code) = check_not_input(input, output) {
        return code;
    }
    match file_output(output) {
        Some(out) => {
            if let Err(e) = write_atomic(out, text.as_bytes()) {
                return fail(format!("cannot write `{}`: {e}", out.display()));
            }
        }
        None => {
            if let Err(code) = print_stdout(text) {
                return code;
            }
        }
    }
    ExitCode::from(status::OK)
}
