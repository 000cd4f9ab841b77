//! Reading model files (or stdin) as UTF-8 text, with clear errors, and
//! never more than a size limit (docs/limits.md).

use std::fmt;
use std::io::Read;
use std::path::PathBuf;

/// The default `--max-input-size`: 10 MiB.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 10 * 1024 * 1024;

/// Limits on what a command reads; every command that reads models
/// flattens this into its arguments (`#[command(flatten)]`).
#[derive(clap::Args, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputLimits {
    /// Refuse a model file larger than this: bytes, or with a suffix K, M
    /// or G (KiB, MiB, GiB)
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "10M",
        value_parser = parse_size,
        help_heading = "Limits"
    )]
    pub max_input_size: u64,
}

impl Default for InputLimits {
    fn default() -> InputLimits {
        InputLimits {
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
        }
    }
}

/// `1234`, `64K`, `10M`, `1G` (binary multiples; `KiB`, `MB` and the like
/// are accepted too, all binary).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, suffix) = t.split_at(digits_end);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (write bytes, or e.g. 64K, 10M, 1G)"))?;
    let shift = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size (write bytes, or e.g. 64K, 10M, 1G)"
            ))
        }
    };
    number
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{text}` is too large a size"))
}

/// A size for people: `10 MiB (10,485,760 bytes)`.
pub fn describe_size(bytes: u64) -> String {
    let grouped = group_digits(bytes);
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit} ({grouped} bytes)", bytes >> shift);
        }
    }
    format!("{grouped} bytes")
}

fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

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
    Io {
        name: String,
        error: std::io::Error,
    },
    Directory {
        name: String,
    },
    NotUtf8 {
        name: String,
        offset: usize,
    },
    /// Larger than `--max-input-size`; `size` when it is known before
    /// reading (a regular file).
    TooLarge {
        name: String,
        size: Option<u64>,
        limit: u64,
    },
}

impl InputError {
    /// The input's name as shown: the path as given, or `<stdin>`.
    pub fn name(&self) -> &str {
        match self {
            InputError::Io { name, .. }
            | InputError::Directory { name }
            | InputError::NotUtf8 { name, .. }
            | InputError::TooLarge { name, .. } => name,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { name, error } => {
                write!(f, "cannot read `{name}`: {}", describe(error))
            }
            InputError::Directory { name } => {
                write!(f, "`{name}` is a directory, not a model file")
            }
            InputError::NotUtf8 { name, offset } => {
                write!(
                    f,
                    "`{name}` is not UTF-8 text: invalid byte sequence at byte offset {offset}"
                )
            }
            InputError::TooLarge { name, size, limit } => {
                match size {
                    Some(size) => write!(f, "`{name}` is {}", describe_size(*size))?,
                    None => write!(f, "`{name}` is larger than {}", describe_size(*limit))?,
                }
                write!(
                    f,
                    ", over the input size limit of {}; raise it with --max-input-size (e.g. --max-input-size {}M)",
                    describe_size(*limit),
                    (limit >> 20).saturating_mul(2).max(1)
                )
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

/// Reads `arg`: a path, or `-` for stdin, within the default limits.
pub fn read_input(arg: &str) -> Result<Input, InputError> {
    read_input_limited(arg, &InputLimits::default())
}

/// Reads `arg`: a path, or `-` for stdin. Never reads more than
/// `limits.max_input_size + 1` bytes: a larger file (or an endless stream
/// such as `/dev/zero`) is refused after that much.
pub fn read_input_limited(arg: &str, limits: &InputLimits) -> Result<Input, InputError> {
    let limit = limits.max_input_size;
    let (name, path, bytes) = if arg == "-" {
        let name = "<stdin>".to_string();
        let bytes = read_limited(std::io::stdin().lock(), &name, limit)?;
        (name, None, bytes)
    } else {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            return Err(InputError::Directory {
                name: arg.to_string(),
            });
        }
        let io = |error| InputError::Io {
            name: arg.to_string(),
            error,
        };
        let file = std::fs::File::open(&path).map_err(io)?;
        let metadata = file.metadata().map_err(io)?;
        if metadata.is_dir() {
            return Err(InputError::Directory {
                name: arg.to_string(),
            });
        }
        // A regular file's size is known: refuse it without reading it.
        if metadata.is_file() && metadata.len() > limit {
            return Err(InputError::TooLarge {
                name: arg.to_string(),
                size: Some(metadata.len()),
                limit,
            });
        }
        let bytes = read_limited(file, arg, limit)?;
        (arg.to_string(), Some(path), bytes)
    };
    decode(name, path, bytes)
}

/// Reads at most `limit` bytes of `reader`; more is an error.
pub fn read_limited(reader: impl Read, name: &str, limit: u64) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| InputError::Io {
            name: name.to_string(),
            error,
        })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            name: name.to_string(),
            size: None,
            limit,
        });
    }
    Ok(bytes)
}

/// The text of `bytes`, or where it stops being UTF-8.
pub fn decode(name: String, path: Option<PathBuf>, bytes: Vec<u8>) -> Result<Input, InputError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Input { name, path, text }),
        Err(e) => Err(InputError::NotUtf8 {
            name,
            offset: e.utf8_error().valid_up_to(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("1234"), Ok(1234));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("10M"), Ok(DEFAULT_MAX_INPUT_SIZE));
        assert_eq!(parse_size("10mib"), Ok(DEFAULT_MAX_INPUT_SIZE));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("10X").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert!(parse_size("17179869184G").is_err());
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(
            describe_size(DEFAULT_MAX_INPUT_SIZE),
            "10 MiB (10,485,760 bytes)"
        );
        assert_eq!(describe_size(999), "999 bytes");
        assert_eq!(describe_size(1_000_001), "1,000,001 bytes");
        assert_eq!(describe_size(2048), "2 KiB (2,048 bytes)");
    }

    #[test]
    fn reading_stops_after_the_limit() {
        let endless = std::io::repeat(b'x');
        match read_limited(endless, "zero", 1000) {
            Err(InputError::TooLarge {
                size: None,
                limit: 1000,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(read_limited(&b"abc"[..], "f", 3).unwrap(), b"abc");
        let e = read_limited(&b"abcd"[..], "f.tmd", 3)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "`f.tmd` is larger than 3 bytes, over the input size limit of 3 bytes; \
             raise it with --max-input-size (e.g. --max-input-size 1M)"
        );
    }
}
