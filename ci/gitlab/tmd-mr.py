#!/usr/bin/env python3
"""The work of tmd's GitLab CI template (ci/gitlab/tmd.gitlab-ci.yml).

In a merge request pipeline: find the `.tmd` files changed between the merge
request's base and head, run `tmd check --format gitlab` on them (the Code
Quality report for `artifacts:reports:codequality`), run `tmd diff
--comment`, create or update ONE note on the merge request (found by the
hidden marker `<!-- tmd-diff-comment -->` on its first line) through
GitLab's notes API, and fail when asked.

Configuration, from the environment:

  TMD_PATHS          globs of the models to review (default **/*.tmd)
  TMD_REPORT         the Code Quality report to write (default
                     gl-code-quality-report.json; '' for none)
  TMD_COMMENT        true|false: post the note (default true)
  TMD_FAIL_ON        ''|high|medium|low: fail on open threats at or above it
  TMD_DENY_WARNINGS  true|false: fail on warnings too
  TMD_BASE, TMD_HEAD the revisions to compare (default
                     CI_MERGE_REQUEST_DIFF_BASE_SHA and CI_COMMIT_SHA)
  TMD_BIN            the tmd program (default tmd)
  TMD_GITLAB_TOKEN   a project or personal access token with the `api`
                     scope, sent as PRIVATE-TOKEN; without it the job's
                     CI_JOB_TOKEN is sent as JOB-TOKEN
  CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, CI_JOB_TOKEN
                     as GitLab CI sets them

Exit status: 0 when the review passes; 1 when it fails (errors in a changed
model, warnings with TMD_DENY_WARNINGS, open threats at TMD_FAIL_ON, tmd or
the API failing); 2 on bad configuration. Python 3 standard library only.
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tmd_review as r  # noqa: E402


class GitLab:
    def __init__(self, api, project, iid, headers):
        project = urllib.parse.quote(project, safe="")
        self.notes_url = f"{api.rstrip('/')}/projects/{project}/merge_requests/{int(iid)}/notes"
        self.headers = {"User-Agent": "tmd-mr", "Accept": "application/json", **headers}

    def notes(self):
        """Every note of the merge request, oldest first, following the pages."""
        url = f"{self.notes_url}?per_page=100&sort=asc&order_by=created_at"
        found = []
        while url:
            page, headers = r.request("GET", url, self.headers)
            if not isinstance(page, list):
                raise r.ApiError(f"GET {url}: expected a list of notes")
            found.extend(page)
            url = r.next_link(headers)
        return found

    def create(self, body):
        return r.request("POST", self.notes_url, self.headers, {"body": body})[0]

    def update(self, note_id, body):
        url = f"{self.notes_url}/{int(note_id)}"
        return r.request("PUT", url, self.headers, {"body": body})[0]


def ours(note):
    """Our note: not a system note, and its first line is the marker."""
    body = note.get("body") or ""
    return not note.get("system") and body.split("\n", 1)[0].strip() == r.MARKER


def post(gitlab, body):
    mine = [n for n in gitlab.notes() if ours(n)]
    if mine:
        if body is None:
            body = r.no_change_body()
        if mine[0].get("body") == body:
            return "unchanged", mine[0].get("id")
        gitlab.update(mine[0]["id"], body)
        return "updated", mine[0].get("id")
    if body is None:
        return "none", None
    done = gitlab.create(body) or {}
    return "created", done.get("id")


def main():
    base = r.env("TMD_BASE") or r.env("CI_MERGE_REQUEST_DIFF_BASE_SHA")
    head = r.env("TMD_HEAD") or r.env("CI_COMMIT_SHA")
    if not base or not head:
        raise r.UsageError(
            "no base and head revisions: run in a merge request pipeline, or set TMD_BASE and TMD_HEAD"
        )
    report = r.env("TMD_REPORT", "gl-code-quality-report.json")
    failures, comment, _ = r.review(
        tmd=r.env("TMD_BIN", "tmd") or "tmd",
        base=base,
        head=head,
        paths_text=r.env("TMD_PATHS", "**/*.tmd"),
        sarif_path=report,
        sarif_format="gitlab",
        fail_on=r.env("TMD_FAIL_ON").lower(),
        deny_warnings=r.truthy("TMD_DENY_WARNINGS", "false"),
    )
    if report and not os.path.exists(report):
        # No model changed: an empty report, so the artifact exists.
        with open(report, "w", encoding="utf-8") as f:
            f.write("[]\n")
    if r.truthy("TMD_COMMENT", "true"):
        iid = r.env("CI_MERGE_REQUEST_IID")
        if not iid:
            r.log("Not a merge request pipeline (no CI_MERGE_REQUEST_IID): no note.")
        else:
            api = r.env("CI_API_V4_URL")
            project = r.env("CI_PROJECT_ID")
            if not api or not project:
                raise r.UsageError("posting a note needs CI_API_V4_URL and CI_PROJECT_ID")
            token = r.env("TMD_GITLAB_TOKEN")
            if token:
                headers = {"PRIVATE-TOKEN": token}
            elif r.env("CI_JOB_TOKEN"):
                headers = {"JOB-TOKEN": r.env("CI_JOB_TOKEN")}
            else:
                raise r.UsageError("posting a note needs TMD_GITLAB_TOKEN (or CI_JOB_TOKEN)")
            try:
                done, note = post(GitLab(api, project, iid, headers), comment)
                r.log(f"Merge request note: {done} {note or ''}".rstrip())
            except r.ApiError as e:
                failures.append(f"could not post the note: {e}")
    for line in failures:
        print(f"ERROR: tmd: {line}", file=sys.stderr, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except r.UsageError as e:
        print(f"ERROR: tmd: {e}", file=sys.stderr, flush=True)
        sys.exit(2)
