#!/usr/bin/env bash
# Render the example roster's HTML report and take a full-page PNG of it with headless Chromium,
# to look at the design. Usage: scripts/screenshot_html.sh [OUT.png] [WIDTH] [ROSTER] [extra lint args…]
# Needs chromium (Debian: apt-get install chromium; fonts-noto-cjk for the Chinese text).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/screenshot.png}
width=${2:-1280}
roster=${3:-examples/二七区两委换届拟任人选.xlsx}
shift $(( $# < 3 ? $# : 3 ))
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "chromium is not installed: apt-get install -y chromium fonts-noto-cjk" >&2
  exit 2
fi
vetting=${VETTING:-vetting}
[ -x .venv/bin/vetting ] && vetting=.venv/bin/vetting
mkdir -p "$(dirname "$out")"
html="$(mktemp -d)/report.html"
profile=$(mktemp -d)
trap 'rm -rf "$(dirname "$html")" "$profile"' EXIT
"$vetting" lint "$roster" -f html -o "$html" "$@" 2>/dev/null || [ $? -eq 1 ]
# The page height: the page records its laid-out height in <body data-height>; shoot at that size.
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars)
dom=$("$chrome" "${flags[@]}" --window-size="$width,1000" --dump-dom "file://$html" 2>/dev/null)
if grep -q 'data-error=' <<<"$dom"; then
  echo "the page reported a script error: $(grep -o 'data-error="[^"]*"' <<<"$dom")" >&2
  exit 1
fi
height=$(grep -o 'data-height="[0-9]*"' <<<"$dom" | grep -o '[0-9]*' || true)
height=${HEIGHT:-${height:-3200}}
"$chrome" "${flags[@]}" --window-size="$width,$height" --screenshot="$(realpath -m "$out")" "file://$html" 2>/dev/null
echo "$out"
