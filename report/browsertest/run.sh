#!/usr/bin/env bash
# Browser test of the HTML report: build a report from a synthetic results
# folder (random numbers, not measurements), load it in headless Chromium,
# fail on any console message or page error and on any <img>/<svg> that did
# not render with a non-zero size, and save a screenshot.
#
# Usage: bash report/browsertest/run.sh [OUTDIR [PAGE]]
# OUTDIR (default: a new temporary folder) receives report.html,
# report.png (screenshot), dom.html and chromium.log. PAGE checks an
# existing HTML file instead of a freshly built fixture report (to check a
# real run's report, or that the checker catches a broken page).
# Needs Debian's chromium (apt-get install -y chromium); CHROMIUM overrides
# the browser binary.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z "$browser" ]]; then
	echo "browsertest: chromium not found (apt-get install -y chromium)" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -n "${2:-}" ]]; then
	cp "$2" "$out/report.html"
else
	cd "$root"
	go run ./report/browsertest/mkfixture "$work/results"
	go run ./cmd/ghl report "$work/results" --out "$out/report.html" >/dev/null
fi

fail=0
if grep -Eq '(src|href)="(https?:)?//' "$out/report.html"; then
	echo "browsertest: FAIL: the report references a network resource" >&2
	fail=1
fi

# The checker runs first in <head>: it records page errors (including
# failed resource loads, caught in the capture phase) and console errors and
# warnings, and after the load event measures every image and svg.
checker='<script>(function(){var errs=[];
window.addEventListener("error",function(e){var t=e.target;errs.push(t&&t!==window&&(t.src||t.tagName)?"load failed: "+(t.tagName||"")+" "+String(t.src||"").slice(0,60):"error: "+e.message);},true);
["error","warn"].forEach(function(k){var f=console[k];console[k]=function(){errs.push(k+": "+Array.prototype.join.call(arguments," "));};});
window.addEventListener("load",function(){var n=0,bad=[];
document.querySelectorAll("img,svg").forEach(function(el,i){n++;var r=el.getBoundingClientRect();
if(r.width<1||r.height<1||(el.tagName==="IMG"&&!(el.complete&&el.naturalWidth>0&&el.naturalHeight>0)))bad.push((el.id||el.alt||el.tagName)+"#"+i);});
document.body.setAttribute("data-images",String(n));
document.body.setAttribute("data-bad-images",bad.join(";"));
document.body.setAttribute("data-errors",errs.join(";"));
document.body.setAttribute("data-check","done");});})();</script>'
python3 - "$out/report.html" "$work/check.html" "$checker" <<'PY'
import sys
page, dst, checker = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(page, encoding="utf-8").read()
assert "<head>" in s, "no <head> in the report"
open(dst, "w", encoding="utf-8").write(s.replace("<head>", "<head>" + checker, 1))
PY

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--enable-logging=stderr --v=0 --virtual-time-budget=10000)
profile=$(mktemp -d -p "$work")
timeout 120 "$browser" "${flags[@]}" --user-data-dir="$profile" --dump-dom \
	"file://$work/check.html" >"$out/dom.html" 2>"$out/chromium.log" || {
	echo "browsertest: FAIL: chromium exited with $? (see $out/chromium.log)" >&2
	exit 1
}
attr() { grep -o "$1=\"[^\"]*\"" "$out/dom.html" | head -1 | sed 's/^[^"]*"//; s/"$//'; }
if [[ "$(attr data-check)" != done ]]; then
	echo "browsertest: FAIL: the page did not finish loading" >&2
	fail=1
fi
images=$(attr data-images)
if [[ -z "$images" || "$images" -lt 1 ]]; then
	echo "browsertest: FAIL: no images on the page" >&2
	fail=1
fi
if [[ -n "$(attr data-bad-images)" ]]; then
	echo "browsertest: FAIL: images not rendered: $(attr data-bad-images)" >&2
	fail=1
fi
if [[ -n "$(attr data-errors)" ]]; then
	echo "browsertest: FAIL: page errors: $(attr data-errors)" >&2
	fail=1
fi
if grep -q 'CONSOLE' "$out/chromium.log"; then
	echo "browsertest: FAIL: console messages:" >&2
	grep 'CONSOLE' "$out/chromium.log" >&2
	fail=1
fi

profile=$(mktemp -d -p "$work")
timeout 120 "$browser" "${flags[@]}" --user-data-dir="$profile" --hide-scrollbars \
	--window-size=1280,2400 --screenshot="$out/report.png" "file://$out/report.html" \
	>/dev/null 2>>"$out/chromium.log" || {
	echo "browsertest: FAIL: screenshot failed (see $out/chromium.log)" >&2
	exit 1
}
if [[ ! -s "$out/report.png" ]]; then
	echo "browsertest: FAIL: no screenshot" >&2
	fail=1
fi
if [[ $fail -ne 0 ]]; then
	echo "browsertest: 0 passed, 1 failed" >&2
	exit 1
fi
echo "browsertest: $images images rendered, no console errors; screenshot $out/report.png"
echo "browsertest: 1 passed, 0 failed"
