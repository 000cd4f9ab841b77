"""What tmd's pull-request and merge-request scripts share.

ci/github/tmd-pr.py (the GitHub Action) and ci/gitlab/tmd-mr.py (the GitLab
CI template) both: find the `.tmd` files a change touches with git, run
`tmd check` on the ones that still exist, run `tmd diff --comment` on all of
them, and create or update one comment found by its hidden marker. Only the
API differs; it is in each script. Python 3 standard library only.
"""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

# The first line of every comment `tmd diff --comment` writes.
MARKER = "<!-- tmd-diff-comment -->"


def log(message):
    print(message, file=sys.stderr, flush=True)


def env(name, default=""):
    value = os.environ.get(name)
    return default if value is None else value.strip()


def truthy(name, default):
    value = env(name, default).lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off", ""):
        return False
    raise UsageError(f"{name} must be true or false, not {value!r}")


class UsageError(Exception):
    """Bad configuration: the job fails with this message."""


def glob_regex(pattern):
    """A glob over repository paths as a regular expression: `**/` is any
    number of folders (none too), `**` anything, `*` anything but `/`, `?`
    one character but `/`; a pattern without `/` matches the file name in
    any folder, as in .gitignore (`*.tmd` is `**/*.tmd`)."""
    if "/" not in pattern:
        pattern = "**/" + pattern
    pattern = pattern.lstrip("/")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def patterns(text):
    """The `paths` input: globs separated by new lines or commas; one that
    starts with `!` leaves out what it matches."""
    include, exclude = [], []
    for item in re.split(r"[\n,]", text):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        if item.startswith("!"):
            exclude.append(glob_regex(item[1:].strip()))
        else:
            include.append(glob_regex(item))
    if not include:
        raise UsageError("paths names no file pattern (the default is **/*.tmd)")
    return include, exclude


def selected(path, include, exclude):
    return any(r.match(path) for r in include) and not any(r.match(path) for r in exclude)


def git(*args):
    """Runs git; its stdout as bytes, or UsageError with its message."""
    try:
        done = subprocess.run(["git", *args], capture_output=True, check=False)
    except OSError as e:
        raise UsageError(f"cannot run git: {e}") from e
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git {' '.join(args)} failed: {err}")
    return done.stdout


def merge_base(base, head):
    """The commit the change starts from: where head left base (what the
    pull request's "Files changed" shows), or base itself when git cannot
    say (a shallow clone)."""
    try:
        return git("merge-base", base, head).decode().strip() or base
    except UsageError:
        return base


def changed_models(base, head, include, exclude):
    """The files that differ between base and head and match the globs, in
    git's order (a rename is a deletion and an addition: tmd matches
    things by ID, not by file)."""
    out = git("diff", "--name-only", "-z", "--no-renames", base, head, "--")
    paths = [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]
    return [p for p in paths if selected(p, include, exclude)]


def run_tmd(tmd, args, stdout_path=None):
    """Runs tmd; (status, stdout text). Its stderr goes to the job's log."""
    log(f"$ {tmd} {' '.join(args)}")
    try:
        if stdout_path is not None:
            with open(stdout_path, "wb") as out:
                done = subprocess.run([tmd, *args], stdout=out, check=False)
            return done.returncode, ""
        done = subprocess.run([tmd, *args], stdout=subprocess.PIPE, check=False)
    except OSError as e:
        raise UsageError(f"cannot run {tmd}: {e}") from e
    return done.returncode, done.stdout.decode("utf-8", "replace")


def check_args(fail_on, deny_warnings):
    args = []
    if fail_on:
        if fail_on not in ("high", "medium", "low"):
            raise UsageError(f"fail-on must be high, medium or low, not {fail_on!r}")
        args += ["--fail-on", fail_on]
    if deny_warnings:
        args += ["--deny", "warnings"]
    return args


class ApiError(Exception):
    pass


def request(method, url, headers, body=None):
    """One JSON request; (decoded JSON, response headers)."""
    data = None
    headers = dict(headers)
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            text = response.read().decode("utf-8")
            return (json.loads(text) if text else None), response.headers
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace")[:500]
        raise ApiError(f"{method} {url}: HTTP {e.code}: {detail}") from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise ApiError(f"{method} {url}: {e}") from e


def next_link(headers):
    """The `rel="next"` URL of a Link header (GitHub and GitLab both page
    this way), or None."""
    for part in (headers.get("Link") or "").split(","):
        match = re.match(r'\s*<([^>]*)>\s*;\s*rel="next"', part)
        if match:
            return match.group(1)
    return None


def no_change_body():
    return (
        f"{MARKER}\n"
        "**No threat model changed:** the change no longer touches a `.tmd` file "
        "that this check watches.\n"
    )


def write_outputs(path, values):
    """GitHub's step outputs (name=value lines; values are one line)."""
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        for name, value in values.items():
            out.write(f"{name}={value}\n")


def review(tmd, base, head, paths_text, sarif_path, sarif_format, fail_on, deny_warnings):
    """The shared work. Returns (failures, comment body or None, outputs).

    failures: lines saying why the job fails (empty: it passes)."""
    include, exclude = patterns(paths_text)
    start = merge_base(base, head)
    files = changed_models(start, head, include, exclude)
    log(f"{len(files)} threat model(s) changed between {start[:12]} and {head[:12]}")
    for f in files:
        log(f"  {f}")
    failures = []
    outputs = {"files": str(len(files)), "report": ""}
    present = [f for f in files if os.path.isfile(f)]
    if present and sarif_path:
        args = ["check", "--format", sarif_format, *check_args(fail_on, deny_warnings), "--", *present]
        status, _ = run_tmd(tmd, args, stdout_path=sarif_path)
        outputs["report"] = sarif_path
        if status == 1:
            failures.append(
                "tmd check: errors"
                + (", warnings (deny-warnings)" if deny_warnings else "")
                + (f", or open threats at or above {fail_on} (fail-on)" if fail_on else "")
                + " in the changed models (the log above says which)"
            )
        elif status != 0:
            failures.append(f"tmd check could not run (exit status {status})")
    elif present:
        status, _ = run_tmd(tmd, ["check", *check_args(fail_on, deny_warnings), "--", *present])
        if status != 0:
            failures.append(f"tmd check failed (exit status {status}; the log above says why)")
    if not files:
        return failures, None, outputs
    status, comment = run_tmd(tmd, ["diff", "--comment", start, head, "--", *files])
    if status == 1:
        failures.append("tmd diff: a changed model has errors (its section of the comment shows them)")
    elif status != 0 or not comment.startswith(MARKER):
        failures.append(f"tmd diff --comment failed (exit status {status})")
        comment = None
    return failures, comment, outputs
