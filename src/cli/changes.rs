//! Change detection for `tmd watch` and `tmd serve`: the files whose
//! change means a rebuild, looked at by polling (no platform API, no
//! dependency; a model and a few `tmd.toml` files cost nothing to stat).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::config::ConfigArgs;

/// How often the files are looked at, and how long they must stay as they
/// are before a rebuild.
pub const POLL: Duration = Duration::from_millis(100);
pub const QUIET: Duration = Duration::from_millis(150);

/// What is known of one watched file: its modification time and length
/// (none when it does not exist).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The files whose change means a rebuild: each model, and its project
/// configuration: the file `--config` names, none with `--no-config`,
/// else every `tmd.toml` that could apply to it (its folder and those
/// above it, up to the project root: the nearest folder holding `.git`).
pub fn watched(files: &[PathBuf], config: &ConfigArgs) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = files.to_vec();
    if let Some(explicit) = &config.config {
        out.push(explicit.clone());
    } else if !config.no_config {
        for file in files {
            let dir = file
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let Ok(start) = std::fs::canonicalize(dir) else {
                continue;
            };
            for folder in start.ancestors() {
                out.push(folder.join(crate::config::FILE_NAME));
                if folder.join(".git").exists() {
                    break;
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The watched files and what was last seen of them.
pub struct Watcher {
    paths: Vec<PathBuf>,
    seen: Vec<Stamp>,
}

impl Watcher {
    /// Starts watching: what the files are now is the state a change is
    /// measured from.
    pub fn new(files: &[PathBuf], config: &ConfigArgs) -> Watcher {
        let paths = watched(files, config);
        let seen = stamps(&paths);
        Watcher { paths, seen }
    }

    /// Blocks until a file changes, then until the files have been quiet
    /// for [`QUIET`] (an editor writing in several steps is one change).
    pub fn wait(&mut self) {
        loop {
            std::thread::sleep(POLL);
            let now = stamps(&self.paths);
            if now != self.seen {
                self.seen = now;
                break;
            }
        }
        loop {
            std::thread::sleep(QUIET);
            let now = stamps(&self.paths);
            if now == self.seen {
                break;
            }
            self.seen = now;
        }
    }
}

fn stamps(paths: &[PathBuf]) -> Vec<Stamp> {
    paths.iter().map(|p| stamp(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(config: Option<&str>, no_config: bool) -> ConfigArgs {
        ConfigArgs {
            config: config.map(PathBuf::from),
            no_config,
            today: None,
        }
    }

    #[test]
    fn the_file_config_names_is_watched_and_no_config_watches_none() {
        let files = [PathBuf::from("m.tmd")];
        let explicit = watched(&files, &args(Some("policy/strict.toml"), false));
        assert_eq!(
            explicit,
            [PathBuf::from("m.tmd"), PathBuf::from("policy/strict.toml")]
        );
        assert_eq!(watched(&files, &args(None, true)), files);
        let found = watched(&files, &args(None, false));
        assert!(found.len() > 1);
        assert!(found
            .iter()
            .filter(|p| *p != &files[0])
            .all(|p| p.ends_with(crate::config::FILE_NAME)));
    }
}
