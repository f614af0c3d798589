"""`cablegram serve`: a real server process on a free loopback port, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from cablegram.archive import Archive
from cablegram.cli import app

CABLEGRAM = Path(sys.executable).parent / "cablegram"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_refuses_a_directory_without_an_archive(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--archive", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no archive" in result.output


def test_serve_answers_until_interrupted(tmp_path: Path, key_dir: Path) -> None:
    archive = tmp_path / "archive"
    Archive.open(archive).close()  # an empty archive, without users
    port = free_port()
    server = subprocess.Popen(
        [str(CABLEGRAM), "serve", "--archive", str(archive), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"CABLEGRAM_KEY_DIR": str(key_dir)},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                login = status_of(f"{base}/login")
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        assert login == 200
        assert status_of(f"{base}/api/v1/me") == 401
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=20)
    assert server.returncode == 0, stderr
    assert "nobody can log in" in stderr
    assert f"http://127.0.0.1:{port}" in stderr
