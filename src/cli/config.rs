//! The project configuration in force for each model a command reads
//! (docs/config.md): the `tmd.toml` nearest above the model's folder, up to
//! the project root and never beyond it (the folder of the nearest `.git`;
//! without one, the model's own folder), or the file `--config` names, or
//! none (`--no-config`); and the date the checks take as today (`--today`,
//! else `SOURCE_DATE_EPOCH`, else the system clock's UTC date). Standard
//! input and `REV:PATH` search from the current folder.
//!
//! Each file is read and parsed once per run, and its errors said once,
//! however many models it governs. `tmd check --show-config` prints what
//! is in force and where each value came from (`show`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::{json, Value};

use super::print;
use super::project::project_root;
use super::{read_input_limited, Input, InputLimits};
use crate::config::{Config, Setting, FILE_NAME};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{parse_date, Date, Severity};
use crate::report::{self, FileReport};
use crate::span::LineIndex;
use crate::CompileOptions;

/// The options of every command that compiles a model.
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigArgs {
    /// Read the project configuration from FILE instead of the tmd.toml found above each model
    #[arg(long, value_name = "FILE", help_heading = "Configuration")]
    pub config: Option<PathBuf>,
    /// Read no tmd.toml: the language's defaults and the default set of checks
    #[arg(long, conflicts_with = "config", help_heading = "Configuration")]
    pub no_config: bool,
    /// The date the checks take as today, YYYY-MM-DD [default: the date of SOURCE_DATE_EPOCH when set, else the system clock's (UTC)]
    #[arg(long, value_name = "DATE", value_parser = parse_today, help_heading = "Configuration")]
    pub today: Option<Date>,
}

/// `--today`: a date that exists, written `YYYY-MM-DD`.
pub fn parse_today(text: &str) -> Result<Date, String> {
    let shaped = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    match parse_date(text).filter(|_| shaped) {
        Some(date) => Ok(date),
        None => Err(format!(
            "`{}` is not a date: write YYYY-MM-DD, a day that exists (e.g. 2025-01-31)",
            crate::emit::text::visible(text)
        )),
    }
}

/// The date of a Unix time (seconds since 1970-01-01 00:00 UTC), in UTC;
/// None outside the years 1 to 9999.
pub fn date_of_unix_time(seconds: i64) -> Option<Date> {
    // Days since 1970-01-01, then the civil calendar counted in 400-year
    // eras from 0000-03-01 (so that a leap day ends each year).
    let days = seconds.div_euclid(86_400);
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    if !(1..=9999).contains(&year) {
        return None;
    }
    Some(Date {
        year: u16::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })
}

/// Where the date taken as today came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TodaySource {
    Flag,
    SourceDateEpoch,
    Clock,
}

impl TodaySource {
    fn as_str(self) -> &'static str {
        match self {
            TodaySource::Flag => "--today",
            TodaySource::SourceDateEpoch => "SOURCE_DATE_EPOCH",
            TodaySource::Clock => "system clock (UTC)",
        }
    }
}

/// One configuration file, read.
#[derive(Debug)]
pub struct ConfigFile {
    /// Its name as shown: relative to the current folder when inside it.
    pub shown: String,
    pub text: String,
    pub parsed: Result<Config, Vec<Diagnostic>>,
    /// The threat rules in force: the built-in library, less `[rules]
    /// disable`, plus `[rules] files`.
    pub rules: crate::rules::Settings,
    /// The project rule files that have errors (TMD016), when any: then
    /// `parsed` is an error too.
    pub rule_errors: Vec<RuleFile>,
}

