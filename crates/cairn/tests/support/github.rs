//! An in-memory GitHub for tests: one repository's git data (blobs, trees, commits, branches),
//! its pull requests, issues and their comments, served over HTTP by `super::http` with the token
//! checked on every request and every request logged. Its answers are shaped like GitHub's
//! documented examples, since octocrab's typed models need every field they do not mark
//! optional.
//!
//! It keeps GitHub's rules that cairn relies on: a branch that does not exist is a 404; a tree
//! entry with `"sha": null` deletes its path, and deleting a path that does not exist is a 422;
//! creating a branch that exists is a 422; moving a branch to a commit that does not descend from
//! it needs `force`; a second open pull request for the same head and base is a 422. Object ids
//! are 40 hex digits computed from the content, so equal trees have equal ids, as in git; a
//! commit's id also counts the commits made before it, as a real one holds its creation time.
//!
//! Also used by cairn-github's own tests (through `#[path]`), so it depends only on `super::http`,
//! serde_json, base64 and std.

#![allow(dead_code)] // Each test file uses the part it needs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use serde_json::{Value, json};

use super::http::{self, Response};

/// One request the fake received.
#[derive(Clone, Debug, PartialEq)]
pub struct Logged {
    pub method: String,
    /// The path under the API's root, with its query.
    pub path: String,
    /// The JSON body, or `Null` when there was none.
    pub body: Value,
    /// The status the fake answered.
    pub status: u16,
}

/// A commit in the fake's git data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub tree: String,
    pub parents: Vec<String>,
    pub message: String,
}

/// A pull request in the fake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pull {
    pub number: u64,
    pub title: String,
    pub body: String,
    /// The head branch's name.
    pub head: String,
    pub base: String,
    /// The head branch's commit when the pull request was opened.
    pub head_sha: String,
    pub draft: bool,
    pub open: bool,
    pub merged: bool,
    /// Who was asked to review: users, then `team:slug`s.
    pub reviewers: Vec<String>,
}

/// An issue (not a pull request) in the fake. Issues and pull requests share one sequence of
/// numbers, as on GitHub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub open: bool,
}

/// An issue (or pull request) comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub issue: u64,
    pub body: String,
}

/// A failure the fake answers instead of (or after) doing what was asked.
#[derive(Clone, Debug)]
struct Failure {
    method: String,
    /// The request's path must contain this.
    path: String,
    status: u16,
    /// Whether the fake does what was asked before answering the failure (a 5xx may come
    /// after GitHub acted).
    acted: bool,
    /// How many matching requests are answered as usual before this one fails.
    skip: usize,
}

#[derive(Debug, Default)]
struct State {
    token: String,
    default_branch: String,
    branches: BTreeMap<String, String>,
    commits: BTreeMap<String, Commit>,
    /// Each tree: file path → blob id (trees are flat: paths have their folders).
    trees: BTreeMap<String, BTreeMap<String, String>>,
    blobs: BTreeMap<String, Vec<u8>>,
    pulls: Vec<Pull>,
    issues: Vec<Issue>,
    comments: Vec<Comment>,
    next_comment: u64,
    failures: Vec<Failure>,
    log: Vec<Logged>,
}

/// An in-memory GitHub serving one repository, `owner/repo`, to clients with `token`.
#[derive(Clone, Debug)]
pub struct FakeGitHub {
    /// The API's root URL: pass it as `GITHUB_API_URL`.
    pub url: String,
    pub owner: String,
    pub repo: String,
    state: Arc<Mutex<State>>,
}

