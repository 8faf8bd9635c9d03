# Sourced by scripts/run and scripts/test: make .venv (Python 3.11+) and install the project's
# dependencies into it (EXTRAS, e.g. "dev", picks the optional groups).
ensure_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-python3}"
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "Python 3.11 or newer is needed (set PYTHON=...)" >&2; exit 1; }
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    local target="."
    [ -n "$extras" ] && target=".[$extras]"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "$target"
}
