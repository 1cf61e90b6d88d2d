"""Helpers for scripts/wheel_smoke.sh that are easier to write in Python than in bash.

Standard library only at import time: this file runs under every smoke venv's interpreter
(a bare one, one per extra), so it must not assume anything the wheel under test does not
bring. Each subcommand prints what it checked and exits non-zero with a one-line reason.

    package-data SRC_PKG WHEEL SDIST   every non-.py file under SRC_PKG is in the wheel and the sdist
    lowest-pins WHEEL [EXTRA...]        "name==lowest" for each ">=" requirement of the base (and extras)
    check-json KIND FILE                parse/summarize output is well-formed (one object or JSON lines)
    fake-llm PORT_FILE                  a loopback OpenAI-compatible /v1/chat/completions server
    probe-service BASE_URL WHEEL        /healthz, the web pages and every static file the wheel ships
    random-bart DIR SAMPLE              a tiny randomly initialised BART checkpoint (needs the hf extra)
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

SKIP_PARTS = {"__pycache__"}
SKIP_SUFFIXES = {".py", ".pyc", ".pyo"}


def fail(message: str) -> None:
    print(f"wheel-smoke: FAIL: {message}", file=sys.stderr)
    raise SystemExit(1)


def package_files(src_pkg: Path) -> list[str]:
    """Non-Python files a user of the package may need: static pages, word lists, weights, py.typed."""
    root = src_pkg.parent
    found = []
    for path in sorted(src_pkg.rglob("*")):
        if not path.is_file() or SKIP_PARTS & set(path.parts) or path.suffix in SKIP_SUFFIXES:
            continue
        if any(part.endswith(".egg-info") for part in path.parts):
            continue
        found.append(path.relative_to(root).as_posix())
    return found


def cmd_package_data(src_pkg: str, wheel: str, sdist: str) -> None:
    wanted = package_files(Path(src_pkg))
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    with tarfile.open(sdist) as tar:
        # sdist members are "<name>-<version>/src/<package>/...": compare from the package on
        in_sdist = {"/".join(PurePosixPath(m).parts[2:]) for m in tar.getnames()}
    missing_wheel = [f for f in wanted if f not in in_wheel]
    missing_sdist = [f for f in wanted if f not in in_sdist]
    if missing_wheel or missing_sdist:
        fail(
            f"package data not shipped (add it to [tool.setuptools.package-data]): "
            f"wheel lacks {missing_wheel}, sdist lacks {missing_sdist}"
        )
    print(f"wheel-smoke: package data: all {len(wanted)} non-Python files under {src_pkg} are in the wheel and sdist")


REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[^\]]*\])?\s*(?P<spec>[^;]*?)\s*(?:;\s*(?P<marker>.*))?$"
)
EXTRA_MARKER = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")
LOWER = re.compile(r">=\s*([0-9][^,\s]*)")


def requirements(wheel: str) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(name, extras, lower bound or None, extra or None) for each Requires-Dist of the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = zf.read(meta_name).decode("utf-8")
    for line in meta.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        match = REQUIREMENT.match(line.removeprefix("Requires-Dist:").strip())
        if match is None:
            fail(f"cannot read requirement {line!r}")
            continue
        extra = EXTRA_MARKER.search(match["marker"] or "")
        lower = LOWER.search(match["spec"])
        yield match["name"], match["extras"] or "", lower and lower.group(1), extra and extra.group(1)


def cmd_lowest_pins(wheel: str, *extras: str) -> None:
    """Pins of the lowest declared versions; a name bound twice (two extras) takes the higher bound."""
    pins: dict[str, tuple[str, str]] = {}
    for name, name_extras, lower, extra in requirements(wheel):
        if extra is not None and extra not in extras:
            continue
        if lower is None:
            continue  # no lower bound declared (e.g. newsbrief[...] self-references): nothing to pin
        key = name.lower().replace("_", "-")
        old = pins.get(key)
        if old is None or _version_key(lower) > _version_key(old[1]):
            pins[key] = (name + name_extras, lower)
    for name, version in pins.values():
        print(f"{name}=={version}")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def cmd_check_json(kind: str, path: str) -> None:
    """Every output object has what a user reads first: a body for parse, highlights for summarize."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        objects = [json.loads(text)]
    except json.JSONDecodeError:
        objects = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not objects:
        fail(f"{path}: no output")
    for obj in objects:
        if kind == "parse" and not obj.get("body", "").strip():
            fail(f"{path}: an article without a body")
        if kind == "summarize" and not [h for h in obj.get("highlights", []) if h.get("text", "").strip()]:
            fail(f"{path}: a summary without highlights")
    print(f"wheel-smoke: {kind} output ok ({len(objects)} object(s))")