impl FakeGitHub {
    /// Starts a fake with an empty repository whose default branch is `main`.
    #[must_use]
    pub fn start(owner: &str, repo: &str, token: &str) -> FakeGitHub {
        let state = Arc::new(Mutex::new(State {
            token: token.to_owned(),
            default_branch: "main".to_owned(),
            next_comment: 1_000,
            ..State::default()
        }));
        let (served, prefix) = (Arc::clone(&state), format!("/repos/{owner}/{repo}"));
        let names = (owner.to_owned(), repo.to_owned());
        let url = http::serve(move |request| {
            let mut state = served.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            let (status, answer) = if http::authorized(request.authorization.as_deref(), &state.token) {
                match request.path.strip_prefix(&prefix) {
                    Some(rest) => state.answer(&names, &request.method, rest, &request.path, &body),
                    None => not_found(),
                }
            } else {
                (401, json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}))
            };
            state.log.push(Logged { method: request.method.clone(), path: request.path.clone(), body, status });
            let text = if answer.is_null() { Vec::new() } else { answer.to_string().into_bytes() };
            Response::new(status, text).header("content-type", "application/json; charset=utf-8")
        });
        FakeGitHub { url, owner: owner.to_owned(), repo: repo.to_owned(), state }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Commits `files` (path, bytes) as the whole tree of `branch`, on top of the branch's head
    /// when it exists; returns the commit's id.
    pub fn commit_files(&self, branch: &str, files: &[(&str, &[u8])], message: &str) -> String {
        let mut state = self.state();
        let tree: BTreeMap<String, String> =
            files.iter().map(|(path, bytes)| ((*path).to_owned(), state.put_blob(bytes.to_vec()))).collect();
        let tree = state.put_tree(tree);
        let parents = state.branches.get(branch).cloned().into_iter().collect();
        let sha = state.put_commit(Commit { tree, parents, message: message.to_owned() });
        state.branches.insert(branch.to_owned(), sha.clone());
        sha
    }

    /// Loads the committed files of the git repository at `dir` (its `HEAD`) as `branch`, under
    /// `HEAD`'s real commit id, so that a run computed on that commit can name it as its parent.
    pub fn load_git(&self, dir: &Path, branch: &str) -> String {
        let git = |args: &[&str]| {
            let output = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
            assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
            output.stdout
        };
        let head = String::from_utf8(git(&["rev-parse", "HEAD"])).expect("UTF-8").trim().to_owned();
        let listing = git(&["ls-tree", "-r", "-z", "--name-only", "HEAD"]);
        let mut state = self.state();
        let mut tree = BTreeMap::new();
        for path in listing.split(|&byte| byte == 0).filter(|path| !path.is_empty()) {
            let path = String::from_utf8(path.to_vec()).expect("a UTF-8 path");
            let bytes = git(&["cat-file", "blob", &format!("HEAD:{path}")]);
            tree.insert(path, state.put_blob(bytes));
        }
        let tree = state.put_tree(tree);
        state.commits.insert(head.clone(), Commit { tree, parents: Vec::new(), message: "loaded".to_owned() });
        state.branches.insert(branch.to_owned(), head.clone());
        head
    }

    /// The next request with `method` whose path contains `path` answers `status`, without
    /// doing what it asked.
    pub fn fail(&self, method: &str, path: &str, status: u16) {
        self.fail_nth(method, path, 1, status);
    }

    /// The `nth` request (from 1) with `method` whose path contains `path` answers `status`
    /// (0: the connection drops), without doing what it asked; those before it are answered as
    /// usual.
    pub fn fail_nth(&self, method: &str, path: &str, nth: usize, status: u16) {
        let skip = nth.saturating_sub(1);
        let failure = Failure { method: method.to_owned(), path: path.to_owned(), status, acted: false, skip };
        self.state().failures.push(failure);
    }

    /// The next request with `method` whose path contains `path` is done, and then answered
    /// `status` (as when GitHub acts and the answer is lost); status 0 drops the connection
    /// instead of answering.
    pub fn fail_after_acting(&self, method: &str, path: &str, status: u16) {
        let failure = Failure { method: method.to_owned(), path: path.to_owned(), status, acted: true, skip: 0 };
        self.state().failures.push(failure);
    }

    /// The `nth` request (from 1) with `method` whose path contains `path` is done, and then
    /// its connection drops without an answer: the client cannot tell whether GitHub acted.
    pub fn drop_nth_after_acting(&self, method: &str, path: &str, nth: usize) {
        let skip = nth.saturating_sub(1);
        let failure = Failure { method: method.to_owned(), path: path.to_owned(), status: 0, acted: true, skip };
        self.state().failures.push(failure);
    }

    /// Every request received, in order.
    #[must_use]
    pub fn log(&self) -> Vec<Logged> {
        self.state().log.clone()
    }

    /// `METHOD path` of every request received, in order.
    #[must_use]
    pub fn requests(&self) -> Vec<String> {
        self.state().log.iter().map(|logged| format!("{} {}", logged.method, logged.path)).collect()
    }

    /// Forgets the requests received so far.
    pub fn clear_log(&self) {
        self.state().log.clear();
    }

    #[must_use]
    pub fn pulls(&self) -> Vec<Pull> {
        self.state().pulls.clone()
    }

    /// Closes pull request `number`, merged or not (merging moves the base to the head's commit).
    pub fn close_pull(&self, number: u64, merged: bool) {
        let mut state = self.state();
        let Some(index) = state.pulls.iter().position(|pull| pull.number == number) else { return };
        let pull = &mut state.pulls[index];
        pull.open = false;
        pull.merged = merged;
        let (base, head) = (pull.base.clone(), pull.head.clone());
        if merged && let Some(sha) = state.branches.get(&head).cloned() {
            state.branches.insert(base, sha);
        }
    }

    /// Records a pull request from `head` into the default branch that was merged before the
    /// test began (the one a commit's message names); returns its number.
    pub fn merged_pull(&self, title: &str, head: &str) -> u64 {
        let mut state = self.state();
        let number = state.next_number();
        let base = state.default_branch.clone();
        state.pulls.push(Pull {
            number,
            title: title.to_owned(),
            body: String::new(),
            head: head.to_owned(),
            base,
            head_sha: String::new(),
            draft: false,
            open: false,
            merged: true,
            reviewers: Vec::new(),
        });
        number
    }

    #[must_use]
    pub fn issues(&self) -> Vec<Issue> {
        self.state().issues.clone()
    }

    /// The comments on issue or pull request `issue`, oldest first.
    #[must_use]
    pub fn comments(&self, issue: u64) -> Vec<Comment> {
        self.state().comments.iter().filter(|comment| comment.issue == issue).cloned().collect()
    }

    /// The commit `branch` points at.
    #[must_use]
    pub fn branch(&self, branch: &str) -> Option<String> {
        self.state().branches.get(branch).cloned()
    }

    /// Every branch's name.
    #[must_use]
    pub fn branches(&self) -> Vec<String> {
        self.state().branches.keys().cloned().collect()
    }

    #[must_use]
    pub fn commit(&self, sha: &str) -> Option<Commit> {
        self.state().commits.get(sha).cloned()
    }

    /// The files of the commit `branch` points at, path → bytes.
    #[must_use]
    pub fn files(&self, branch: &str) -> Option<BTreeMap<String, Vec<u8>>> {
        let state = self.state();
        let commit = state.commits.get(state.branches.get(branch)?)?;
        let tree = state.trees.get(&commit.tree)?;
        Some(
            tree.iter()
                .map(|(path, blob)| (path.clone(), state.blobs.get(blob).cloned().unwrap_or_default()))
                .collect(),
        )
    }

    /// What `branch` changes against `base`: each path whose bytes differ, with the bytes on
    /// `branch` (`None`: deleted there).
    #[must_use]
    pub fn changes(&self, base: &str, branch: &str) -> BTreeMap<String, Option<Vec<u8>>> {
        let (before, after) = (self.files(base).unwrap_or_default(), self.files(branch).unwrap_or_default());
        let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        paths
            .into_iter()
            .filter(|path| before.get(*path) != after.get(*path))
            .map(|path| (path.clone(), after.get(path).cloned()))
            .collect()
    }
}

