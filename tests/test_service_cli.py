"""``newsbrief serve`` options: operator-enabled methods, backends, the TOML config, edge limits.

Every case runs ``newsbrief serve --print-config`` in-process (the settings the server would
start with, as JSON; nothing listens), or expects the one-line error and exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from newsbrief.cli import main  # noqa: E402
from newsbrief.service.server import default_max_connections  # noqa: E402

OFFLINE = {"highlights": {}, "lead": {}, "lead-words": {}}


def serve(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, Any, str]:
    """Exit code, the printed config (or None) and stderr of ``newsbrief serve --print-config ARGS``."""
    capsys.readouterr()
    code = 0
    try:
        main(["serve", "--print-config", "--db", str(tmp_path / "db.sqlite"), *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_defaults(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, config, _ = serve(capsys, tmp_path)
    assert code == 0
    assert config["methods"] == OFFLINE
    assert config["allow_private_backends"] is False
    assert config["header_timeout"] == 10.0 and config["shutdown_timeout"] == 3.0
    assert config["max_connections"] == default_max_connections(config["open_files_limit"])
    assert config["max_connections"] < config["open_files_limit"]


def test_options_add_methods_to_the_offline_ones(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, config, err = serve(
        capsys,
        tmp_path,
        "--allow-method",
        "lead:n=2",
        "--allow-method",
        "llm:base_url=http://127.0.0.1:11434/v1,model=llama3.2,api_key_env=OPENAI_API_KEY",
        "--hf-model",
        "/models/bart-large-cnn",
        "--allow-private-backend",
        "--max-connections",
        "100",
        "--header-timeout",
        "2.5",
    )
    assert code == 0, err
    assert config["methods"] == {
        **OFFLINE,
        "lead": {"n": 2},
        "llm": {"base_url": "http://127.0.0.1:11434/v1", "model": "llama3.2", "api_key_env": "OPENAI_API_KEY"},
        "hf": {"model": "/models/bart-large-cnn"},
    }
    assert config["allow_private_backends"] is True
    assert (config["max_connections"], config["header_timeout"]) == (100, 2.5)


def test_llm_shortcuts_imply_the_method(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, config, err = serve(
        capsys, tmp_path, "--llm-base-url", "http://[::1]:8001/v1", "--llm-model", "m", "--allow-private-backend"
    )
    assert code == 0, err
    assert config["methods"]["llm"] == {"base_url": "http://[::1]:8001/v1", "model": "m"}
    code, config, _ = serve(capsys, tmp_path, "--llm-api-key-env", "MY_KEY", "--allow-private-backend")
    assert config["methods"]["llm"] == {"api_key_env": "MY_KEY"}  # the default base_url: a local Ollama


@pytest.mark.parametrize(
    "args",
    [
        ("--llm-base-url", "http://127.0.0.1:11434/v1"),
        ("--llm-model", "llama3.2"),  # the default base_url is localhost
        ("--allow-method", "llm:base_url=http://10.1.2.3:8000/v1"),
        ("--llm-base-url", "http://[::ffff:192.168.0.7]/v1"),
    ],
)
def test_a_private_backend_needs_the_operators_consent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    code, config, err = serve(capsys, tmp_path, *args)
    assert code == 2 and config is None
    assert err.count("\n") == 1 and err.startswith("newsbrief: error: llm base_url ")
    assert "--allow-private-backend" in err


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/v1", "http://[fd00:ec2::254]/v1", "http://[::ffff:169.254.169.254]/v1"]
)
def test_a_metadata_backend_is_refused_even_with_consent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str
) -> None:
    code, _, err = serve(capsys, tmp_path, "--llm-base-url", url, "--allow-private-backend")
    assert code == 2
    assert "metadata" in err and "--allow-private-backend" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--allow-method", "nosuch"), "unknown method 'nosuch'"),
        (("--allow-method", "lead:bogus=1"), "does not take setting 'bogus'"),
        (("--allow-method", "lead:n=zero"), "setting 'n' of method 'lead'"),
        (("--allow-method", "lead:n"), "bad setting"),
        (("--llm-base-url", "ftp://127.0.0.1/v1", "--allow-private-backend"), "http(s) URL"),
        (("--llm-base-url", "http://[::1/v1", "--allow-private-backend"), "not a valid URL"),
        (("--llm-base-url", "http://127.0.0.1:0/v1", "--allow-private-backend"), "port 0"),
    ],
)
def test_bad_methods_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = serve(capsys, tmp_path, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("newsbrief: error: ")
    assert message in err
    assert "Traceback" not in err


def test_a_config_file_sets_options_and_the_command_line_wins(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config_file = tmp_path / "serve.toml"
    config_file.write_text(
        "port = 9001\n"
        "max_body_bytes = 20000\n"
        'allowed-host = "news.example"\n'
        "header_timeout = 4.5\n"
        "allow_private_backend = true\n"
        "[methods.llm]\n"
        'base_url = "http://127.0.0.1:11434/v1"\n'
        'model = "llama3.2"\n'
        "[methods.lead]\n",
        encoding="utf-8",
    )
    code, config, err = serve(capsys, tmp_path, "--config", str(config_file), "--port", "9002", "--llm-model", "qwen")
    assert code == 0, err
    assert config["port"] == 9002  # the command line wins
    assert config["max_body_bytes"] == 20000 and config["header_timeout"] == 4.5
    assert config["allowed_hosts"] == ["news.example"]
    assert config["allow_private_backends"] is True
    assert config["methods"] == {**OFFLINE, "llm": {"base_url": "http://127.0.0.1:11434/v1", "model": "qwen"}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prot = 8000\n", "unknown setting 'prot'"),
        ("port = \n", "not valid TOML"),
        ("methods = 3\n", "[methods.llm]"),
        ("[methods.nosuch]\n", "unknown method 'nosuch'"),
        ('port = "many"\n', "many"),
    ],
)
def test_config_file_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str) -> None:
    config_file = tmp_path / "serve.toml"
    config_file.write_text(text, encoding="utf-8")
    code, _, err = serve(capsys, tmp_path, "--config", str(config_file))
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_missing_config_file_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = serve(capsys, tmp_path, "--config", str(tmp_path / "absent.toml"))
    assert code == 2 and "absent.toml" in err