/// A project rule file, read, with its diagnostics.
#[derive(Debug)]
pub struct RuleFile {
    pub shown: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl ConfigFile {
    fn read(path: &Path, shown: String, limits: &InputLimits) -> Result<ConfigFile, String> {
        if path.is_dir() {
            return Err(format!(
                "`{}` is a folder, not a configuration file",
                crate::emit::text::visible(&shown)
            ));
        }
        let arg = path.to_string_lossy().into_owned();
        let input = read_input_limited(&arg, limits).map_err(|e| {
            e.to_string()
                .replace(&format!("`{arg}`"), &format!("`{shown}`"))
        })?;
        let text = crate::strip_bom(&input.text).to_string();
        let parsed = crate::config::parse(&text);
        Ok(ConfigFile {
            shown,
            text,
            parsed,
            rules: crate::rules::Settings::default(),
            rule_errors: Vec::new(),
        })
    }

    /// Reads the rule files `[rules] files` names (relative to the
    /// tmd.toml at `path`, inside `root`) and sets `rules`; a file that
    /// cannot be read, or leads outside the project, is a TMD015 at its
    /// entry, one with errors in it makes `rule_errors`.
    fn load_rules(&mut self, path: &Path, root: &Path, limits: &InputLimits) {
        let Ok(config) = &self.parsed else { return };
        let folder = path.parent().unwrap_or(root);
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for entry in &config.rule_files {
            let candidate = folder.join(&entry.value);
            let real = match std::fs::canonicalize(&candidate) {
                Ok(real) if real.starts_with(root) => real,
                Ok(_) => {
                    problems.push(crate::checks::tmd015_invalid_config::bad_value(
                        entry.span,
                        "files",
                        &entry.value,
                        "rule files inside the project root",
                        None,
                    ));
                    continue;
                }
                Err(e) => {
                    problems.push(crate::checks::tmd015_invalid_config::bad_value(
                        entry.span,
                        "files",
                        &entry.value,
                        &format!("rule files that can be read ({e})"),
                        None,
                    ));
                    continue;
                }
            };
            let arg = real.to_string_lossy().into_owned();
            match read_input_limited(&arg, limits) {
                Ok(input) => files.push((
                    entry.value.clone(),
                    crate::strip_bom(&input.text).to_string(),
                )),
                Err(e) => problems.push(crate::checks::tmd015_invalid_config::bad_value(
                    entry.span,
                    "files",
                    &entry.value,
                    &format!("rule files that can be read ({e})"),
                    None,
                )),
            }
        }
        let disable: Vec<String> = config
            .rules_disable
            .iter()
            .map(|s| s.value.clone())
            .collect();
        let warn_from = config
            .rules_warn_from
            .as_ref()
            .map_or(Severity::High, |s| s.value);
        match crate::rules::Library::with(&disable, &files) {
            Ok(library) => self.rules = crate::rules::Settings { library, warn_from },
            Err(errors) => {
                for e in errors {
                    if let Some(entry) = config.rule_files.iter().find(|s| s.value == e.name) {
                        problems.push(crate::checks::tmd015_invalid_config::bad_value(
                            entry.span,
                            "files",
                            &entry.value,
                            "rule files without errors (TMD016, below)",
                            None,
                        ));
                    }
                    // Shown as the tmd.toml is: relative when it is.
                    let shown = Path::new(&self.shown)
                        .parent()
                        .map_or_else(|| Path::new(&e.name).to_path_buf(), |p| p.join(&e.name));
                    self.rule_errors.push(RuleFile {
                        shown: shown.display().to_string(),
                        text: e.text,
                        diagnostics: e.diagnostics,
                    });
                }
            }
        }
        if !problems.is_empty() {
            crate::diagnostic::sort(&mut problems);
            self.parsed = Err(problems);
        }
    }

    /// Its diagnostics, as a report of the file.
    pub fn report(&self) -> FileReport<'_> {
        let diagnostics: &[Diagnostic] = match &self.parsed {
            Ok(_) => &[],
            Err(d) => d,
        };
        FileReport {
            name: &self.shown,
            source: &self.text,
            diagnostics,
        }
    }

    /// `tmd.toml:1:11`: where a value is written.
    fn at(&self, span: crate::span::Span) -> (usize, usize) {
        let at = LineIndex::new(&self.text).line_col(&self.text, span.start);
        (at.line, at.column)
    }
}

/// How a model's configuration was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--config FILE`.
    Flag,
    /// `--no-config`.
    Disabled,
    /// The nearest `tmd.toml`.
    Found,
    /// None in the folders searched: from `from` up to `root` (as shown).
    NotFound { from: String, root: String },
}

/// The configuration in force for one model.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The file, valid; None when there is none.
    pub file: Option<Rc<ConfigFile>>,
    pub origin: Origin,
    pub today: Option<Date>,
    pub today_source: TodaySource,
}

impl Resolved {
    pub fn config(&self) -> Option<&Config> {
        self.file.as_ref().and_then(|f| f.parsed.as_ref().ok())
    }

