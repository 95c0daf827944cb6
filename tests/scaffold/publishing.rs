//! A new site's publishing files, run: the GitHub workflow's and the GitLab pipeline's shell
//! steps install treatyline from a release served on 127.0.0.1 (checking its checksum, using
//! the cache, building from the tag when there is no release) and build the site under its
//! subpath address. Also the static rules: every action is pinned, the pipeline is valid for
//! GitLab's schema, and the release workflow builds every archive the install script asks for.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;

use super::runner::{
    self, JobRun, Machine, REPOSITORY, Server, VERSION, make_release, path_string,
};
use super::{TempDir, assert_success, path_arg, read, treatyline};

/// The actions the GitHub job uses that the test stands in for: the site is already in the
/// workspace, configure-pages' address is known, the cache is the home folder kept between
/// runs, and the artifact is `public/`.
const STOOD_IN_FOR: [&str; 4] = [
    "actions/checkout",
    "actions/configure-pages",
    "actions/cache",
    "actions/upload-pages-artifact",
];

fn new_site(tmp: &TempDir, ci: &str) -> PathBuf {
    let site = tmp.0.join("site");
    assert_success(
        &treatyline(&["new", "--bare", "--ci", ci, path_arg(&site)]),
        "treatyline new",
    );
    site
}

#[track_caller]
fn assert_job_ok(run: &JobRun) {
    assert!(run.succeeded(), "the job failed:\n{}", run.log());
}

/// The site in `public` was built for `base` (the feed, the sitemap and the home page's
/// canonical link name it; pages link under its path, from the domain's root).
#[track_caller]
fn assert_built_for(public: &Path, base: &str) {
    let feed = read(&public.join("feed.xml"));
    assert!(
        feed.contains(&format!("href=\"{base}feed.xml\"")),
        "the feed is not at {base}:\n{feed}"
    );
    let sitemap = read(&public.join("sitemap.xml"));
    assert!(sitemap.contains(&format!("<loc>{base}</loc>")), "{sitemap}");
    let home = read(&public.join("index.html"));
    assert!(
        home.contains(&format!("<link rel=\"canonical\" href=\"{base}\">")),
        "the home page is not at {base}"
    );
    let host_and_path = &base[base.find("://").expect("an absolute URL") + 3..];
    let path = &host_and_path[host_and_path.find('/').expect("a path")..];
    assert!(
        home.contains(&format!("href=\"{path}treaties/\"")),
        "the home page does not link under {path}"
    );
}

fn github_workflow(site: &Path) -> String {
    read(&site.join(".github/workflows/publish.yml"))
}

#[test]
fn the_github_workflow_installs_the_release_and_builds_under_the_subpath() {
    let tmp = TempDir::new("gh-run");
    let site = new_site(&tmp, "github");
    let releases = tmp.0.join("releases");
    make_release(&releases);
    let server = Server::start(&releases);
    let machine = Machine::new(&tmp.0, &site, &server.url);

    let run = runner::run_github_job(&github_workflow(&site), "build", &machine, &STOOD_IN_FOR);
    assert_job_ok(&run);
    let archive = format!("treatyline-v{VERSION}-{}.tar.gz", runner::host_target());
    assert_eq!(
        server.requests(),
        [
            format!("/v{VERSION}/SHA256SUMS"),
            format!("/v{VERSION}/{archive}")
        ]
    );
    // Installed where the cache step keeps it (`path: ~/.treatyline`).
    assert!(machine.home.join(".treatyline/bin/treatyline").is_file());
    assert_built_for(&site.join("public"), "https://user.github.io/repo/");

    // The next run finds the binary the cache restored and downloads nothing.
    std::fs::remove_dir_all(site.join("public")).unwrap();
    let again = runner::run_github_job(&github_workflow(&site), "build", &machine, &STOOD_IN_FOR);
    assert_job_ok(&again);
    assert_eq!(server.requests().len(), 2, "{:?}", server.requests());
    assert!(again.log().contains("from the cache"), "{}", again.log());
    assert!(site.join("public/index.html").is_file());
}

