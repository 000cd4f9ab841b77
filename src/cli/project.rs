//! `file=` in Markdown fences: reading the model files a page names,
//! confined to the project root (the folder of the nearest `.git` above the
//! page, a folder or a file; without one, a fallback the command chooses).
//! Paths are relative to the page; absolute paths, `..` that climbs out of
//! the root and symlinks that lead out of it are refused.
//!
//! The loader also gives each model its project configuration: the page's
//! own fences the one found from the page's folder, a `file=` model the
//! one found from its own folder (within the same root).

use std::path::{Component, Path, PathBuf};

use super::config::Configs;
use super::{read_input_limited, InputLimits};
use crate::markdown::{Loaded, Loader};

/// The project root for a page in `page_dir`: the nearest folder at or
/// above it that holds `.git`, else `fallback`. Both canonical.
pub fn project_root(page_dir: &Path, fallback: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(page_dir).ok()?;
    for candidate in dir.ancestors() {
        if std::fs::symlink_metadata(candidate.join(".git")).is_ok() {
            return Some(candidate.to_path_buf());
        }
    }
    std::fs::canonicalize(fallback).ok()
}

/// Reads `file=` models for one page.
pub struct FileLoader<'c> {
    /// The page's folder, as the user named it (for messages).
    pub shown_dir: PathBuf,
    /// The page's folder and the project root, canonical; None when they
    /// could not be found (every `file=` is then refused).
    pub page_dir: Option<PathBuf>,
    pub root: Option<PathBuf>,
    pub limits: InputLimits,
    /// The run's configurations (None: every model with the language's
    /// defaults), and whether to colour what they say.
    pub configs: Option<(&'c mut Configs, bool)>,
}

impl<'c> FileLoader<'c> {
    /// A loader for a page in `page_dir`, with `fallback` as the root when
    /// no `.git` is found above it.
    pub fn new<'a>(page_dir: &'a Path, fallback: &'a Path, limits: InputLimits) -> FileLoader<'c> {
        let dot = |p: &'a Path| -> &'a Path {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        };
        let (dir, fallback) = (dot(page_dir), dot(fallback));
        FileLoader {
            shown_dir: page_dir.to_path_buf(),
            page_dir: std::fs::canonicalize(dir).ok(),
            root: project_root(dir, fallback),
            limits,
            configs: None,
        }
    }

    /// Models compile with the project configuration found for them.
    pub fn with_configs(mut self, configs: &'c mut Configs, color: bool) -> FileLoader<'c> {
        self.configs = Some((configs, color));
        self
    }

    /// The options of a model in folder `dir` (canonical), or why none.
    fn options_in(&mut self, dir: &Path, what: &str) -> Result<crate::CompileOptions, String> {
        let root = self.root.clone();
        let Some((configs, color)) = self.configs.as_mut() else {
            return Ok(crate::CompileOptions::default());
        };
        match configs.for_dir(dir, root.as_deref()) {
            Ok(resolved) => Ok(resolved.options()),
            Err(problem) => {
                configs.say(&problem, *color);
                Err(format!("{what} is not drawn: {}", problem.why()))
            }
        }
    }
}

/// Joins, then drops `.` and folds `..` (lexically: for a readable name
/// only; the confinement check uses the real, canonical path).
fn shown(dir: &Path, path: &str) -> String {
    let mut out: Vec<Component<'_>> = Vec::new();
    let joined = dir.join(path);
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect::<PathBuf>().display().to_string()
}

impl Loader for FileLoader<'_> {
    fn load(&mut self, path: &str) -> Result<Loaded, String> {
        let quoted = crate::emit::text::visible(path).into_owned();
        let (Some(page_dir), Some(root)) = (&self.page_dir, &self.root) else {
            return Err(format!(
                "cannot read `{quoted}`: the Markdown file's folder cannot be found"
            ));
        };
        let relative = Path::new(path);
        if relative.has_root() || relative.is_absolute() || path.starts_with('\\') {
            return Err(format!(
                "`{quoted}` is an absolute path; write it relative to the Markdown file"
            ));
        }
        let name = shown(&self.shown_dir, path);
        let shown_name = crate::emit::text::visible(&name).into_owned();
        let real = match std::fs::canonicalize(page_dir.join(relative)) {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!("no such file `{shown_name}`"))
            }
            Err(e) => return Err(format!("cannot read `{shown_name}`: {e}")),
        };
        if !real.starts_with(root) {
            return Err(format!(
                "`{quoted}` leads outside the project root `{}`",
                crate::emit::text::visible(&root.display().to_string())
            ));
        }
        let real_arg = real.to_string_lossy().into_owned();
        let input = read_input_limited(&real_arg, &self.limits).map_err(|e| {
            e.to_string()
                .replace(&format!("`{real_arg}`"), &format!("`{shown_name}`"))
        })?;
        let dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        let options = self.options_in(&dir, &format!("`{shown_name}`"));
        Ok(Loaded {
            name,
            text: input.text,
            options,
        })
    }

    fn page_options(&mut self) -> Result<crate::CompileOptions, String> {
        let Some(dir) = self.page_dir.clone() else {
            return Ok(crate::CompileOptions::default());
        };
        self.options_in(&dir, "the fence's model")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confined_to_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("proj");
        std::fs::create_dir_all(root.join("docs/models")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("docs/models/a.tmd"), "process a\n").unwrap();
        std::fs::write(root.join("top.tmd"), "process t\n").unwrap();
        std::fs::write(tmp.path().join("secret.tmd"), "process s\n").unwrap();
        let docs = root.join("docs");
        let mut l = FileLoader::new(&docs, &docs, InputLimits::default());
        assert_eq!(l.load("models/a.tmd").unwrap().text, "process a\n");
        assert_eq!(
            l.load("./models/../models/a.tmd").unwrap().text,
            "process a\n"
        );
        assert_eq!(l.load("../top.tmd").unwrap().text, "process t\n");
        let e = l.load("../../secret.tmd").unwrap_err();
        assert!(e.contains("leads outside the project root"), "{e}");
        let abs = root.join("top.tmd").display().to_string();
        assert!(l.load(&abs).unwrap_err().contains("absolute path"));
        assert!(l
            .load("models/nope.tmd")
            .unwrap_err()
            .starts_with("no such file"));
        let e = l.load("models").unwrap_err();
        assert!(e.contains("is a directory"), "{e}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.tmd"), docs.join("link.tmd"))
                .unwrap();
            let e = l.load("link.tmd").unwrap_err();
            assert!(e.contains("leads outside the project root"), "{e}");
        }
    }

    #[test]
    fn without_git_the_fallback_is_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(tmp.path().join("a/m.tmd"), "").unwrap();
        // (tempdir is not inside a git repository on CI machines; guard anyway)
        if project_root(&dir, &dir).as_deref() == std::fs::canonicalize(&dir).ok().as_deref() {
            let mut l = FileLoader::new(&dir, &dir, InputLimits::default());
            assert!(l.load("../m.tmd").is_err());
            let fallback = tmp.path().join("a");
            let mut l = FileLoader::new(&dir, &fallback, InputLimits::default());
            assert!(l.load("../m.tmd").is_ok());
        }
    }
}
