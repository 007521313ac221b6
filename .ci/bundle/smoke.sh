#!/usr/bin/env bash
# Smoke test of the built bundle (dist/khuyencong): start it the way a centre's PC would, from a clean
# environment — no Python on PATH, no virtual environment, an empty home and data folder — offscreen, and
#   1. print its version, 2. make the screenshots of every main screen, 3. set up a database, fill it with demo
#   data and print a report and a proposal's document to PDF (fonts embedded).
# Prints the bundle's size and start-up times. Exit code 0 only when everything worked.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUNDLE="${1:-$ROOT/dist/khuyencong}"
EXE="$BUNDLE/khuyencong"
[ -x "$EXE" ] || { echo "no bundle at $BUNDLE (run .ci/bundle/build.sh first)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/data" "$WORK/out" "$WORK/bin"
# Only the tools this script itself uses, linked into a folder of their own: PATH has no python.
for tool in cat head grep; do ln -s "$(command -v "$tool")" "$WORK/bin/$tool"; done

run() {
  env -i HOME="$WORK/home" PATH="$WORK/bin" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    KHUYENCONG_DATA_DIR="$WORK/data" XDG_CONFIG_HOME="$WORK/home/.config" \
    KHUYENCONG_PASSWORD="${PW:-matkhau123}" "$EXE" "$@"
}

if env -i PATH="$WORK/bin" sh -c 'command -v python3 || command -v python' >/dev/null 2>&1; then
  echo "python is on the smoke test's PATH" >&2; exit 1
fi

echo "== --version"
version="$(run --version)"
echo "$version"
case "$version" in khuyencong\ *) ;; *) echo "unexpected --version output" >&2; exit 1 ;; esac

echo "== screenshots"
run screenshots --out "$WORK/out/screens" --establishments 40 --proposals 20
shots=$(ls "$WORK/out/screens"/*.png | wc -l)
echo "$shots screenshots"
[ "$shots" -ge 8 ] || { echo "too few screenshots" >&2; exit 1; }

echo "== database, demo data, documents"
run init --admin quantri
run --user quantri demo --establishments 30 --proposals 12 --seed 1 --today 2026-06-01
PW=demo12345 run --user demo_lanhdao report proposals --out "$WORK/out/de-an.pdf"
head -c 5 "$WORK/out/de-an.pdf" | grep -q '%PDF-' || { echo "report is not a PDF" >&2; exit 1; }
code="$(pdftotext "$WORK/out/de-an.pdf" - 2>/dev/null | grep -oE 'KC(QG|DP)-[0-9]{4}-[0-9]{4}' | head -n 1 || true)"
[ -n "$code" ] || { echo "no proposal code in the report" >&2; exit 1; }
PW=demo12345 run --user demo_lanhdao document proposal "$code" --out "$WORK/out/de-an-$code.pdf"
if command -v pdffonts >/dev/null 2>&1; then
  pdffonts "$WORK/out/de-an-$code.pdf" | grep -q Liberation || { echo "fonts not embedded" >&2; exit 1; }
fi
ls -l "$WORK/out"/*.pdf
[ -s "$WORK/data/khuyencong.sqlite3" ] || { echo "no database in the empty data folder" >&2; exit 1; }

echo "== size and start-up (--version, 5 runs each)"
du -sh "$BUNDLE"
time_runs() {
  local start end
  start=$(date +%s%N)
  for _ in 1 2 3 4 5; do "$@" >/dev/null; done
  end=$(date +%s%N)
  echo "$(( (end - start) / 5000000 )) ms per start"
}
echo -n "bundle: "; time_runs run --version
if [ -x "$ROOT/.venv/bin/khuyencong" ]; then
  echo -n "venv:   "; time_runs env QT_QPA_PLATFORM=offscreen "$ROOT/.venv/bin/khuyencong" --version
fi
echo "smoke test passed"