    /// What the model compiles with.
    pub fn options(&self) -> CompileOptions {
        match self.config() {
            Some(config) => CompileOptions {
                lower: config.lower_options(),
                checks: config.selection(),
                today: self.today,
                rules: self
                    .file
                    .as_ref()
                    .map(|f| f.rules.clone())
                    .unwrap_or_default(),
            },
            None => CompileOptions {
                today: self.today,
                ..CompileOptions::default()
            },
        }
    }

    /// The warnings denied (reported as errors by `check` and `build`).
    pub fn denied(&self) -> BTreeSet<&'static str> {
        self.config().map(Config::denied).unwrap_or_default()
    }

    /// The `--fail-on` threshold: the flag's, else the file's; with the
    /// words that say where it came from.
    pub fn fail_on(&self, flag: Option<Severity>) -> Option<(Severity, String)> {
        if let Some(severity) = flag {
            return Some((severity, "--fail-on".to_string()));
        }
        let file = self.file.as_ref()?;
        let setting = self.config()?.fail_on.as_ref()?;
        Some((setting.value, format!("fail_on in `{}`", file.shown)))
    }

    /// Raises the denied warnings among `diagnostics` to errors, saying why.
    pub fn deny(&self, diagnostics: &mut [Diagnostic]) {
        let denied = self.denied();
        let Some(file) = &self.file else { return };
        for d in diagnostics
            .iter_mut()
            .filter(|d| d.level == Level::Warning && denied.contains(d.code))
        {
            d.level = Level::Error;
            let why = format!("denied in `{}`: this warning fails the check", file.shown);
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help} ({why})"),
                None => why,
            });
        }
    }
}

/// Why a model's configuration cannot be had.
#[derive(Clone, Debug)]
pub enum Problem {
    /// The file has errors (TMD015).
    Invalid(Rc<ConfigFile>),
    /// The file cannot be read, or leads out of the project root.
    Unreadable(String),
}

impl Problem {
    /// What to say of a model that is therefore not compiled.
    pub fn why(&self) -> String {
        match self {
            Problem::Invalid(file) => format!(
                "its project configuration `{}` has errors",
                crate::emit::text::visible(&file.shown)
            ),
            Problem::Unreadable(message) => message.clone(),
        }
    }

    /// The exit status it gives: 1 for a file with errors (an error in
    /// the user's files, like a model's), 2 for one that cannot be read.
    pub fn status(&self) -> u8 {
        match self {
            Problem::Invalid(_) => super::status::FAILED,
            Problem::Unreadable(_) => super::status::USAGE,
        }
    }
}

/// The configurations of one run.
pub struct Configs {
    limits: InputLimits,
    no_config: bool,
    today: Option<Date>,
    today_source: TodaySource,
    /// The file `--config` names.
    explicit: Option<Rc<ConfigFile>>,
    /// Every file found so far, by canonical path.
    files: BTreeMap<PathBuf, Result<Rc<ConfigFile>, String>>,
    /// The current folder, canonical.
    cwd: Option<PathBuf>,
    /// The problems already said, by what was said.
    said: BTreeSet<String>,
}