/// 40 hex digits computed from `parts`.
fn object_id(parts: &[&[u8]]) -> String {
    let mut id = String::with_capacity(48);
    for seed in 0_u8..3 {
        let mut hasher = DefaultHasher::new();
        seed.hash(&mut hasher);
        parts.hash(&mut hasher);
        let _ = write!(id, "{:016x}", hasher.finish());
    }
    id.truncate(40);
    id
}

fn not_found() -> (u16, Value) {
    (404, json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}))
}

fn invalid(message: &str) -> (u16, Value) {
    (422, json!({"message": message, "documentation_url": "https://docs.github.com/rest"}))
}

/// A user, as GitHub embeds one (the "simple user").
fn user() -> Value {
    let api = "https://api.github.com/users/github-actions%5Bbot%5D";
    json!({
        "login": "github-actions[bot]", "id": 41_898_282, "node_id": "MDM6Qm90NDE4OTgyODI=",
        "avatar_url": "https://avatars.githubusercontent.com/in/15368?v=4", "gravatar_id": "",
        "url": api, "html_url": "https://github.com/apps/github-actions",
        "followers_url": format!("{api}/followers"), "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"), "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"), "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"), "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"), "type": "Bot", "site_admin": false
    })
}

/// Decodes a query value written as a form (`%3A`, `+`).
fn form_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| value.get(index + 1..index + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()))
            .flatten();
        match (bytes[index], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                index += 2;
            }
            (b'+', None) => out.push(b' '),
            (byte, None) => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of `name` in the query of `path`.
