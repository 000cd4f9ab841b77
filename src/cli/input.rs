//! Reading model files (or stdin) as UTF-8 text, with clear errors.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;

/// A source text read from a file or stdin.
#[derive(Debug)]
pub struct Input {
    /// As shown to the user: the path as given, or `<stdin>`.
    pub name: String,
    /// The path, unless read from stdin.
    pub path: Option<PathBuf>,
    pub text: String,
}

#[derive(Debug)]
pub enum InputError {
    Io { name: String, error: std::io::Error },
    Directory { name: String },
    NotUtf8 { name: String, offset: usize },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { name, error } => write!(f, "cannot read `{name}`: {}", describe(error)),
            InputError::Directory { name } => write!(f, "`{name}` is a directory, not a model file"),
            InputError::NotUtf8 { name, offset } => {
                write!(f, "`{name}` is not UTF-8 text: invalid byte sequence at byte offset {offset}")
            }
        }
    }
}

fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// Reads `arg`: a path, or `-` for stdin.
pub fn read_input(arg: &str) -> Result<Input, InputError> {
    let (name, path, bytes) = if arg == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|error| InputError::Io { name: "<stdin>".into(), error })?;
        ("<stdin>".to_string(), None, bytes)
    } else {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            return Err(InputError::Directory { name: arg.to_string() });
        }
        let bytes = std::fs::read(&path).map_err(|error| InputError::Io { name: arg.to_string(), error })?;
        (arg.to_string(), Some(path), bytes)
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Input { name, path, text }),
        Err(e) => Err(InputError::NotUtf8 {
            name,
            offset: e.utf8_error().valid_up_to(),
        }),
    }
}