#[test]
fn an_archive_that_does_not_match_its_checksum_is_refused() {
    let tmp = TempDir::new("gh-tampered");
    let site = new_site(&tmp, "github");
    let releases = tmp.0.join("releases");
    let release = make_release(&releases);
    let sums = read(&release.join("SHA256SUMS"));
    let (sum, rest) = sums.split_once(' ').unwrap();
    let flipped = if sum.starts_with('0') { "1" } else { "0" };
    std::fs::write(
        release.join("SHA256SUMS"),
        format!("{flipped}{} {rest}", &sum[1..]),
    )
    .unwrap();
    let server = Server::start(&releases);
    let mut machine = Machine::new(&tmp.0, &site, &server.url);
    let cargo_log = fake_cargo(&tmp.0, &mut machine);

    let run = runner::run_github_job(&github_workflow(&site), "build", &machine, &STOOD_IN_FOR);
    assert!(
        !run.succeeded(),
        "a tampered archive was installed:\n{}",
        run.log()
    );
    let (failed, _) = run.steps.last().unwrap();
    assert_eq!(failed, "Install treatyline");
    assert!(
        run.log().contains("does not match its checksum"),
        "{}",
        run.log()
    );
    assert!(
        !cargo_log.exists(),
        "a bad checksum must not fall back to building"
    );
    assert!(!machine.home.join(".treatyline/bin/treatyline").exists());
}

/// Puts a `cargo` on the machine's PATH that records its arguments and "installs" this build's
/// treatyline into `--root`; returns the file it records into.
fn fake_cargo(scratch: &Path, machine: &mut Machine) -> PathBuf {
    let bin = scratch.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = scratch.join("cargo-args");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{log}'\nroot=\nprev=\n\
         for a in \"$@\"; do [ \"$prev\" = --root ] && root=$a; prev=$a; done\n\
         mkdir -p \"$root/bin\" && cp '{exe}' \"$root/bin/treatyline\"\n",
        log = path_string(&log),
        exe = env!("CARGO_BIN_EXE_treatyline"),
    );
    let cargo = bin.join("cargo");
    std::fs::write(&cargo, script).unwrap();
    let status = Command::new("chmod")
        .arg("+x")
        .arg(&cargo)
        .status()
        .unwrap();
    assert!(status.success());
    machine.extra_path.push(bin);
    log
}

#[test]
fn without_a_release_the_workflow_builds_the_tag_from_the_repository() {
    let tmp = TempDir::new("gh-fallback");
    let site = new_site(&tmp, "github");
    let empty = tmp.0.join("no-releases");
    std::fs::create_dir_all(&empty).unwrap();
    let server = Server::start(&empty);
    let mut machine = Machine::new(&tmp.0, &site, &server.url);
    let cargo_log = fake_cargo(&tmp.0, &mut machine);

    let run = runner::run_github_job(&github_workflow(&site), "build", &machine, &STOOD_IN_FOR);
    assert_job_ok(&run);
    let home = path_string(&machine.home.join(".treatyline"));
    let tag = format!("v{VERSION}");
    assert_eq!(
        read(&cargo_log).lines().collect::<Vec<_>>(),
        [
            "install",
            "--git",
            REPOSITORY,
            "--tag",
            &tag,
            "--locked",
            "--root",
            &home,
            "treatyline"
        ]
    );
    assert_built_for(&site.join("public"), "https://user.github.io/repo/");
}

