#!/usr/bin/env bash
# Build Briefing as a one-folder bundle, dist/briefing-app/, and smoke-test it.
#
#   packaging/build.sh [--venv DIR] [--python PYTHON] [--dist DIR] [--no-smoke-test]
#
# The build happens in its own virtual environment (default build/packaging-venv, made on the
# first run and reused after), never in your development one: the checkout is installed there
# as a plain wheel, not editable, together with PyInstaller, so only the package index is
# needed. The bundle runs on machines like the one that built it (same OS and CPU kind, a
# glibc as old or newer on Linux). More, and Windows and macOS: docs/PACKAGING.md.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${BRIEFING_BUILD_VENV:-build/packaging-venv}"
dist=dist
python="${PYTHON:-python3}"
smoke_test=1
while [ $# -gt 0 ]; do
    case "$1" in
        --venv) venv="$2"; shift 2 ;;
        --python) python="$2"; shift 2 ;;
        --dist) dist="$2"; shift 2 ;;
        --no-smoke-test) smoke_test=0; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

started=$(date +%s)
if [ ! -d "$venv" ]; then
    echo "== build environment: $venv (from $("$python" --version 2>&1))"
    "$python" -m venv "$venv"
fi
bin="$venv/bin"
[ -d "$venv/Scripts" ] && bin="$venv/Scripts"  # Windows (Git Bash)
py="$bin/python"

echo "== installing Briefing and PyInstaller into $venv"
"$py" -m pip install --quiet --disable-pip-version-check . 'pyinstaller>=6.10,<7'
# The checkout as it is now, even when its version number did not change since the last build.
"$py" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall .

echo "== building $dist/briefing-app with PyInstaller $("$bin/pyinstaller" --version)"
built_from=$(date +%s)
# The pyinstaller program, not `python -m PyInstaller`, which would put the checkout first on
# sys.path, where briefing_app has no resources folder.
"$bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath build/pyinstaller packaging/briefing.spec
finished=$(date +%s)

size=$(du -sh "$dist/briefing-app" | cut -f1)
files=$(find "$dist/briefing-app" -type f | wc -l | tr -d ' ')
echo "== $dist/briefing-app: $size in $files files; PyInstaller took $((finished - built_from)) s," \
    "all of it $((finished - started)) s"

if [ "$smoke_test" = 1 ]; then
    echo "== smoke test"
    "$py" packaging/smoke_test.py "$dist/briefing-app"
fi
