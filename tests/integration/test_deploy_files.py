"""The systemd unit that docs/deployment.md installs is one systemd accepts.

`systemd-analyze verify` parses the unit as systemd would (directives, instance specifier,
that ExecStart exists and is executable). The unit names /srv/convene, where the docs put the
code; here that is this checkout, whose .venv the suite runs in.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "convene@.service"


def _directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_is_valid_for_systemd(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    instance = tmp_path / "convene@5001.service"
    instance.write_text(UNIT.read_text().replace("/srv/convene", str(ROOT)))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(instance)], capture_output=True, text=True
    )
    complaints = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "convene@5001" in line or "Failed" in line
    ]
    assert done.returncode == 0, done.stdout + done.stderr
    assert complaints == []


def test_the_unit_runs_the_production_server_unprivileged_on_its_instance_port():
    unit = _directives(UNIT.read_text())
    assert unit["ExecStart"] == ["/srv/convene/.venv/bin/python -m convene serve"]
    assert unit["User"] == ["convene"]
    environment = " ".join(unit["Environment"]).split()
    assert "PORT=%i" in environment
    assert "HOST=127.0.0.1" in environment, "only nginx, on this machine, reaches it"
    # It may write its instance folder (sessions key, metrics) and nothing else.
    instance = next(v.split("=", 1)[1] for v in environment if v.startswith("INSTANCE_PATH="))
    assert unit["ReadWritePaths"] == [instance]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["Restart"] == ["always"]
