#!/usr/bin/env bash
# Installs cairn for the GitHub Action in this folder (action.yml): the release binary for this
# machine, checked against the SHA-256 published beside it, or a build from source when asked.
# It is a script rather than steps of the action so that tests can run it against a local server.
#
#   install.sh resolve [VERSION]     print the version to install: VERSION, else the action's own
#                                    tag, else the version of the cairn this action belongs to
#   install.sh install VERSION DIR   install cairn VERSION as DIR/bin/cairn (nothing is written
#                                    there unless it is verified), unless it is there already
#
# Environment:
#   CAIRN_INSTALL      `release` (default): download `cairn-<version>-<target>.tar.gz` and its
#                      `.sha256` from CAIRN_RELEASE_URL/<tag>/; `source`: `cargo install` the tag
#                      or full commit SHA from CAIRN_GIT_URL
#   CAIRN_RELEASE_URL  default https://github.com/cairn-platform/cairn/releases/download
#   CAIRN_GIT_URL      default https://github.com/cairn-platform/cairn
#   CAIRN_ACTION_REF   the ref the action is used at (`github.action_ref`), for `resolve`
set -euo pipefail

release_url=${CAIRN_RELEASE_URL:-https://github.com/cairn-platform/cairn/releases/download}
git_url=${CAIRN_GIT_URL:-https://github.com/cairn-platform/cairn}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fail() {
    printf 'error: %s\n' "$1" >&2
    [ -n "${2:-}" ] && printf 'help: %s\n' "$2" >&2
    exit 1
}

# A release tag: `v`, then a semantic version (https://semver.org), possibly a pre-release.
is_release_tag() { [[ $1 =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; }

resolve() {
    local version=${1:-}
    # `0.1.0` means the release tagged `v0.1.0`.
    if is_release_tag "v$version"; then
        printf 'v%s\n' "$version"
        return
    fi
    if [ -n "$version" ]; then
        printf '%s\n' "$version"
        return
    fi
    # `github.action_ref` is the tag in `uses: …/actions/check@v0.1.0`. Pinned by a commit SHA or
    # a branch, or when the runner leaves it empty in a composite action (actions/runner#2473),
    # the action's own checkout says which cairn it belongs to: the workspace version.
    if is_release_tag "${CAIRN_ACTION_REF:-}"; then
        printf '%s\n' "$CAIRN_ACTION_REF"
        return
    fi
    local manifest=$here/../../Cargo.toml
    [ -f "$manifest" ] || fail "cannot tell which cairn to install" "set the action's \`version\` input to a release tag such as \`v0.1.0\`"
    version=$(sed -n '/^\[workspace\.package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' "$manifest")
    [ -n "$version" ] || fail "\`$manifest\` has no workspace version" "set the action's \`version\` input to a release tag such as \`v0.1.0\`"
    printf 'v%s\n' "$version"
}

# The Rust target triple of the release binary for this machine (the targets release.yml builds).
target() {
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) echo x86_64-unknown-linux-gnu ;;
        Linux-aarch64 | Linux-arm64) echo aarch64-unknown-linux-gnu ;;
        Darwin-arm64 | Darwin-aarch64) echo aarch64-apple-darwin ;;
        *) fail "no cairn release binary is built for $(uname -s) on $(uname -m)" "set the action's \`install\` input to \`source\` to build cairn with cargo" ;;
    esac
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# Downloads $1 to $2; fails naming the URL and what the server answered.
download() {
    local status
    status=$(curl --silent --show-error --location --retry 3 --output "$2" --write-out '%{http_code}' "$1") ||
        fail "cannot download \`$1\`" "check the network, or \`release-url\`"
    case $status in
        200) ;;
        404) fail "cairn \`$version\` has no release file \`${1##*/}\` (\`$1\` answered 404)" \
            "\`version\` must name a published release, such as \`v0.1.0\` (see the repository's releases); \`install: source\` builds any tag or full commit SHA" ;;
        *) fail "cannot download \`$1\`: the server answered $status" "try again, or check \`release-url\`" ;;
    esac
}

install_release() {
    local dir=$1 target name expected actual
    if [[ $version =~ ^[0-9a-f]{7,40}$ ]]; then
        fail "\`$version\` is a commit, and only tags have release binaries" "set the action's \`install\` input to \`source\` to build it, or \`version\` to a release tag"
    fi
    target=$(target)
    name="cairn-${version#v}-$target"
    # Global, not local: the trap runs when the script exits, after this function has returned.
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    download "$release_url/$version/$name.tar.gz" "$scratch/$name.tar.gz"
    download "$release_url/$version/$name.tar.gz.sha256" "$scratch/$name.tar.gz.sha256"
    # The checksum file is `sha256sum`'s format: the digest, two spaces, the file name.
    expected=$(cut -d' ' -f1 <"$scratch/$name.tar.gz.sha256" | tr 'A-F' 'a-f')
    actual=$(sha256 "$scratch/$name.tar.gz")
    [[ $expected =~ ^[0-9a-f]{64}$ ]] || fail "\`$name.tar.gz.sha256\` holds no SHA-256 digest" "the release is broken; report it, or use \`install: source\`"
    [ "$expected" = "$actual" ] || fail "checksum mismatch for \`$name.tar.gz\`: expected $expected, got $actual; nothing was installed" \
        "the download was corrupted or tampered with; run the job again, and report it if it persists"
    tar -xzf "$scratch/$name.tar.gz" -C "$scratch"
    [ -f "$scratch/$name/cairn" ] || fail "\`$name.tar.gz\` has no \`$name/cairn\`" "the release is broken; report it, or use \`install: source\`"
    # Moved into place only now, and renamed last: an interrupted install leaves no `cairn`.
    mkdir -p "$dir/bin"
    chmod +x "$scratch/$name/cairn"
    mv "$scratch/$name/cairn" "$dir/bin/.cairn.partial"
    mv "$dir/bin/.cairn.partial" "$dir/bin/cairn"
}

install_source() {
    local dir=$1 pin
    if [[ $version =~ ^[0-9a-f]{40}$ ]]; then
        pin=(--rev "$version")
    elif [[ $version =~ ^[0-9a-f]{7,39}$ ]]; then
        fail "\`$version\` is a short commit SHA, which cargo cannot fetch by itself" "give all 40 hex digits of the commit, or a tag"
    else
        pin=(--tag "$version")
    fi
    cargo install --locked --root "$dir" --git "$git_url" "${pin[@]}" cairn
}

case ${1:-} in
    resolve)
        resolve "${2:-}"
        ;;
    install)
        [ $# -eq 3 ] || fail "usage: install.sh install VERSION DIR"
        version=$2
        dir=$3
        [ -n "$version" ] || fail "no version to install" "set the action's \`version\` input to a release tag such as \`v0.1.0\`"
        if [ -x "$dir/bin/cairn" ]; then
            echo "cairn $version is already installed in \`$dir\`"
            exit 0
        fi
        case ${CAIRN_INSTALL:-release} in
            release) install_release "$dir" ;;
            source) install_source "$dir" ;;
            *) fail "unknown install mode \`${CAIRN_INSTALL}\`" "the action's \`install\` input is \`release\` or \`source\`" ;;
        esac
        "$dir/bin/cairn" --version
        ;;
    *)
        fail "usage: install.sh resolve [VERSION] | install.sh install VERSION DIR"
        ;;
esac
