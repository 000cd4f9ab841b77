//! `--focus`, `--depth` and `--collapse` from the command line: the real
//! binary on the samples (`src/view`, docs/svg.md "Views of big models").

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn scratch(test: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("views-cli-{test}"))
}

fn run(cmd: &mut Command) -> (Output, String, String) {
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

/// The `data-tmd-id`s of the elements an SVG draws.
fn element_ids(svg: &str) -> Vec<String> {
    svg.lines()
        .filter(|l| l.contains("class=\"tmd-element "))
        .filter_map(|l| {
            let at = l.find("data-tmd-id=\"")? + 13;
            let rest = &l[at..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

#[test]
fn focus_draws_the_neighbourhood_and_says_so() {
    let (out, svg, stderr) = run(tmd()
        .args(["render", "--focus", "api"])
        .arg(sample("saas-cicd.tmd")));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let ids = element_ids(&svg);
    assert!(ids.contains(&"api".to_string()), "{ids:?}");
    assert!(ids.contains(&"postgres".to_string()), "{ids:?}");
    assert!(!ids.contains(&"developer".to_string()), "{ids:?}");
    assert!(svg.contains("data-tmd-view=\"more\""));
    assert!(svg.contains("View: focus on api (depth 1)."), "caption");
    // A larger depth draws more.
    let (_, deeper, _) = run(tmd()
        .args(["render", "--focus", "api", "--depth", "2"])
        .arg(sample("saas-cicd.tmd")));
    assert!(element_ids(&deeper).len() > ids.len());
}

#[test]
fn collapse_draws_one_box_with_the_crossing_flows() {
    let (out, svg, stderr) = run(tmd()
        .args(["render", "--collapse", "vendors", "-f", "dot"])
        .arg(sample("saas-cicd.tmd")));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(svg.contains("\"vendors\" [id=\"el-vendors\""), "{svg}");
    assert!(
        !svg.contains("\"github\" [id="),
        "members are inside the box"
    );
    assert!(svg.contains("trust boundary drawn as one box"));
    let (out, svg, _) = run(tmd()
        .args(["render", "--collapse", "vendors"])
        .arg(sample("saas-cicd.tmd")));
    assert_eq!(out.status.code(), Some(0));
    assert!(svg.contains("tmd-collapsed"));
}

#[test]
fn a_name_the_model_lacks_is_refused_with_a_hint_and_nothing_written() {
    let dir = scratch("unknown");
    let out_file = dir.join("x.svg");
    let (out, _, stderr) = run(tmd()
        .args(["render", "--focus", "apii", "-o"])
        .arg(&out_file)
        .arg(sample("saas-cicd.tmd")));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "--focus apii: the model has no element, boundary or flow `apii`; did you mean `api`?"
        ),
        "{stderr}"
    );
    assert!(!out_file.exists());
    let (out, _, stderr) = run(tmd()
        .args(["render", "--collapse", "api"])
        .arg(sample("saas-cicd.tmd")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("`api` is an element"), "{stderr}");
    // --depth alone is refused by the parser of options.
    let (out, _, stderr) = run(tmd()
        .args(["render", "--depth", "2"])
        .arg(sample("saas-cicd.tmd")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("--focus"), "{stderr}");
}

#[test]
fn build_and_report_draw_the_view_and_keep_the_whole_tables() {
    let dir = scratch("build");
    let (out, _, stderr) = run(tmd()
        .args(["build", "--focus", "booking", "-o"])
        .arg(&dir)
        .arg(sample("telehealth.tmd")));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let svg = std::fs::read_to_string(dir.join("telehealth.svg")).unwrap();
    assert!(svg.contains("View: focus on booking"));
    let html = std::fs::read_to_string(dir.join("telehealth.html")).unwrap();
    assert!(html.contains("View: focus on booking"));
    // The export and the table are the whole model's.
    let csv = std::fs::read_to_string(dir.join("telehealth.csv")).unwrap();
    let whole = run(tmd()
        .args(["table", "-f", "csv"])
        .arg(sample("telehealth.tmd")))
    .1;
    assert_eq!(csv, whole);

    let (out, html, stderr) = run(tmd()
        .args(["report", "-f", "html", "--collapse", "cluster"])
        .arg(sample("telehealth.tmd")));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(html.contains("tmd-collapsed"));
    let (out, _, stderr) = run(tmd()
        .args(["report", "-f", "md", "--focus", "booking"])
        .arg(sample("telehealth.tmd")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("HTML report"), "{stderr}");
}

#[test]
fn markdown_fences_take_the_same_views() {
    let dir = scratch("md");
    let page = dir.join("page.md");
    std::fs::write(
        &page,
        "# Shop\n\n```tmd focus=web collapse=data diagram\nexternal user \"User\"\nboundary cloud \"Cloud\" {\n  process web \"Web\"\n  boundary data \"Data\" {\n    store db \"DB\"\n  }\n}\nprocess worker \"Worker\"\nflow user -> web\nflow web -> db\nflow worker -> user\n```\n",
    )
    .unwrap();
    let (out, text, stderr) = run(tmd().arg("md").arg(&page));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(text.contains("tmd-collapsed"), "{text}");
    assert!(text.contains("View: focus on web (depth 1); boundary data collapsed."));
    std::fs::write(
        &page,
        "```tmd focus=wbe\nprocess web\nprocess api\nflow web -> api\n```\n",
    )
    .unwrap();
    let (out, _, stderr) = run(tmd().arg("md").arg(&page));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`focus=wbe`: the model has no element"),
        "{stderr}"
    );
}