fn query(path: &str, name: &str) -> Option<String> {
    let (_, query) = path.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| form_decode(value))
    })
}

impl State {
    fn put_blob(&mut self, bytes: Vec<u8>) -> String {
        let sha = object_id(&[b"blob", &bytes]);
        self.blobs.insert(sha.clone(), bytes);
        sha
    }

    fn put_tree(&mut self, tree: BTreeMap<String, String>) -> String {
        let listing: Vec<u8> = tree.iter().flat_map(|(path, blob)| format!("{path}\0{blob}\n").into_bytes()).collect();
        let sha = object_id(&[b"tree", &listing]);
        self.trees.insert(sha.clone(), tree);
        sha
    }

    /// The number the next issue or pull request gets.
    fn next_number(&self) -> u64 {
        let pulls = self.pulls.iter().map(|pull| pull.number);
        pulls.chain(self.issues.iter().map(|issue| issue.number)).max().unwrap_or(0) + 1
    }

    fn put_commit(&mut self, commit: Commit) -> String {
        let count = self.commits.len().to_string();
        let parents = commit.parents.join(" ");
        let sha = object_id(&[
            b"commit",
            commit.tree.as_bytes(),
            parents.as_bytes(),
            commit.message.as_bytes(),
            count.as_bytes(),
        ]);
        self.commits.insert(sha.clone(), commit);
        sha
    }

    /// Whether `ancestor` is `sha` or one of its ancestors.
    fn descends(&self, sha: &str, ancestor: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![sha.to_owned()];
        while let Some(next) = todo.pop() {
            if next == ancestor {
                return true;
            }
            if seen.insert(next.clone())
                && let Some(commit) = self.commits.get(&next)
            {
                todo.extend(commit.parents.iter().cloned());
            }
        }
        false
    }

    fn answer(&mut self, names: &(String, String), method: &str, rest: &str, path: &str, body: &Value) -> (u16, Value) {
        let failure = self.failures.iter().position(|failure| failure.method == method && path.contains(&failure.path));
        let Some(index) = failure else { return self.act(names, method, rest, body) };
        if self.failures[index].skip > 0 {
            self.failures[index].skip -= 1;
            return self.act(names, method, rest, body);
        }
        let failure = self.failures.remove(index);
        if failure.acted {
            let _ = self.act(names, method, rest, body);
        }
        (failure.status, json!({"message": "Server Error (injected by the test)"}))
    }

