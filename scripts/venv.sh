# Sourced by scripts/run and scripts/test: install exactly the versions in uv.lock into .venv.
#
#   ensure_venv [GROUP ...]   e.g. `ensure_venv dev` (tests and tools), `ensure_venv devserver` (honcho)
#
# The venv then holds exactly the lock's packages for those groups; an argument starting with "-"
# goes to `uv sync` as it is (scripts/run passes --inexact, so it leaves the dev tools installed).
#
# uv comes from PATH when it is there (0.13 or newer), otherwise it is installed from PyPI with pip
# into .tools/ (a small venv of its own, ignored by git). Only Python 3.11+ is needed to start.
# Without uv at all: `pip install -r requirements-dev.txt` (exported from the lock, see scripts/lock).

UV_BOOTSTRAP_VERSION="0.13.9"

# Print the uv command to use, installing it into .tools/ first when needed.
find_uv() {
    local python="$1"
    if command -v uv >/dev/null 2>&1 \
        && uv --version | "$python" -c 'import sys; v = sys.stdin.read().split()[1]; sys.exit(tuple(map(int, v.split(".")[:2])) < (0, 13))'; then
        command -v uv
        return
    fi
    if [ ! -x .tools/bin/uv ]; then
        echo "Installing uv $UV_BOOTSTRAP_VERSION into .tools/ (pip, from PyPI)" >&2
        "$python" -m venv .tools >&2 || { echo "python -m venv failed (Debian: apt-get install python3-venv)" >&2; return 1; }
        .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_BOOTSTRAP_VERSION" >&2
    fi
    echo "$PWD/.tools/bin/uv"
}

ensure_venv() {
    local python="${PYTHON:-python3}"
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "Python 3.11 or newer is needed (set PYTHON=...)" >&2; exit 1; }
    local uv
    uv="$(find_uv "$python")" || exit 1
    local args=(sync --locked --no-default-groups --python "$python")
    local group
    local arg
    for arg in "$@"; do
        case "$arg" in
            "") ;;
            -*) args+=("$arg") ;;
            *) args+=(--group "$arg") ;;
        esac
    done
    # Never download a Python build: use the interpreter given above.
    UV_PYTHON_DOWNLOADS=never "$uv" "${args[@]}"
}
