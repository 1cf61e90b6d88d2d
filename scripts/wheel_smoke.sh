#!/usr/bin/env bash
# What a user gets from `pip install newsbrief-*.whl[...]`, tried the way a user would.
#
# Builds the sdist and the wheel (the wheel from the sdist), checks that every non-Python file
# under src/newsbrief ships in both, then installs the wheel into fresh venvs, each run from
# outside the repository so nothing is imported from the source tree:
#   base     no extras: parse and summarize scraped text, HTML, .story and JSONL; check, batch
#   lowest   no extras, the lowest versions the base requirements allow: the same commands
#   eval     [eval]: newsbrief evaluate on a tiny JSONL with references, report files and plots
#   llm      [llm]: summarize against a loopback fake OpenAI-compatible server
#   service  [service]: newsbrief serve, /healthz, the web pages, every static file, a summary
#   zstd     [zstd]: newsbrief batch on a .jsonl.zst input
#   hf       [hf]: summarize with a tiny random BART built here (torch from TORCH_INDEX if set)
#   lowest-extras  [eval,llm,service] at their lowest declared versions: eval, llm and service again
#   lowest-hf      [hf] at its lowest declared versions, torch excepted (TORCH as above): the hf step again
#
# Usage: scripts/wheel_smoke.sh [STEP...]       (default: every step; `make wheel-test` runs this)
# Environment: PYTHON      interpreter for the venvs (default python3)
#              BUILD_PYTHON interpreter with `build` installed (default .venv/bin/python)
#              TORCH       torch version for the hf venv (default 2.13.0)
#              TORCH_INDEX index URL for torch, e.g. https://download.pytorch.org/whl/cpu (default: none,
#                          pip's configured indexes; on Linux plain PyPI serves the CUDA build)
#              KEEP=1      keep the work directory (printed at the start)
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
BUILD_PYTHON="${BUILD_PYTHON:-$REPO/.venv/bin/python}"
case "$BUILD_PYTHON" in /*) ;; *) BUILD_PYTHON="$PWD/$BUILD_PYTHON" ;; esac  # the steps run elsewhere
TORCH="${TORCH:-2.13.0}"
TORCH_INDEX="${TORCH_INDEX:-}"
HELPERS="$REPO/scripts/wheel_smoke_helpers.py"
FIX="$REPO/tests/fixtures"
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(base lowest eval llm service zstd hf lowest-extras lowest-hf)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/newsbrief-wheel-smoke.XXXXXX")"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do stop "$pid"; done
    if [ "${KEEP:-0}" = 1 ]; then echo "wheel-smoke: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
say() { echo "wheel-smoke: $*"; }
# Stop a background process: SIGTERM, up to 20 s to exit (the service drains), then SIGKILL.
stop() {
    local pid="$1" i
    kill "$pid" 2>/dev/null || return 0
    for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
# pip, with two known-harmless warnings filtered out: local index folders that lack a package, and
# lxml >= 6.1 no longer declaring the html_clean extra that trafilatura's justext asks for (we
# depend on lxml_html_clean directly, which is what that extra installed).
pip_quiet() {
    local rc=0
    "$@" >"$WORK/pip.log" 2>&1 || rc=$?
    grep -v -e "^WARNING: Location 'file:" -e "does not provide the extra 'html-\?_\?clean'" "$WORK/pip.log" || true
    return "$rc"
}

say "work directory $WORK; steps: ${STEPS[*]}"
cd "$WORK"  # every command below runs outside the repository

# --- build -----------------------------------------------------------------------------------
"$BUILD_PYTHON" -m build --outdir "$WORK/dist" "$REPO" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
WHEEL="$(ls "$WORK"/dist/newsbrief-*.whl)"
SDIST="$(ls "$WORK"/dist/newsbrief-*.tar.gz)"
say "built $(basename "$SDIST") and $(basename "$WHEEL")"
"$PYTHON" "$HELPERS" package-data "$REPO/src/newsbrief" "$WHEEL" "$SDIST"
VERSION="$(basename "$WHEEL" | cut -d- -f2)"

# A fresh venv with the wheel (and any extra requirements) installed; prints nothing on success.
new_venv() {
    local name="$1"
    shift
    [ -x "$WORK/$name/bin/python" ] || "$PYTHON" -m venv "$WORK/$name"
    pip_quiet "$WORK/$name/bin/python" -m pip install --quiet --no-input --no-compile "$@"
    "$WORK/$name/bin/python" -m pip check >/dev/null || { "$WORK/$name/bin/python" -m pip check; exit 1; }
    local where
    where="$("$WORK/$name/bin/python" -c 'import newsbrief; print(newsbrief.__file__)')"
    case "$where" in "$WORK/$name/"*) ;; *) say "FAIL: $name imports newsbrief from $where"; exit 1 ;; esac
}

# Run a command that must exit 0; its stdout goes to $WORK/out.
ok() {
    local rc=0
    "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
    if [ "$rc" != 0 ]; then
        say "FAIL (exit $rc): $*"
        cat "$WORK/err"
        exit 1
    fi
}

# The base commands: every input format through parse and summarize, from a file and from stdin.
base_commands() {
    local bin="$1/bin"
    ok "$bin/newsbrief" --version
    grep -q "$VERSION" "$WORK/out" || { say "FAIL: --version says '$(cat "$WORK/out")', the wheel is $VERSION"; exit 1; }
    ok "$bin/newsbrief" methods
    gzip -c "$FIX/sample.jsonl" >"$WORK/sample.jsonl.gz"
    local input
    for input in "$FIX/cnn-erdogan-putin.txt" "$FIX/dailymail-scraped.txt" "$FIX/page.html" "$FIX/sample.story" \
        "$FIX/sample.jsonl" "$WORK/sample.jsonl.gz"; do
        ok "$bin/newsbrief" parse "$input"
        "$bin/python" "$HELPERS" check-json parse "$WORK/out" >/dev/null
        ok "$bin/newsbrief" summarize "$input" --format json
        "$bin/python" "$HELPERS" check-json summarize "$WORK/out" >/dev/null
        ok "$bin/newsbrief" summarize "$input" --explain
    done
    ok "$bin/newsbrief" summarize - --input-format html <"$FIX/page.html"
    ok "$bin/newsbrief" summarize - <"$FIX/sample.story"
    echo "Turkey shot down 3 Russian jets over Syria." >"$WORK/claim.txt"
    ok "$bin/newsbrief" check --article "$FIX/cnn-erdogan-putin.txt" --summary "$WORK/claim.txt"
    ok "$bin/newsbrief" batch "$FIX/sample.jsonl" "$WORK/batch-$(basename "$1").jsonl" --workers 1
    say "$(basename "$1"): parse and summarize of scraped, HTML, .story, JSONL (+.gz, stdin) inputs, check, batch: ok"
}

eval_commands() {
    local bin="$1/bin"
    ok "$bin/newsbrief" evaluate "$FIX/eval-references.jsonl" --method highlights --method lead --systems \
        --reference references --out "$WORK/eval-$(basename "$1")"
    local f
    for f in results.md results.json scores.jsonl scores.png positions.png; do
        [ -s "$WORK/eval-$(basename "$1")/$f" ] || { say "FAIL: evaluate wrote no $f"; exit 1; }
    done
    say "$(basename "$1"): evaluate with references and published systems, report and plots: ok"
}

llm_commands() {
    local bin="$1/bin" port_file="$WORK/llm-port"
    rm -f "$port_file"
    "$bin/python" "$HELPERS" fake-llm "$port_file" &
    PIDS+=($!)
    local i
    for i in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
    [ -s "$port_file" ] || { say "FAIL: the fake LLM server did not start"; exit 1; }
    ok env OPENAI_API_KEY=smoke "$bin/newsbrief" summarize "$FIX/sample.story" --format json --method llm \
        --model smoke-model --base-url "http://127.0.0.1:$(cat "$port_file")/v1"
    "$bin/python" "$HELPERS" check-json summarize "$WORK/out" >/dev/null
    stop "${PIDS[-1]}"
    unset 'PIDS[-1]'
    say "$(basename "$1"): summarize --method llm against a loopback OpenAI-compatible server: ok"
}

service_commands() {
    local bin="$1/bin" log="$WORK/serve-$(basename "$1").log"
    "$bin/newsbrief" serve --port 0 --db "$WORK/service-$(basename "$1").db" >"$log" 2>&1 &
    PIDS+=($!)
    local i url=""
    for i in $(seq 600); do
        url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" 2>/dev/null | head -1 || true)"
        [ -n "$url" ] && "$bin/python" -c "import urllib.request; urllib.request.urlopen('$url/healthz', timeout=5)" \
            2>/dev/null && break
        kill -0 "${PIDS[-1]}" 2>/dev/null || break
        url=""
        sleep 0.1
    done
    [ -n "$url" ] || { say "FAIL: newsbrief serve did not come up"; cat "$log"; exit 1; }
    "$bin/python" "$HELPERS" probe-service "$url" "$WHEEL"
    stop "${PIDS[-1]}"
    unset 'PIDS[-1]'
}

for step in "${STEPS[@]}"; do
    SECONDS=0
    case "$step" in
    base)
        new_venv base "$WHEEL"
        ! "$WORK/base/bin/python" -c "import numpy" 2>/dev/null || say "note: numpy is importable without extras"
        base_commands "$WORK/base"
        ;;
    lowest)
        "$PYTHON" "$HELPERS" lowest-pins "$WHEEL" >"$WORK/lowest.txt"
        say "lowest base versions: $(tr '\n' ' ' <"$WORK/lowest.txt")"
        new_venv lowest "$WHEEL" -r "$WORK/lowest.txt"
        base_commands "$WORK/lowest"
        ;;
    eval)
        new_venv eval "$WHEEL[eval]"
        eval_commands "$WORK/eval"
        ;;
    llm)
        new_venv llm "$WHEEL[llm]"
        llm_commands "$WORK/llm"
        ;;
    service)
        new_venv service "$WHEEL[service]"
        service_commands "$WORK/service"
        ;;
    zstd)
        new_venv zstd "$WHEEL[zstd]"
        "$WORK/zstd/bin/python" -c "import sys, zstandard; sys.stdout.buffer.write(zstandard.ZstdCompressor().compress(sys.stdin.buffer.read()))" \
            <"$FIX/sample.jsonl" >"$WORK/sample.jsonl.zst"
        ok "$WORK/zstd/bin/newsbrief" batch "$WORK/sample.jsonl.zst" "$WORK/batch-zstd.jsonl" --workers 1
        [ "$(wc -l <"$WORK/batch-zstd.jsonl")" = "$(wc -l <"$FIX/sample.jsonl")" ] || { say "FAIL: zstd batch lost records"; exit 1; }
        say "zstd: batch of a .jsonl.zst input: ok"
        ;;
    hf | lowest-hf)
        "$PYTHON" -m venv "$WORK/$step"
        # torch first, pinned (and from TORCH_INDEX when given): a bare `torch` from PyPI on Linux is the CUDA build
        pip_quiet "$WORK/$step/bin/python" -m pip install --quiet --no-input --no-compile "torch==$TORCH" ${TORCH_INDEX:+--index-url "$TORCH_INDEX"}
        if [ "$step" = hf ]; then
            new_venv hf "$WHEEL[hf]"
        else
            # torch's own lower bound is not tried: old torch exists on PyPI only as the multi-GB CUDA build
            "$PYTHON" "$HELPERS" lowest-pins "$WHEEL" hf | grep -v '^torch==' >"$WORK/lowest-hf.txt"
            say "lowest [hf] versions (torch $TORCH): $(tr '\n' ' ' <"$WORK/lowest-hf.txt")"
            new_venv lowest-hf "$WHEEL[hf]" -r "$WORK/lowest-hf.txt"
        fi
        ok "$WORK/$step/bin/python" "$HELPERS" random-bart "$WORK/tiny-bart-$step" "$FIX/cnn-erdogan-putin.txt"
        ok env HF_HUB_OFFLINE=1 "$WORK/$step/bin/newsbrief" summarize "$FIX/sample.story" --format json \
            --method "hf:model=$WORK/tiny-bart-$step,max_new_tokens=8"
        "$WORK/$step/bin/python" "$HELPERS" check-json summarize "$WORK/out" >/dev/null
        say "$step: summarize --method hf with a tiny random BART: ok (torch $("$WORK/$step/bin/python" -c 'import torch; print(torch.__version__)'), transformers $("$WORK/$step/bin/python" -c 'import transformers; print(transformers.__version__)'))"
        ;;
    lowest-extras)
        "$PYTHON" "$HELPERS" lowest-pins "$WHEEL" eval llm service >"$WORK/lowest-extras.txt"
        say "lowest [eval,llm,service] versions: $(tr '\n' ' ' <"$WORK/lowest-extras.txt")"
        new_venv lowest-extras "$WHEEL[eval,llm,service]" -r "$WORK/lowest-extras.txt"
        eval_commands "$WORK/lowest-extras"
        llm_commands "$WORK/lowest-extras"
        service_commands "$WORK/lowest-extras"
        ;;
    *)
        say "unknown step '$step'"
        exit 2
        ;;
    esac
    say "$step: ${SECONDS}s"
done
say "all steps passed: ${STEPS[*]}"