impl Configs {
    /// Reads `--config` and works out today. A `--config` file that
    /// cannot be read, or a SOURCE_DATE_EPOCH that is not a time, is a
    /// usage error (the message).
    pub fn new(args: &ConfigArgs, limits: &InputLimits) -> Result<Configs, String> {
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|d| std::fs::canonicalize(d).ok());
        let (today, today_source) = match args.today {
            Some(date) => (Some(date), TodaySource::Flag),
            None => match std::env::var_os("SOURCE_DATE_EPOCH").filter(|v| !v.is_empty()) {
                Some(value) => {
                    let text = value.to_string_lossy();
                    let date = text
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .and_then(date_of_unix_time)
                        .ok_or_else(|| {
                            format!(
                                "SOURCE_DATE_EPOCH is `{}`, not a number of seconds since 1970-01-01 00:00 UTC; set it to one (or unset it), or give --today YYYY-MM-DD",
                                crate::emit::text::visible(&text)
                            )
                        })?;
                    (Some(date), TodaySource::SourceDateEpoch)
                }
                None => (clock_today(), TodaySource::Clock),
            },
        };
        let explicit = match &args.config {
            Some(path) => {
                let shown = path.display().to_string();
                Some(Rc::new(ConfigFile::read(path, shown, limits)?))
            }
            None => None,
        };
        Ok(Configs {
            limits: *limits,
            no_config: args.no_config,
            today,
            today_source,
            explicit,
            files: BTreeMap::new(),
            cwd,
            said: BTreeSet::new(),
        })
    }

    /// The date the checks take as today.
    pub fn today(&self) -> Option<Date> {
        self.today
    }

    /// For a model read by a command: from its file's folder, or from the
    /// current folder for standard input (and `REV:PATH`, which has no
    /// file).
    pub fn for_input(&mut self, input: &Input) -> Result<Resolved, Problem> {
        let dir = input
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        self.for_dir(&dir, None)
    }

    /// For a model in folder `dir` (empty: the current folder); the
    /// project root is the nearest folder holding `.git`, else `fallback`
    /// (when it holds `dir`), else `dir` itself.
    pub fn for_dir(&mut self, dir: &Path, fallback: Option<&Path>) -> Result<Resolved, Problem> {
        let (today, today_source) = (self.today, self.today_source);
        let resolved = move |file: Option<Rc<ConfigFile>>, origin: Origin| Resolved {
            file,
            origin,
            today,
            today_source,
        };
        if let Some(file) = &self.explicit {
            return match file.parsed {
                Ok(_) => Ok(resolved(Some(file.clone()), Origin::Flag)),
                Err(_) => Err(Problem::Invalid(file.clone())),
            };
        }
        if self.no_config {
            return Ok(resolved(None, Origin::Disabled));
        }
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let start = std::fs::canonicalize(dir).map_err(|e| {
            Problem::Unreadable(format!(
                "cannot look for {FILE_NAME} in `{}`: {e}",
                dir.display()
            ))
        })?;
        let root = project_root(&start, fallback.unwrap_or(&start))
            .filter(|root| start.starts_with(root))
            .unwrap_or_else(|| start.clone());
        for folder in start.ancestors() {
            let candidate = folder.join(FILE_NAME);
            if std::fs::symlink_metadata(&candidate).is_ok() {
                let file = self.load(&candidate, &root)?;
                return match file.parsed {
                    Ok(_) => Ok(resolved(Some(file), Origin::Found)),
                    Err(_) => Err(Problem::Invalid(file)),
                };
            }
            if folder == root {
                break;
            }
        }
        let origin = Origin::NotFound {
            from: self.shown(&start),
            root: self.shown(&root),
        };
        Ok(resolved(None, origin))
    }

    /// Reads (once) the file at `candidate`, which must stay inside `root`.
    fn load(&mut self, candidate: &Path, root: &Path) -> Result<Rc<ConfigFile>, Problem> {
        let shown = self.shown(candidate);
        let real = match std::fs::canonicalize(candidate) {
            Ok(real) => real,
            Err(e) => {
                return Err(Problem::Unreadable(format!(
                    "cannot read `{}`: {e}",
                    crate::emit::text::visible(&shown)
                )))
            }
        };
        if !real.starts_with(root) {
            return Err(Problem::Unreadable(format!(
                "`{}` leads outside the project root `{}`; tmd reads no configuration from outside it",
                crate::emit::text::visible(&shown),
                crate::emit::text::visible(&self.shown(root))
            )));
        }
        let limits = self.limits;
        let entry = self.files.entry(real.clone()).or_insert_with(|| {
            ConfigFile::read(&real, shown, &limits).map(|mut file| {
                file.load_rules(&real, root, &limits);
                Rc::new(file)
            })
        });
        entry.clone().map_err(Problem::Unreadable)
    }

    /// A path as shown: relative to the current folder when inside it.
    fn shown(&self, path: &Path) -> String {
        match self
            .cwd
            .as_deref()
            .and_then(|cwd| path.strip_prefix(cwd).ok())
        {
            Some(rel) if rel.as_os_str().is_empty() => ".".to_string(),
            Some(rel) => rel.display().to_string(),
            None => path.display().to_string(),
        }
    }

    /// Prints a problem on stderr, the first time only: a file's errors,
    /// or why it cannot be read.
    pub fn say(&mut self, problem: &Problem, color: bool) {
        match problem {
            Problem::Invalid(file) => {
                if self.said.insert(file.shown.clone()) {
                    print::stderr(report::human(&file.report(), color, super::stderr_width()));
                    for rules in &file.rule_errors {
                        let report = FileReport {
                            name: &rules.shown,
                            source: &rules.text,
                            diagnostics: &rules.diagnostics,
                        };
                        print::stderr(report::human(&report, color, super::stderr_width()));
                    }
                }
            }
            Problem::Unreadable(message) => {
                if self.said.insert(message.clone()) {
                    print::errln!("error: {message}");
                }
            }
        }
    }

    /// Whether this problem's file was already said.
    pub fn said(&self, problem: &Problem) -> bool {
        match problem {
            Problem::Invalid(file) => self.said.contains(&file.shown),
            Problem::Unreadable(message) => self.said.contains(message),
        }
    }

    /// Records a problem as said (its diagnostics went out another way:
    /// `tmd check`'s machine formats).
    pub fn mark_said(&mut self, problem: &Problem) {
        match problem {
            Problem::Invalid(file) => self.said.insert(file.shown.clone()),
            Problem::Unreadable(message) => self.said.insert(message.clone()),
        };
    }
}