    /// GitHub's answers, shaped like its documented examples.
    #[allow(clippy::too_many_lines)] // One arm per endpoint.
    fn act(&mut self, (owner, repo): &(String, String), method: &str, rest: &str, body: &Value) -> (u16, Value) {
        let api = format!("https://api.github.com/repos/{owner}/{repo}");
        let (route, _) = rest.split_once('?').unwrap_or((rest, ""));
        let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
        match (method, route) {
            ("GET", "") => (
                200,
                json!({
                    "id": 1_296_269, "node_id": "R_kgDOABCD", "name": repo, "full_name": format!("{owner}/{repo}"),
                    "private": true, "url": api, "html_url": format!("https://github.com/{owner}/{repo}"),
                    "default_branch": self.default_branch, "owner": user()
                }),
            ),
            ("GET", route) if route.starts_with("/git/ref/heads/") => {
                let branch = &route["/git/ref/heads/".len()..];
                match self.branches.get(branch) {
                    Some(sha) => (200, reference(&api, branch, sha)),
                    None => not_found(),
                }
            }
            ("GET", route) if route.starts_with("/git/commits/") => {
                let sha = &route["/git/commits/".len()..];
                match self.commits.get(sha) {
                    Some(commit) => (200, commit_json(&api, owner, repo, sha, commit)),
                    None => not_found(),
                }
            }
            ("POST", "/git/blobs") => {
                let content = text("content");
                let bytes = match body["encoding"].as_str() {
                    Some("base64") => match base64::engine::general_purpose::STANDARD.decode(content.as_bytes()) {
                        Ok(bytes) => bytes,
                        Err(_) => return invalid("content is not valid Base64"),
                    },
                    Some("utf-8") | None => content.into_bytes(),
                    Some(_) => return invalid("encoding must be utf-8 or base64"),
                };
                let sha = self.put_blob(bytes);
                (201, json!({"url": format!("{api}/git/blobs/{sha}"), "sha": sha}))
            }
            ("POST", "/git/trees") => {
                let mut tree = match body["base_tree"].as_str() {
                    Some(base) => match self.trees.get(base) {
                        Some(tree) => tree.clone(),
                        None => return invalid(&format!("base_tree `{base}` is not a tree")),
                    },
                    None => BTreeMap::new(),
                };
                for entry in body["tree"].as_array().cloned().unwrap_or_default() {
                    let path = entry["path"].as_str().unwrap_or_default().to_owned();
                    if entry["mode"] != "100644" || entry["type"] != "blob" || path.is_empty() {
                        return invalid("the fake takes regular files only (mode 100644, type blob)");
                    }
                    match (&entry["sha"], entry["content"].as_str()) {
                        (Value::Null, None) => {
                            if tree.remove(&path).is_none() {
                                return invalid(&format!("cannot delete `{path}`: it does not exist"));
                            }
                        }
                        (Value::String(sha), None) if self.blobs.contains_key(sha) => {
                            tree.insert(path, sha.clone());
                        }
                        (Value::Null, Some(content)) => {
                            let sha = self.put_blob(content.as_bytes().to_vec());
                            tree.insert(path, sha);
                        }
                        _ => return invalid(&format!("tree.sha of `{path}` is not a blob")),
                    }
                }
                let entries: Vec<Value> = tree
                    .iter()
                    .map(|(path, blob)| {
                        json!({"path": path, "mode": "100644", "type": "blob", "sha": blob,
                               "size": self.blobs.get(blob).map_or(0, Vec::len),
                               "url": format!("{api}/git/blobs/{blob}")})
                    })
                    .collect();
                let sha = self.put_tree(tree);
                (201, json!({"sha": sha, "url": format!("{api}/git/trees/{sha}"), "tree": entries, "truncated": false}))
            }
            ("POST", "/git/commits") => {
                let tree = text("tree");
                if !self.trees.contains_key(&tree) {
                    return invalid(&format!("tree `{tree}` is not a tree"));
                }
                let parents: Vec<String> = body["parents"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect();
                if let Some(unknown) = parents.iter().find(|parent| !self.commits.contains_key(*parent)) {
                    return invalid(&format!("parent `{unknown}` is not a commit"));
                }
                let commit = Commit { tree, parents, message: text("message") };
                let sha = self.put_commit(commit.clone());
                (201, commit_json(&api, owner, repo, &sha, &commit))
            }
            ("POST", "/git/refs") => {
                let (full, sha) = (text("ref"), text("sha"));
                let Some(branch) = full.strip_prefix("refs/heads/") else {
                    return invalid("the fake takes branches only (refs/heads/…)");
                };
                if self.branches.contains_key(branch) {
                    return invalid("Reference already exists");
                }
                if !self.commits.contains_key(&sha) {
                    return invalid("Object does not exist");
                }
                self.branches.insert(branch.to_owned(), sha.clone());
                (201, reference(&api, branch, &sha))
            }
            ("PATCH", route) if route.starts_with("/git/refs/heads/") => {
                let branch = route["/git/refs/heads/".len()..].to_owned();
                let sha = text("sha");
                let Some(current) = self.branches.get(&branch).cloned() else {
                    return invalid("Reference does not exist");
                };
                if !self.commits.contains_key(&sha) {
                    return invalid("Object does not exist");
                }
                if body["force"] != true && !self.descends(&sha, &current) {
                    return invalid("Update is not a fast forward");
                }
                self.branches.insert(branch.clone(), sha.clone());
                (200, reference(&api, &branch, &sha))
            }
            ("GET", "/pulls") => {
                let rest = format!("?{}", rest.split_once('?').map_or("", |(_, query)| query));
                let state = query(&rest, "state").unwrap_or_else(|| "open".to_owned());
                let head = query(&rest, "head");
                let page = query(&rest, "page").and_then(|page| page.parse::<usize>().ok()).unwrap_or(1);
                let per_page = query(&rest, "per_page").and_then(|n| n.parse::<usize>().ok()).unwrap_or(30);
                let mut pulls: Vec<&Pull> = self
                    .pulls
                    .iter()
                    .filter(|pull| match state.as_str() {
                        "all" => true,
                        "closed" => !pull.open,
                        _ => pull.open,
                    })
                    .filter(|pull| head.as_ref().is_none_or(|head| *head == format!("{owner}:{}", pull.head)))
                    .collect();
                // Newest first, GitHub's default order.
                pulls.reverse();
                let list: Vec<Value> = pulls
                    .into_iter()
                    .skip((page.max(1) - 1) * per_page)
                    .take(per_page)
                    .map(|pull| pull_json(&api, owner, repo, pull))
                    .collect();
                (200, Value::Array(list))
            }
            ("POST", "/pulls") => {
                let (head, base) = (text("head"), text("base"));
                let (Some(head_sha), true) = (self.branches.get(&head).cloned(), self.branches.contains_key(&base))
                else {
                    return invalid("Validation Failed: head or base does not exist");
                };
                if self.pulls.iter().any(|pull| pull.open && pull.head == head && pull.base == base) {
                    return (
                        422,
                        json!({"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom",
                               "message": format!("A pull request already exists for {owner}:{head}.")}],
                               "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"}),
                    );
                }
                let pull = Pull {
                    number: self.next_number(),
                    title: text("title"),
                    body: text("body"),
                    head,
                    base,
                    head_sha,
                    draft: body["draft"] == true,
                    open: true,
                    merged: false,
                    reviewers: Vec::new(),
                };
                let answer = pull_json(&api, owner, repo, &pull);
                self.pulls.push(pull);
                (201, answer)
            }
            ("POST", route) if route.starts_with("/pulls/") && route.ends_with("/requested_reviewers") => {
                let number: u64 = route.split('/').nth(2).and_then(|n| n.parse().ok()).unwrap_or(0);
                let Some(index) = self.pulls.iter().position(|pull| pull.number == number) else { return not_found() };
                let names = |key: &str| body[key].as_array().cloned().unwrap_or_default();
                let mut asked: Vec<String> =
                    names("reviewers").iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                asked.extend(
                    names("team_reviewers").iter().filter_map(|v| v.as_str().map(|slug| format!("team:{slug}"))),
                );
                self.pulls[index].reviewers.extend(asked);
                (201, pull_json(&api, owner, repo, &self.pulls[index]))
            }
            ("GET", route) if route.starts_with("/issues/") && route.ends_with("/comments") => {
                let issue: u64 = route.split('/').nth(2).and_then(|n| n.parse().ok()).unwrap_or(0);
                let rest = format!("?{}", rest.split_once('?').map_or("", |(_, query)| query));
                let page = query(&rest, "page").and_then(|page| page.parse::<usize>().ok()).unwrap_or(1);
                let per_page = query(&rest, "per_page").and_then(|n| n.parse::<usize>().ok()).unwrap_or(30);
                let list: Vec<Value> = self
                    .comments
                    .iter()
                    .filter(|comment| comment.issue == issue)
                    .skip((page.max(1) - 1) * per_page)
                    .take(per_page)
                    .map(|comment| comment_json(&api, owner, repo, comment))
                    .collect();
                (200, Value::Array(list))
            }
            ("GET", "/issues") => {
                let rest = format!("?{}", rest.split_once('?').map_or("", |(_, query)| query));
                let state = query(&rest, "state").unwrap_or_else(|| "open".to_owned());
                let labels: Vec<String> = query(&rest, "labels")
                    .map(|labels| labels.split(',').map(str::to_owned).collect())
                    .unwrap_or_default();
                let page = query(&rest, "page").and_then(|page| page.parse::<usize>().ok()).unwrap_or(1);
                let per_page = query(&rest, "per_page").and_then(|n| n.parse::<usize>().ok()).unwrap_or(30);
                let mut issues: Vec<&Issue> = self
                    .issues
                    .iter()
                    .filter(|issue| state == "all" || (state == "closed") != issue.open)
                    .filter(|issue| labels.iter().all(|label| issue.labels.contains(label)))
                    .collect();
                issues.reverse();
                let list: Vec<Value> = issues
                    .into_iter()
                    .skip((page.max(1) - 1) * per_page)
                    .take(per_page)
                    .map(|issue| issue_json(&api, owner, repo, issue))
                    .collect();
                (200, Value::Array(list))
            }
            ("POST", "/issues") => {
                if text("title").is_empty() {
                    return invalid("Validation Failed: title is missing");
                }
                let labels = body["labels"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|label| label.as_str().map(str::to_owned))
                    .collect();
                let issue =
                    Issue { number: self.next_number(), title: text("title"), body: text("body"), labels, open: true };
                let answer = issue_json(&api, owner, repo, &issue);
                self.issues.push(issue);
                (201, answer)
            }
            ("POST", route) if route.starts_with("/issues/") && route.ends_with("/comments") => {
                let issue: u64 = route.split('/').nth(2).and_then(|n| n.parse().ok()).unwrap_or(0);
                if !self.pulls.iter().any(|pull| pull.number == issue) && !self.issues.iter().any(|i| i.number == issue)
                {
                    return not_found();
                }
                self.next_comment += 1;
                let comment = Comment { id: self.next_comment, issue, body: text("body") };
                let answer = comment_json(&api, owner, repo, &comment);
                self.comments.push(comment);
                (201, answer)
            }
            ("PATCH", route) if route.starts_with("/issues/comments/") => {
                let id: u64 = route.rsplit('/').next().and_then(|n| n.parse().ok()).unwrap_or(0);
                let Some(comment) = self.comments.iter_mut().find(|comment| comment.id == id) else {
                    return not_found();
                };
                comment.body = text("body");
                let comment = comment.clone();
                (200, comment_json(&api, owner, repo, &comment))
            }
            ("DELETE", route) if route.starts_with("/issues/comments/") => {
                let id: u64 = route.rsplit('/').next().and_then(|n| n.parse().ok()).unwrap_or(0);
                let before = self.comments.len();
                self.comments.retain(|comment| comment.id != id);
                if self.comments.len() == before { not_found() } else { (204, Value::Null) }
            }
            _ => not_found(),
        }
    }
}

