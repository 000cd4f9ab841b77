#!/usr/bin/env python3
"""The work of tmd's GitHub Action (action.yml at the repository root).

On a pull request: find the `.tmd` files changed between the pull request's
base and head, run `tmd check --format sarif` on them (the SARIF file for
github/codeql-action/upload-sarif), run `tmd diff --comment`, create or
update ONE comment on the pull request (found by the hidden marker
`<!-- tmd-diff-comment -->` on its first line), and fail when asked.

Configuration, from the environment (action.yml sets it from its inputs):

  TMD_PATHS          globs of the models to review (default **/*.tmd)
  TMD_SARIF          where to write the SARIF log ('' to skip it; default tmd.sarif)
  TMD_COMMENT        true|false: post the comment (default true)
  TMD_FAIL_ON        ''|high|medium|low: fail on open threats at or above it
  TMD_DENY_WARNINGS  true|false: fail on warnings too
  TMD_BASE, TMD_HEAD the revisions to compare (default: the event's
                     pull_request.base.sha and pull_request.head.sha)
  TMD_PR             the pull request's number (default: the event's)
  TMD_BIN            the tmd program (default tmd)
  GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_EVENT_PATH,
  GITHUB_OUTPUT, GITHUB_STEP_SUMMARY   as GitHub Actions sets them

Exit status: 0 when the review passes; 1 when it fails (errors in a changed
model, warnings with deny-warnings, open threats at fail-on, tmd or the API
failing); 2 on bad configuration. Python 3 standard library only.
"""

import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tmd_review as r  # noqa: E402


def event():
    path = r.env("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise r.UsageError(f"cannot read the event {path}: {e}") from e


class GitHub:
    def __init__(self, api, repository, token):
        self.api = api.rstrip("/")
        self.repo = "/".join(urllib.parse.quote(p, safe="") for p in repository.split("/"))
        self.headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "tmd-pr",
        }

    def comments(self, number):
        """Every comment of the pull request, following the pages."""
        url = f"{self.api}/repos/{self.repo}/issues/{number}/comments?per_page=100"
        found = []
        while url:
            page, headers = r.request("GET", url, self.headers)
            if not isinstance(page, list):
                raise r.ApiError(f"GET {url}: expected a list of comments")
            found.extend(page)
            url = r.next_link(headers)
        return found

    def create(self, number, body):
        url = f"{self.api}/repos/{self.repo}/issues/{number}/comments"
        return r.request("POST", url, self.headers, {"body": body})[0]

    def update(self, comment_id, body):
        url = f"{self.api}/repos/{self.repo}/issues/comments/{int(comment_id)}"
        return r.request("PATCH", url, self.headers, {"body": body})[0]


def ours(comment):
    """Our comment: its first line is the marker. A comment that merely
    quotes the marker further down is someone else's."""
    body = comment.get("body") or ""
    return body.split("\n", 1)[0].strip() == r.MARKER


def post(github, number, body):
    """Creates the comment, or updates the one found by its marker (the
    oldest, should there be several). Returns (what was done, its URL)."""
    mine = [c for c in github.comments(number) if ours(c)]
    if mine:
        if body is None:
            body = r.no_change_body()
        if mine[0].get("body") == body:
            return "unchanged", mine[0].get("html_url", "")
        done = github.update(mine[0]["id"], body)
        return "updated", (done or {}).get("html_url", "")
    if body is None:
        return "none", ""
    done = github.create(number, body)
    return "created", (done or {}).get("html_url", "")


def error(line):
    """An error annotation (a workflow command: %, CR and LF escaped)."""
    text = line.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    print(f"::error title=tmd::{text}", flush=True)


def main():
    ev = event()
    pr = ev.get("pull_request") or {}
    base = r.env("TMD_BASE") or (pr.get("base") or {}).get("sha", "")
    head = r.env("TMD_HEAD") or (pr.get("head") or {}).get("sha", "")
    number = r.env("TMD_PR") or str(pr.get("number") or ev.get("number") or "")
    if not base or not head:
        raise r.UsageError(
            "no base and head revisions: run on a pull_request event, or set the base and head inputs"
        )
    failures, comment, outputs = r.review(
        tmd=r.env("TMD_BIN", "tmd") or "tmd",
        base=base,
        head=head,
        paths_text=r.env("TMD_PATHS", "**/*.tmd"),
        sarif_path=r.env("TMD_SARIF", "tmd.sarif"),
        sarif_format="sarif",
        fail_on=r.env("TMD_FAIL_ON").lower(),
        deny_warnings=r.truthy("TMD_DENY_WARNINGS", "false"),
    )
    outputs["sarif"] = outputs.pop("report")
    outputs["comment-url"] = ""
    summary = r.env("GITHUB_STEP_SUMMARY")
    if comment and summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(comment + "\n")

    if r.truthy("TMD_COMMENT", "true"):
        head_repo = ((pr.get("head") or {}).get("repo") or {}).get("full_name")
        base_repo = ((pr.get("base") or {}).get("repo") or {}).get("full_name")
        if not number:
            r.log("No pull request number (not a pull_request event): no comment.")
        elif head_repo and base_repo and head_repo != base_repo:
            r.log("A pull request from a fork: its token cannot comment, so no comment (see the job summary).")
        else:
            token = r.env("GITHUB_TOKEN")
            repository = r.env("GITHUB_REPOSITORY")
            if not token or not repository:
                raise r.UsageError("commenting needs GITHUB_TOKEN and GITHUB_REPOSITORY")
            github = GitHub(r.env("GITHUB_API_URL", "https://api.github.com"), repository, token)
            try:
                done, url = post(github, number, comment)
                r.log(f"Pull request comment: {done} {url}".rstrip())
                outputs["comment-url"] = url
            except r.ApiError as e:
                failures.append(f"could not post the comment: {e}")
    r.write_outputs(r.env("GITHUB_OUTPUT"), outputs)
    for line in failures:
        error(line)
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except r.UsageError as e:
        error(str(e))
        sys.exit(2)
