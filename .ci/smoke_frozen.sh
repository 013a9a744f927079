#!/usr/bin/env bash
# Smoke test of the standalone app built by `pyinstaller build.spec`, headless:
#     .ci/smoke_frozen.sh [dist/RoasterDesk]
# --version, demo data into a temporary database, info --json, a lot's PDF (export-pdf) and
# every page rendered offscreen (screenshots). A step is skipped only when its command is not
# registered in the build; anything else that goes wrong fails.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

app_dir=$(cd "${1:-dist/RoasterDesk}" && pwd)
exe=""
for name in roasterdesk RoasterDesk RoasterDesk.exe; do
  if [ -x "$app_dir/$name" ]; then exe="$app_dir/$name"; break; fi
done
if [ -z "$exe" ]; then
  echo "smoke: no RoasterDesk program in $app_dir" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Headless, and nothing from this checkout, the venv or the user's own folders.
export QT_QPA_PLATFORM=offscreen HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" \
  XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state"
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV ROASTERDESK_DB
mkdir -p "$HOME"
cd "$tmp"

step() { echo "smoke: $*"; }
app() { timeout 600 "$exe" "$@"; }
registered() { app "$1" --help >/dev/null 2>&1; }
python=$(command -v python3 || command -v python)

expected=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$repo/roasterdesk/__init__.py")
step "--version"
version=$(app --version)
if [ "$version" != "RoasterDesk $expected" ]; then
  echo "smoke: --version says '$version', the source says $expected" >&2
  exit 1
fi

# demo and info are core commands: their absence means command discovery broke when frozen.
for cmd in demo info; do
  if ! registered "$cmd"; then
    echo "smoke: the frozen program has no '$cmd' command (command discovery)" >&2
    exit 1
  fi
done

db="$tmp/demo.sqlite"
step "demo --scale small"
app demo --scale small --db "$db" >/dev/null

step "info --json"
app info --json --db "$db" >info.json
lot=$("$python" - "$db" <<'EOF'
import json, sqlite3, sys
info = json.load(open("info.json"))
counts = info["counts"]
assert info["path"].endswith("demo.sqlite"), info["path"]
assert counts["producers"] > 0 and counts["lots"] > 0, counts
with sqlite3.connect(sys.argv[1]) as db:
    code, harvest = db.execute("SELECT code, harvest FROM lots WHERE status IS NULL OR status "
                               "NOT IN ('offer', 'cancelled') ORDER BY id LIMIT 1").fetchone()
print(code, harvest)
EOF
)
read -r lot harvest <<<"$lot"
echo "smoke:   $(tr -d '\n' <info.json | cut -c1-160)…"

if registered export-pdf; then
  step "export-pdf --lot $lot"
  app export-pdf --lot "$lot" --out "$tmp/lot.pdf" --db "$db"
  qpdf --check "$tmp/lot.pdf" >/dev/null
  pages=$(pdfinfo "$tmp/lot.pdf" | sed -n 's/^Pages: *//p')
  pdftotext "$tmp/lot.pdf" lot.txt
  if [ "${pages:-0}" -lt 1 ] || ! grep -qF "$lot" lot.txt; then
    echo "smoke: lot.pdf has no page naming lot $lot" >&2
    exit 1
  fi
  echo "smoke:   $pages page(s), names lot $lot"
  # worker processes started with spawn must come up from the frozen program too
  step "export-pdf --harvest $harvest --processes 2"
  app export-pdf --harvest "$harvest" --processes 2 --out-dir "$tmp/harvest" --db "$db" >/dev/null
  pdfs=$(find "$tmp/harvest" -name '*.pdf' | wc -l)
  for pdf in "$tmp/harvest"/*.pdf; do qpdf --check "$pdf" >/dev/null; done
  echo "smoke:   $pdfs PDFs for harvest $harvest"
else
  step "SKIPPED export-pdf: not registered in this build"
fi

if registered screenshots; then
  step "screenshots (every page of the window, offscreen)"
  app screenshots --db "$db" --out-dir "$tmp/shots" >/dev/null
  shots=$(find "$tmp/shots" -name '*.png' -size +2k | wc -l)
  if [ "$shots" -lt 1 ]; then
    echo "smoke: screenshots wrote no page" >&2
    exit 1
  fi
  echo "smoke:   $shots pages rendered"
else
  step "SKIPPED screenshots: not registered in this build"
fi

step "the window starts and stays up (8 s, offscreen)"
set +e
timeout 8 "$exe" --db "$db" >window.log 2>&1
status=$?
set -e
if [ "$status" -ne 124 ] || grep -rqsE "Traceback|ERROR|CRITICAL" window.log "$XDG_STATE_HOME"; then
  echo "smoke: the app exited with status $status or logged an error:" >&2
  cat window.log >&2
  find "$XDG_STATE_HOME" -name '*.log' -exec cat {} + >&2
  exit 1
fi

step "start-up of the frozen app (its probe: first paint, then the first page's data)"
probe=$(ROASTERDESK_STARTUP_PROBE=1 timeout 60 "$exe" --db "$db" 2>probe.log) || {
  echo "smoke: the start-up probe failed:" >&2; cat probe.log >&2; exit 1; }
painted=$(printf '%s\n' "$probe" | sed -n 's/.*"inside_ms": \([0-9.]*\).*/\1/p' | head -1)
filled=$(printf '%s\n' "$probe" | sed -n 's/.*"filled_ms": \([0-9.]*\).*/\1/p' | head -1)
if [ -z "$painted" ] || [ -z "$filled" ]; then
  echo "smoke: the probe did not report both marks:" >&2; printf '%s\n' "$probe" >&2; exit 1
fi
step "  window painted ${painted} ms and its first lists filled ${filled} ms after start"

# What build.spec leaves out must stay out.
unwanted=$(find "$app_dir" \( -iname '*Qt6Quick*' -o -iname '*Qt6Qml*' \
  -o -iname '*WebEngine*' -o -iname '*Qt6Multimedia*' -o -iname '*tkinter*' \) | head -5)
if [ -n "$unwanted" ]; then
  echo "smoke: the build holds what build.spec excludes:" >&2
  echo "$unwanted" >&2
  exit 1
fi
step "passed; $(du -sh "$app_dir" | cut -f1) in $app_dir"