fn reference(api: &str, branch: &str, sha: &str) -> Value {
    json!({
        "ref": format!("refs/heads/{branch}"), "node_id": "REF_kwDOABCD",
        "url": format!("{api}/git/refs/heads/{branch}"),
        "object": {"type": "commit", "sha": sha, "url": format!("{api}/git/commits/{sha}")}
    })
}

fn commit_json(api: &str, owner: &str, repo: &str, sha: &str, commit: &Commit) -> Value {
    let person = json!({"name": "github-actions[bot]", "email": "41898282+github-actions[bot]@users.noreply.github.com",
                        "date": "2026-01-05T10:00:00Z"});
    json!({
        "sha": sha, "node_id": "C_kwDOABCD", "url": format!("{api}/git/commits/{sha}"),
        "html_url": format!("https://github.com/{owner}/{repo}/commit/{sha}"),
        "author": person, "committer": person, "message": commit.message,
        "tree": {"sha": commit.tree, "url": format!("{api}/git/trees/{}", commit.tree)},
        "parents": commit.parents.iter().map(|parent| json!({
            "sha": parent, "url": format!("{api}/git/commits/{parent}"),
            "html_url": format!("https://github.com/{owner}/{repo}/commit/{parent}")
        })).collect::<Vec<_>>(),
        "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null}
    })
}

