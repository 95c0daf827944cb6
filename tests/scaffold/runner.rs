//! Just enough of GitHub Actions and GitLab CI to run a new site's publishing files on this
//! machine: the shell steps of a job, in order, with the variables the services set, against a
//! release of treatyline served from 127.0.0.1.
//!
//! A release here is this build's own treatyline, packed by the scripts the release workflow
//! runs (.ci/release/pack.sh, then checksums.sh).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_yaml::Value;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The release target of this machine, as the install script picks it.
pub fn host_target() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

/// Packs this build's treatyline as the release workflow does, into `dir/v<version>/`.
pub fn make_release(dir: &Path) -> PathBuf {
    let release = dir.join(format!("v{VERSION}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pack = Command::new("bash")
        .arg(root.join(".ci/release/pack.sh"))
        .args([host_target(), VERSION])
        .arg(&release)
        .arg(env!("CARGO_BIN_EXE_treatyline"))
        .output()
        .expect("bash runs");
    super::assert_success(&pack, ".ci/release/pack.sh");
    let sums = Command::new("bash")
        .arg(root.join(".ci/release/checksums.sh"))
        .arg(&release)
        .output()
        .expect("bash runs");
    super::assert_success(&sums, ".ci/release/checksums.sh");
    release
}

/// A static file server for a folder, on 127.0.0.1; remembers the paths asked for.
pub struct Server {
    pub url: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let mut reader = BufReader::new(&stream);
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // The headers are read and ignored.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split(' ').nth(1).unwrap_or("/").to_string();
                seen.lock().unwrap().push(path.clone());
                let file = root.join(path.trim_start_matches('/'));
                let response = match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => {
                        let mut r = format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        r.extend(body);
                        r
                    }
                    _ => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = stream.write_all(&response);
            }
        });
        Server { url, requests }
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// The machine a job runs on: a workspace (the site), a home folder (kept between runs, as
/// the cache would keep it), a temporary folder, and the variables every job gets.
pub struct Machine {
    pub workspace: PathBuf,
    pub home: PathBuf,
    pub temp: PathBuf,
    /// Folders put before the system's PATH (a fake tool, say).
    pub extra_path: Vec<PathBuf>,
    pub env: BTreeMap<String, String>,
}

impl Machine {
    pub fn new(scratch: &Path, site: &Path, download_url: &str) -> Machine {
        let home = scratch.join("home");
        let temp = scratch.join("runner-temp");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&temp).unwrap();
        let mut env = BTreeMap::new();
        env.insert("CI".into(), "true".into());
        env.insert("HOME".into(), path_string(&home));
        env.insert("TREATYLINE_DOWNLOAD_URL".into(), download_url.to_string());
        Machine {
            workspace: site.to_path_buf(),
            home,
            temp,
            extra_path: Vec::new(),
            env,
        }
    }

    /// The system's PATH without any folder that holds a treatyline: the job must install
    /// its own.
    fn path(&self, added: &[String]) -> String {
        let system = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs: Vec<String> = added.iter().rev().cloned().collect();
        dirs.extend(self.extra_path.iter().map(|p| path_string(p)));
        dirs.extend(
            std::env::split_paths(&system)
                .filter(|dir| !dir.join("treatyline").exists())
                .map(|dir| path_string(&dir)),
        );
        dirs.join(":")
    }

    fn command(&self, script: &Path, vars: &BTreeMap<String, String>, added: &[String]) -> Command {
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(script)
            .current_dir(&self.workspace)
            .env_clear()
            .envs(&self.env)
            .envs(vars)
            .env("PATH", self.path(added));
        command
    }
}

pub fn path_string(path: &Path) -> String {
    path.to_str()
        .expect("temporary paths are UTF-8")
        .to_string()
}

/// What a job did: the output of each shell step that ran, the last one failed if any did.
pub struct JobRun {
    pub steps: Vec<(String, Output)>,
}

impl JobRun {
    pub fn succeeded(&self) -> bool {
        self.steps.iter().all(|(_, out)| out.status.success())
    }

