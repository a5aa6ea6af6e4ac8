#!/usr/bin/env bash
# The project's two commands (see README):
#   ./tasks.sh build [generator build options]   set up .venv and build the site from seeds/
#   ./tasks.sh test  [pytest options]            set up test tools and run the whole test suite
#   ./tasks.sh serve                             preview with live reload
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=.venv

# Create or refresh the virtual environment when pyproject.toml changed.
setup_python() {
  local extras=$1 stamp="$VENV/.installed-$1"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing Python packages ($extras)" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".$extras" >&2
    touch "$stamp"
  fi
}

# Browser and validators for the page checks: Debian's chromium, npm's axe-core and vnu-jar.
setup_browser() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing chromium (Debian package)" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
  fi
  if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; }; then
    echo "setup: installing npm packages" >&2
    npm ci --silent --no-audit --no-fund >&2
    touch node_modules
  fi
}

cmd=${1:-build}
shift || true
case "$cmd" in
  build)
    setup_python ""
    exec "$VENV/bin/generator" build "$@"
    ;;
  serve)
    setup_python ""
    exec "$VENV/bin/generator" serve "$@"
    ;;
  test)
    setup_python "[test]"
    setup_browser
    set +e
    "$VENV/bin/python" -m pytest "$@"
    status=$?
    set -e
    # pytest exits 5 when no test was selected (e.g. a -k or -m that matches nothing):
    # say so plainly and do not count it as a failure.
    if [ "$status" = 5 ]; then
      echo "warning: pytest selected no tests" >&2
      status=0
    fi
    exit "$status"
    ;;
  *)
    echo "usage: ./tasks.sh build|test|serve [options]" >&2
    exit 2
    ;;
esac
