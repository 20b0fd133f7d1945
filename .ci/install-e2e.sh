#!/usr/bin/env bash
# Installs what the real-editor tests need on a fresh Debian 12 machine, as root:
# Debian's Chromium (Playwright's own browser download is unreachable), the
# kerberos headers code-server's native addon builds against, ripgrep (so
# @vscode/ripgrep need not download rg from GitHub), neovim (a second LSP client),
# fonts-symbola (the code lens's ⏯, U+23EF, has no glyph in the default fonts),
# and code-server@4.100.3 (VS Code 1.100.3, the newest release that runs on Node 20)
# in an ignored folder of its own, never in the repository's node_modules.
# Idempotent: work already done is skipped. See docs in test/e2e/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION="4.100.3"
RIPGREP_CACHE_VERSION="1.15.11"
RIPGREP_TARBALL="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
PREFIX="${NNET_CODE_SERVER_DIR:-$PWD/.cache/code-server}"
export DEBIAN_FRONTEND=noninteractive

started=$(date +%s)
step() { echo "install-e2e: $* (+$(($(date +%s) - started))s)"; }

install_debian_packages() {
  local packages=(chromium libkrb5-dev ripgrep neovim fonts-symbola) missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    step "Debian packages already installed"
    return
  fi
  step "apt-get install ${missing[*]}"
  apt-get update -q
  apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}"
}

# The first line of `code-server --version`, or nothing if it does not run.
code_server_version_line() {
  local scratch line
  # code-server writes its default config under XDG_CONFIG_HOME even for --version.
  scratch=$(mktemp -d)
  touch "$scratch/config.yaml"
  line=$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" XDG_CACHE_HOME="$scratch" \
    "$PREFIX/node_modules/.bin/code-server" --config "$scratch/config.yaml" --version 2>/dev/null | head -1 || true)
  rm -rf "$scratch"
  echo "$line"
}

code_server_works() {
  [ -x "$PREFIX/node_modules/.bin/code-server" ] && case "$(code_server_version_line)" in "$CODE_SERVER_VERSION "*) true ;; *) false ;; esac
}

# @vscode/ripgrep looks in $TMPDIR/vscode-ripgrep-cache-<version>/ before downloading.
seed_ripgrep_cache() {
  local cache="$1/vscode-ripgrep-cache-$RIPGREP_CACHE_VERSION"
  mkdir -p "$cache"
  local staging
  staging=$(mktemp -d)
  cp /usr/bin/rg "$staging/rg"
  tar -C "$staging" -czf "$cache/$RIPGREP_TARBALL" rg
  rm -rf "$staging"
}

install_code_server() {
  if code_server_works; then
    step "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
    return
  fi
  step "npm install code-server@$CODE_SERVER_VERSION into $PREFIX"
  # A partial or other-version install is replaced, not patched.
  rm -rf "$PREFIX/node_modules" "$PREFIX/package-lock.json"
  mkdir -p "$PREFIX"
  [ -f "$PREFIX/package.json" ] || echo '{ "name": "nnet-e2e-code-server", "private": true }' >"$PREFIX/package.json"
  local tmp
  tmp=$(mktemp -d)
  seed_ripgrep_cache "$tmp"
  if ! (cd "$PREFIX" && TMPDIR="$tmp" npm_config_yes=true \
    npm install --no-audit --no-fund --unsafe-perm --foreground-scripts "code-server@$CODE_SERVER_VERSION"); then
    step "plain install failed; falling back to --ignore-scripts + rebuild + postinstall"
    install_code_server_without_lifecycle "$tmp"
  fi
  rm -rf "$tmp"
}

# For an npm that no longer passes --unsafe-perm on to lifecycle scripts.
install_code_server_without_lifecycle() {
  local tmp="$1"
  (
    cd "$PREFIX"
    TMPDIR="$tmp" npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION"
    TMPDIR="$tmp" npm rebuild argon2
    cd node_modules/code-server
    TMPDIR="$tmp" npm_config_yes=true npm_config_unsafe_perm=true \
      npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" sh ./postinstall.sh
  )
}

verify_code_server() {
  if ! code_server_works; then
    echo "install-e2e: code-server does not run or is not version $CODE_SERVER_VERSION: '$(code_server_version_line)'" >&2
    exit 1
  fi
  step "code-server --version: $(code_server_version_line)"
}

install_debian_packages
install_code_server
verify_code_server
step "done"
