#!/usr/bin/env bash
# Build the one-folder bundle of the program: dist/khuyencong/khuyencong (+ its libraries, Qt plugins, fonts,
# migrations and reference data), ready to copy to a centre's PC that has no Python.
#
#   bash .ci/bundle/build.sh            # build into dist/khuyencong
#   bash .ci/bundle/smoke.sh            # then start the built program from a clean environment
#
# PyInstaller is a build tool only (GPL 2 with the bootloader exception: the bundle it makes may carry any
# licence). It is therefore installed here, into a build-only virtual environment, and is NOT one of the
# package's dependencies in pyproject.toml. Windows: see build.ps1 beside this file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
BUILD="$ROOT/build/bundle"
VENV="$BUILD/venv"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
# The program itself (not editable: the bundle must not point back into the checkout) and the build tool.
"$VENV/bin/python" -m pip install -q --upgrade "$ROOT" "pyinstaller>=6.10,<7"

"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$BUILD/work" "$ROOT/.ci/bundle/khuyencong.spec"

du -sh "$ROOT/dist/khuyencong"