fn pull_json(api: &str, owner: &str, repo: &str, pull: &Pull) -> Value {
    let number = pull.number;
    let side = |branch: &str, sha: &str| json!({"label": format!("{owner}:{branch}"), "ref": branch, "sha": sha, "user": user()});
    json!({
        "id": 1_000_000 + number, "node_id": "PR_kwDOABCD", "number": number,
        "state": if pull.open { "open" } else { "closed" }, "locked": false, "title": pull.title,
        "body": pull.body, "draft": pull.draft, "user": user(),
        "url": format!("{api}/pulls/{number}"), "html_url": format!("https://github.com/{owner}/{repo}/pull/{number}"),
        "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z",
        "closed_at": if pull.open { Value::Null } else { json!("2026-01-06T10:00:00Z") },
        "merged_at": if pull.merged { json!("2026-01-06T10:00:00Z") } else { Value::Null },
        "head": side(&pull.head, &pull.head_sha), "base": side(&pull.base, ""),
        "author_association": "NONE"
    })
}

fn issue_json(api: &str, owner: &str, repo: &str, issue: &Issue) -> Value {
    let number = issue.number;
    let url = format!("{api}/issues/{number}");
    json!({
        "id": 2_000_000 + number, "node_id": "I_kwDOABCD", "number": number,
        "url": url, "repository_url": api, "labels_url": format!("{url}/labels{{/name}}"),
        "comments_url": format!("{url}/comments"), "events_url": format!("{url}/events"),
        "html_url": format!("https://github.com/{owner}/{repo}/issues/{number}"),
        "state": if issue.open { "open" } else { "closed" }, "title": issue.title, "body": issue.body,
        "user": user(),
        "labels": issue.labels.iter().enumerate().map(|(index, name)| json!({
            "id": 3_000_000 + index, "node_id": "LA_kwDOABCD", "url": format!("{api}/labels/{name}"),
            "name": name, "description": null, "color": "ededed", "default": false
        })).collect::<Vec<_>>(),
        "assignee": null, "assignees": [], "milestone": null, "locked": false, "comments": 0,
        "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z", "closed_at": null,
        "author_association": "NONE"
    })
}

fn comment_json(api: &str, owner: &str, repo: &str, comment: &Comment) -> Value {
    json!({
        "id": comment.id, "node_id": "IC_kwDOABCD", "body": comment.body, "user": user(),
        "url": format!("{api}/issues/comments/{}", comment.id),
        "html_url": format!("https://github.com/{owner}/{repo}/pull/{}#issuecomment-{}", comment.issue, comment.id),
        "issue_url": format!("{api}/issues/{}", comment.issue),
        "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z", "author_association": "NONE"
    })
}