#[test]
fn the_gitlab_pipeline_installs_the_release_and_builds_under_the_subpath() {
    let tmp = TempDir::new("gl-run");
    let site = new_site(&tmp, "gitlab");
    assert!(
        !site.join(".github").exists(),
        "--ci gitlab writes no GitHub files"
    );
    let releases = tmp.0.join("releases");
    make_release(&releases);
    let server = Server::start(&releases);
    let machine = Machine::new(&tmp.0, &site, &server.url);
    let pipeline = read(&site.join(".gitlab-ci.yml"));
    let ci = [
        ("CI_PROJECT_DIR", path_string(&site)),
        ("CI_PAGES_URL", "https://user.gitlab.io/repo".to_string()),
        ("GITLAB_CI", "true".to_string()),
    ];

    let run = runner::run_gitlab_job(&pipeline, "pages", &machine, &ci);
    assert_job_ok(&run);
    assert_eq!(server.requests().len(), 2, "{:?}", server.requests());
    // Installed where the cache keeps it (`paths: [.cache/treatyline/]`), and `public` is the
    // artifact GitLab Pages publishes.
    assert!(site.join(".cache/treatyline/bin/treatyline").is_file());
    let parsed: Value = serde_yaml::from_str(&pipeline).unwrap();
    assert_eq!(
        parsed["pages"]["cache"]["paths"][0].as_str(),
        Some(".cache/treatyline/")
    );
    assert_eq!(
        parsed["pages"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );
    assert_built_for(&site.join("public"), "https://user.gitlab.io/repo/");

    let again = runner::run_gitlab_job(&pipeline, "pages", &machine, &ci);
    assert_job_ok(&again);
    assert_eq!(server.requests().len(), 2, "the cached binary is used");
}

#[test]
fn the_gitlab_pipeline_is_valid_for_gitlabs_schema() {
    let tmp = TempDir::new("gl-schema");
    let site = new_site(&tmp, "gitlab");
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/gitlab-ci.json");
    let schema: serde_json::Value = serde_json::from_str(&read(&schema_path)).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("GitLab's schema compiles");
    let pipeline: serde_json::Value =
        serde_yaml::from_str(&read(&site.join(".gitlab-ci.yml"))).expect("YAML");
    let errors: Vec<String> = validator
        .iter_errors(&pipeline)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is not a rubber stamp: a misspelt key is refused.
    let mut bad = pipeline.clone();
    bad["pages"]["scripts"] = bad["pages"]["script"].clone();
    assert!(!validator.is_valid(&bad));
}

/// `uses:` lines of a workflow: (action, commit, version comment).
fn pins(workflow: &str) -> Vec<(String, String, String)> {
    workflow
        .lines()
        .filter_map(|line| line.trim().trim_start_matches("- ").strip_prefix("uses: "))
        .map(|uses| {
            let (action, rest) = uses.split_once('@').expect("action@ref");
            let (commit, comment) = rest.split_once(" # ").unwrap_or((rest, ""));
            (action.to_string(), commit.to_string(), comment.to_string())
        })
        .collect()
}

#[test]
fn every_action_is_pinned_to_a_commit_and_the_scaffold_uses_the_repositorys_pins() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut known = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(root.join(".github/workflows")).unwrap() {
        let path = entry.unwrap().path();
        for (action, commit, comment) in pins(&read(&path)) {
            assert!(
                commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}: {action} is not pinned to a commit",
                path.display()
            );
            assert!(
                comment.starts_with('v'),
                "{}: {action} has no version comment",
                path.display()
            );
            let previous = known.insert(action.clone(), (commit.clone(), comment.clone()));
            if let Some(previous) = previous {
                assert_eq!(
                    previous,
                    (commit, comment),
                    "{action} is pinned twice, differently"
                );
            }
        }
    }
    let tmp = TempDir::new("pins");
    let scaffold_pins = pins(&github_workflow(&new_site(&tmp, "github")));
    assert!(scaffold_pins.len() >= 4);
    for (action, commit, comment) in scaffold_pins {
        // Dependabot bumps the repository's own workflows: the scaffold follows them.
        assert_eq!(
            known.get(&action),
            Some(&(commit, comment)),
            "src/scaffold/publish.yml pins {action} unlike .github/workflows/"
        );
    }
}

#[test]
fn the_release_builds_every_archive_the_install_script_asks_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release: Value =
        serde_yaml::from_str(&read(&root.join(".github/workflows/release.yml"))).unwrap();
    assert_eq!(release["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let mut built: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|entry| entry["target"].as_str().unwrap())
        .collect();
    built.sort();
    assert_eq!(
        built,
        [
            "aarch64-apple-darwin",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "x86_64-unknown-linux-musl",
        ]
    );
    let tmp = TempDir::new("targets");
    let workflow = github_workflow(&new_site(&tmp, "github"));
    for target in built {
        assert!(workflow.contains(&format!("target={target}")), "{target}");
    }
}

#[test]
fn a_release_tag_must_name_cargo_tomls_version() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/release/check-version.sh");
    let check = |tag: &str| Command::new("bash").arg(&script).arg(tag).output().unwrap();
    assert_success(&check(&format!("v{VERSION}")), "check-version.sh");
    for wrong in [
        format!("v{VERSION}.1"),
        VERSION.to_string(),
        "v0.0.0".to_string(),
    ] {
        let out = check(&wrong);
        assert_eq!(out.status.code(), Some(1), "{wrong} was accepted");
        assert!(String::from_utf8_lossy(&out.stderr).contains("does not match"));
    }
}
