//! The publishing files of a new site: a GitHub Pages workflow (with a Dependabot
//! configuration that keeps its pinned actions current) or a GitLab Pages pipeline.
//!
//! Both install treatyline with the one script in `install.sh`: this version's release
//! archive, checked against the release's checksums, or else `cargo install --git` of its tag.
//! The repository's address has one source, Cargo.toml's `repository`, compiled in here.

/// The version a new site's workflow installs: the one that made it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Where releases and source are: Cargo.toml's `repository`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

const GITHUB_WORKFLOW: &str = include_str!("publish.yml");
const GITHUB_DEPENDABOT: &str = include_str!("dependabot.yml");
const GITLAB_PIPELINE: &str = include_str!("gitlab-ci.yml");
const INSTALL: &str = include_str!("install.sh");
const README_GITHUB: &str = include_str!("publishing-github.md");
const README_GITLAB: &str = include_str!("publishing-gitlab.md");

/// Where a new site is published from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Ci {
    /// GitHub Pages, built by GitHub Actions (`.github/workflows/publish.yml`).
    #[default]
    GitHub,
    /// GitLab Pages, built by GitLab CI/CD (`.gitlab-ci.yml`).
    GitLab,
}

impl Ci {
    /// The CI files of a site published this way: (path, contents).
    pub fn files(self) -> Vec<(&'static str, String)> {
        match self {
            Ci::GitHub => vec![
                (".github/workflows/publish.yml", fill(GITHUB_WORKFLOW)),
                (".github/dependabot.yml", GITHUB_DEPENDABOT.to_string()),
            ],
            Ci::GitLab => vec![(".gitlab-ci.yml", fill(GITLAB_PIPELINE))],
        }
    }

    /// The README's section on publishing.
    pub fn readme_section(self) -> String {
        match self {
            Ci::GitHub => fill(README_GITHUB),
            Ci::GitLab => fill(README_GITLAB),
        }
    }
}

/// A template with `{{version}}` and `{{repository}}` filled in, and a line holding only
/// `{{install}}` replaced by the install script, indented as that line is (the script goes
/// into a YAML block scalar).
pub fn fill(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + INSTALL.len() * 2);
    for line in template.split_inclusive('\n') {
        if line.trim() != "{{install}}" {
            out.push_str(line);
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        for script_line in INSTALL.lines() {
            if !script_line.is_empty() {
                out.push_str(indent);
                out.push_str(script_line);
            }
            out.push('\n');
        }
    }
    out.replace("{{version}}", VERSION)
        .replace("{{repository}}", REPOSITORY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_install_script_goes_in_indented_and_every_placeholder_is_filled() {
        for ci in [Ci::GitHub, Ci::GitLab] {
            for (path, text) in ci.files() {
                // `${{ ... }}` is GitHub's; `{{...}}` alone is ours.
                let unfilled = text.replace("${{", "").contains("{{");
                assert!(!unfilled, "{path} keeps a placeholder");
                assert!(text.contains(VERSION) || path.ends_with("dependabot.yml"));
            }
        }
        let filled = fill("a:\n  - |\n    {{install}}\n  - next\n");
        assert!(
            filled.starts_with("a:\n  - |\n    # Installs treatyline"),
            "{filled}"
        );
        assert!(filled.contains("\n    (\n      set -eu\n"), "{filled}");
        assert!(filled.ends_with("\n    )\n  - next\n"), "{filled}");
    }

    #[test]
    fn the_repository_is_cargo_tomls() {
        assert!(
            REPOSITORY.starts_with("https://github.com/"),
            "{REPOSITORY}"
        );
        assert!(fill(GITHUB_WORKFLOW).contains(&format!("\"{REPOSITORY}\"")));
    }
}
