"""``zhenkg demo`` and ``zhenkg serve`` as ``make run`` uses them: real processes, real ports."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from api.cli import main
from tests.api.conftest import SAMPLE, free_port, zhenkg


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENKG_")}
    return {**env, **extra}


def test_demo_prints_the_findings_then_serves(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [*zhenkg(), "demo", "--sample", str(SAMPLE), "--port", str(port), "--log-level", "warning"],
        env=clean_env(ZHENKG_DB=str(tmp_path / "graph.db")),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while not (lines and lines[-1].startswith("overview: ")):
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                pytest.fail("demo exited:\n" + "".join(lines))
            lines.append(line.rstrip("\n"))
            assert time.monotonic() < deadline, "\n".join(lines)
        out = "\n".join(lines)
        assert lines[-1] == f"overview: http://127.0.0.1:{port}/"
        assert re.search(r"县工业和信息化局 +牵头（按排序推定） +责任", out)  # the matrix
        assert "责任单位中无领导小组成员的：县乡村振兴中心" in out
        assert "办公室主任：刘宽利（县工业和信息化局局长）" in out
        assert "铸造产业链（泽州铸造）首要缺口" in out and "山楂红酒产业链" in out
        assert "补链" in out
        for _ in range(100):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert page.status_code == 200 and "刘宽利" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_refuses_a_bad_setting_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZHENKG_MAX_UPLOAD", "lots")
    assert main(["serve", "--db", str(tmp_path / "graph.db")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "ZHENKG_MAX_UPLOAD='lots'" in err


def test_serve_binds_to_loopback_by_default() -> None:
    from api.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