class FakeLLM(BaseHTTPRequestHandler):
    """Answers chat completions with the article's first sentence as the one highlight."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v1/chat/completions" or not body.get("model") or not body.get("messages"):
            self.send_error(400, "expected a chat completion request with a model and messages")
            return
        article = body["messages"][-1]["content"].split("Article:\n", 1)[-1]
        first = re.split(r"(?<=[.!?])\s", article.strip(), maxsplit=1)[0]
        answer = {
            "id": "fake",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": json.dumps({"highlights": [first]})},
                }
            ],
        }
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def cmd_fake_llm(port_file: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    Path(port_file).write_text(str(server.server_address[1]), encoding="utf-8")
    server.serve_forever()


def _get(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # loopback only
        return response.status, response.read()


def cmd_probe_service(base_url: str, wheel: str) -> None:
    """The service a user starts from the wheel: health, pages, every shipped static file, one summary."""
    version = Path(wheel).name.split("-")[1]
    status, body = _get(f"{base_url}/healthz")
    health = json.loads(body)
    if status != 200 or health.get("status") != "ok" or health.get("version") != version:
        fail(f"/healthz answered {status} {health} (expected status ok, version {version})")
    for page in ("/", "/search", "/docs"):
        status, body = _get(base_url + page)
        if status != 200 or b"<html" not in body.lower():
            fail(f"{page} answered {status} without an HTML page")
        for ref in re.findall(rb"""(?:src|href)=["'](/static/[^"']+)["']""", body):
            status, _ = _get(base_url + ref.decode())
            if status != 200:
                fail(f"{page} refers to {ref.decode()}, which answered {status}")
    with zipfile.ZipFile(wheel) as zf:
        static = [n for n in zf.namelist() if "/service/static/" in n]
        for name in static:
            status, body = _get(f"{base_url}/static/{name.split('/service/static/', 1)[1]}")
            if status != 200 or body != zf.read(name):
                fail(f"/static file {name} answered {status} or differs from the wheel's copy")
    text = "Rome (CNN) -- The pope called for peace on Sunday. He spoke to 50,000 people in St Peter's Square."
    status, body = _get(f"{base_url}/v1/summarize", json.dumps({"text": text}).encode())
    if status != 200 or not json.loads(body).get("highlights"):
        fail(f"POST /v1/summarize answered {status}: {body[:200]!r}")
    print(f"wheel-smoke: service ok: /healthz (version {version}), 3 pages, {len(static)} static files, /v1/summarize")


def cmd_random_bart(out: str, sample: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test-model builder
    from helpers_hf import save_random_bart

    lines = [line.strip() for line in Path(sample).read_text(encoding="utf-8").splitlines() if line.strip()]
    dims = {  # tests/test_hf.py's tiny model: small enough to build in a second, big enough to write text
        "vocab_size": 800,
        "d_model": 16,
        "encoder_layers": 2,
        "decoder_layers": 2,
        "encoder_attention_heads": 2,
        "decoder_attention_heads": 2,
        "encoder_ffn_dim": 32,
        "decoder_ffn_dim": 32,
        "max_position_embeddings": 128,
    }
    generation = {
        "num_beams": 2,
        "max_length": 20,
        "min_length": 4,
        "no_repeat_ngram_size": 3,
        "length_penalty": 2.0,
        "early_stopping": True,
        "suppress_tokens": [1, 3, 4],  # no pad/unk/mask: random weights still write visible text
    }
    Path(out).mkdir(parents=True, exist_ok=True)
    save_random_bart(Path(out), lines, dims=dims, generation=generation)
    print(f"wheel-smoke: random BART saved to {out}")


COMMANDS: dict[str, Callable[..., None]] = {
    "package-data": cmd_package_data,
    "lowest-pins": cmd_lowest_pins,
    "check-json": cmd_check_json,
    "fake-llm": cmd_fake_llm,
    "probe-service": cmd_probe_service,
    "random-bart": cmd_random_bart,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail(f"usage: {Path(__file__).name} {'|'.join(COMMANDS)} ARGS...")
    COMMANDS[sys.argv[1]](*sys.argv[2:])