/// The system clock's date in UTC; None before 1970 (a broken clock).
fn clock_today() -> Option<Date> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    date_of_unix_time(i64::try_from(since.as_secs()).ok()?)
}

/// What `--show-config` knows besides each model's configuration: the
/// flags that win over the file.
pub struct Flags {
    pub fail_on: Option<Severity>,
    pub deny_warnings: bool,
}

/// One row of `--show-config`: a key, its value, where it came from (and
/// where in the file).
struct Row {
    key: &'static str,
    text: String,
    json: Value,
    source: String,
    at: Option<(usize, usize)>,
}

fn rows(r: &Resolved, flags: &Flags) -> Vec<Row> {
    let file = r.file.as_deref();
    let config = r.config();
    let from_file = |span: crate::span::Span| -> (String, Option<(usize, usize)>) {
        match file {
            Some(f) => (f.shown.clone(), Some(f.at(span))),
            None => ("default".to_string(), None),
        }
    };
    let default = || ("default".to_string(), None);
    let mut rows = Vec::new();
    let mut push =
        |key, text: String, json: Value, (source, at): (String, Option<(usize, usize)>)| {
            rows.push(Row {
                key,
                text,
                json,
                source,
                at,
            })
        };

    match (flags.fail_on, config.and_then(|c| c.fail_on.as_ref())) {
        (Some(s), _) => push(
            "fail_on",
            s.to_string(),
            json!(s.to_string()),
            ("--fail-on".to_string(), None),
        ),
        (None, Some(setting)) => push(
            "fail_on",
            setting.value.to_string(),
            json!(setting.value.to_string()),
            from_file(setting.span),
        ),
        (None, None) => push("fail_on", "not set".into(), Value::Null, default()),
    }
    let word = |setting: Option<&Setting<String>>| match setting {
        Some(s) => (s.value.clone(), json!(s.value), from_file(s.span)),
        None => ("not set".to_string(), Value::Null, default()),
    };
    let (text, value, source) = word(config.and_then(|c| c.risk.as_ref()));
    push("risk", text, value, source);
    match config.and_then(|c| c.classification.as_ref()) {
        Some(s) => push(
            "classification",
            s.value.join(", "),
            json!(s.value),
            from_file(s.span),
        ),
        None => push("classification", "not set".into(), Value::Null, default()),
    }
    let (text, value, source) = word(config.and_then(|c| c.sensitive.as_ref()));
    push("sensitive", text, value, source);
    let codes = |list: Option<&Vec<Setting<&'static str>>>| match list {
        Some(list) if !list.is_empty() => {
            let names: Vec<&str> = list.iter().map(|s| s.value).collect();
            let span = list.first().map(|s| s.span).unwrap_or_default();
            (names.join(", "), json!(names), from_file(span))
        }
        _ => ("none".to_string(), json!([]), default()),
    };
    let (text, value, source) = codes(config.map(|c| &c.enable));
    push("enable", text, value, source);
    let (text, value, source) = codes(config.map(|c| &c.disable));
    push("disable", text, value, source);
    if flags.deny_warnings {
        push(
            "deny",
            "every warning".into(),
            json!("warnings"),
            ("--deny warnings".to_string(), None),
        );
    } else {
        let (text, value, source) = codes(config.map(|c| &c.deny));
        push("deny", text, value, source);
    }
    let today = r.today.map(|d| d.to_string());
    push(
        "today",
        today.clone().unwrap_or_else(|| "unknown".to_string()),
        json!(today),
        (r.today_source.as_str().to_string(), None),
    );
    rows
}