    /// Everything the steps printed, for messages.
    pub fn log(&self) -> String {
        let mut log = String::new();
        for (name, out) in &self.steps {
            log.push_str(&format!(
                "--- {name} ({})\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        log
    }
}

/// The value of every `${{ ... }}` a job may use, as GitHub would give it on this machine.
fn github_expression(
    expression: &str,
    machine: &Machine,
    env: &BTreeMap<String, String>,
) -> String {
    let inner = expression.trim();
    if let Some(name) = inner.strip_prefix("env.") {
        return env.get(name).cloned().unwrap_or_default();
    }
    match inner {
        // What actions/configure-pages gives for a project site.
        "steps.pages.outputs.base_url" => "https://user.github.io/repo".into(),
        "runner.os" => "Linux".into(),
        "runner.arch" => runner_arch().into(),
        "runner.temp" => path_string(&machine.temp),
        other => panic!("the test does not know the value of ${{{{ {other} }}}}"),
    }
}

fn runner_arch() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "ARM64",
        _ => "X64",
    }
}

/// `text` with its `${{ ... }}` expressions evaluated.
fn expand(text: &str, machine: &Machine, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("an expression ends") + start;
        out.push_str(&github_expression(&rest[start + 3..end], machine, env));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

fn env_block(value: &Value, machine: &Machine, env: &mut BTreeMap<String, String>) {
    if let Some(map) = value.get("env").and_then(Value::as_mapping) {
        for (key, val) in map {
            let text = match val {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other).unwrap().trim().to_string(),
            };
            let expanded = expand(&text, machine, env);
            env.insert(key.as_str().unwrap().to_string(), expanded);
        }
    }
}

/// Runs the `run:` steps of a GitHub Actions job in order, as a Linux runner would, until one
/// fails. `uses:` steps are checked against `actions` (the ones the test stands in for).
pub fn run_github_job(workflow: &str, job: &str, machine: &Machine, actions: &[&str]) -> JobRun {
    let workflow: Value = serde_yaml::from_str(workflow).expect("the workflow is YAML");
    let job = &workflow["jobs"][job];
    let shell = job["defaults"]["run"]["shell"].as_str();
    assert_eq!(shell, Some("bash"), "the job's steps run in bash");
    let mut env = BTreeMap::new();
    env.insert("GITHUB_ACTIONS".to_string(), "true".to_string());
    env.insert(
        "GITHUB_WORKSPACE".to_string(),
        path_string(&machine.workspace),
    );
    env.insert("RUNNER_OS".to_string(), "Linux".to_string());
    env.insert("RUNNER_ARCH".to_string(), runner_arch().to_string());
    env.insert("RUNNER_TEMP".to_string(), path_string(&machine.temp));
    env_block(&workflow, machine, &mut env);
    env_block(job, machine, &mut env);
    let mut added_path: Vec<String> = Vec::new();
    let mut run = JobRun { steps: Vec::new() };
    let steps = job["steps"].as_sequence().expect("the job has steps");
    for (i, step) in steps.iter().enumerate() {
        assert!(
            step.get("if").is_none(),
            "step {i} has a condition the test ignores"
        );
        if let Some(action) = step["uses"].as_str() {
            let name = action.split('@').next().unwrap();
            assert!(
                actions.contains(&name),
                "the test does not stand in for {action}"
            );
            continue;
        }
        let script = step["run"].as_str().expect("a step runs or uses");
        assert!(
            !script.contains("${{"),
            "step {i} expands a template inside run:"
        );
        let mut vars = env.clone();
        env_block(step, machine, &mut vars);
        let files = [
            "GITHUB_OUTPUT",
            "GITHUB_ENV",
            "GITHUB_PATH",
            "GITHUB_STEP_SUMMARY",
        ];
        for name in files {
            let file = machine.temp.join(format!("{name}-{i}"));
            std::fs::write(&file, "").unwrap();
            vars.insert(name.to_string(), path_string(&file));
        }
        let file = machine.temp.join(format!("step-{i}.sh"));
        std::fs::write(&file, script).unwrap();
        let out = machine
            .command(&file, &vars, &added_path)
            .output()
            .expect("bash runs");
        let name = step["name"].as_str().unwrap_or(script).to_string();
        let ok = out.status.success();
        run.steps.push((name, out));
        if !ok {
            break;
        }
        let read = |name: &str| std::fs::read_to_string(&vars[name]).unwrap();
        added_path.extend(read("GITHUB_PATH").lines().map(str::to_string));
        for line in read("GITHUB_ENV").lines() {
            let (key, value) = line.split_once('=').expect("NAME=value in GITHUB_ENV");
            env.insert(key.to_string(), value.to_string());
        }
    }
    run
}

/// Runs a GitLab CI job's `before_script` and `script` in one shell, as GitLab's shell
/// executor does, with the pipeline's and the job's variables (which may name other variables,
/// as `$CI_PROJECT_DIR`).
pub fn run_gitlab_job(
    pipeline: &str,
    job: &str,
    machine: &Machine,
    ci: &[(&str, String)],
) -> JobRun {
    let pipeline: Value = serde_yaml::from_str(pipeline).expect(".gitlab-ci.yml is YAML");
    let job_value = &pipeline[job];
    let mut script = String::new();
    for (name, value) in ci {
        script.push_str(&format!("export {name}='{value}'\n"));
    }
    for variables in [&pipeline["variables"], &job_value["variables"]] {
        for (key, value) in variables.as_mapping().into_iter().flatten() {
            let value = value.as_str().expect("variables are strings");
            assert!(!value.contains(['"', '\\', '`']), "{value}");
            script.push_str(&format!("export {}=\"{value}\"\n", key.as_str().unwrap()));
        }
    }
    for part in ["before_script", "script"] {
        for line in job_value[part].as_sequence().into_iter().flatten() {
            script.push_str(line.as_str().expect("script lines are strings"));
            script.push('\n');
        }
    }
    let file = machine.temp.join(format!("{job}.sh"));
    std::fs::write(&file, script).unwrap();
    let out = machine
        .command(&file, &BTreeMap::new(), &[])
        .output()
        .expect("bash runs");
    JobRun {
        steps: vec![(job.to_string(), out)],
    }
}