/// The first line of a model's `--show-config`: where its configuration
/// is.
fn heading(r: &Resolved) -> String {
    let name = |r: &Resolved| {
        r.file
            .as_ref()
            .map(|f| crate::emit::text::visible(&f.shown).into_owned())
            .unwrap_or_default()
    };
    match &r.origin {
        Origin::Flag => format!("configuration `{}` (--config)", name(r)),
        Origin::Found => format!("configuration `{}`", name(r)),
        Origin::Disabled => "no configuration (--no-config)".to_string(),
        Origin::NotFound { from, root } => format!(
            "no {FILE_NAME} in `{}` or above it up to the project root `{}`",
            crate::emit::text::visible(from),
            crate::emit::text::visible(root)
        ),
    }
}

/// `--show-config` for people: per model, where its configuration is,
/// then one line a setting (key, value, source).
pub fn show_text(models: &[(String, Resolved)], flags: &Flags) -> String {
    let mut out = String::new();
    for (name, r) in models {
        out.push_str(&format!(
            "{}: {}\n",
            crate::emit::text::visible(name),
            heading(r)
        ));
        let rows = rows(r, flags);
        let width = rows
            .iter()
            .map(|row| row.text.chars().count())
            .max()
            .unwrap_or(0);
        for row in rows {
            let source = match row.at {
                Some((line, column)) => format!("{}:{line}:{column}", row.source),
                None => row.source,
            };
            out.push_str(&format!(
                "  {:<14}  {:<width$}  {}\n",
                row.key,
                crate::emit::text::visible(&row.text),
                crate::emit::text::visible(&source),
            ));
        }
    }
    out
}

/// `--show-config --format json`.
pub fn show_json(models: &[(String, Resolved)], flags: &Flags) -> String {
    let files: Vec<Value> = models
        .iter()
        .map(|(name, r)| {
            let mut settings = serde_json::Map::new();
            for row in rows(r, flags) {
                let mut entry = serde_json::Map::new();
                entry.insert("value".into(), row.json);
                entry.insert("source".into(), json!(row.source));
                if let Some((line, column)) = row.at {
                    entry.insert("line".into(), json!(line));
                    entry.insert("column".into(), json!(column));
                }
                settings.insert(row.key.into(), Value::Object(entry));
            }
            json!({
                "file": name,
                "configuration": r.file.as_ref().map(|f| f.shown.clone()),
                "settings": settings,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "files": files }))
        .unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_give_utc_dates() {
        let date = |s| date_of_unix_time(s).map(|d| d.to_string());
        assert_eq!(date(0).as_deref(), Some("1970-01-01"));
        assert_eq!(date(86_399).as_deref(), Some("1970-01-01"));
        assert_eq!(date(86_400).as_deref(), Some("1970-01-02"));
        assert_eq!(date(-1).as_deref(), Some("1969-12-31"));
        assert_eq!(date(951_782_400).as_deref(), Some("2000-02-29"));
        assert_eq!(date(1_700_000_000).as_deref(), Some("2023-11-14"));
        assert_eq!(date(4_107_542_400).as_deref(), Some("2100-03-01"));
        assert_eq!(date(253_402_300_799).as_deref(), Some("9999-12-31"));
        assert_eq!(date(253_402_300_800), None);
        assert_eq!(date(i64::MAX), None);
        assert_eq!(date(i64::MIN), None);
        // Every day of 1970..2100 follows the one before.
        let mut last = date_of_unix_time(0).unwrap();
        for day in 1..(130 * 366) {
            let d = date_of_unix_time(day * 86_400).unwrap();
            assert!(d > last, "{d} after {last}");
            assert_eq!(parse_date(&d.to_string()), Some(d));
            last = d;
        }
    }

    #[test]
    fn today_is_a_real_date() {
        assert_eq!(parse_today("2024-02-29").unwrap().to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "20240229",
            " 2024-02-29",
            "2024-02-29x",
            "",
        ] {
            let e = parse_today(bad).unwrap_err();
            assert!(e.contains("YYYY-MM-DD"), "{bad}: {e}");
        }
    }
}
