"""The container image, rehearsed without a container engine.

No machine this project is built on runs a Docker engine, so `docker build` cannot run in
the suite. This test does the next best thing: it reads the Dockerfile and carries out its
steps on this machine, with the image's paths mapped to a scratch folder:

- the build stage's commands as written (a fresh virtualenv, the locked runtime requirements
  with their hashes and wheels only, the compiled translations), from a copy of the tree
  made as `COPY .` makes it (without what .dockerignore leaves out);
- the final stage's environment, working directory and command, run as an unprivileged
  user (nobody, when the suite runs as root) with the code folder read-only to it, and no
  development packages at all.

So a runtime import of a test-only package, a dependency that needs a compiler, a write into
the code folder, or a command that no longer starts the server fails here, as it would in
the image. What it cannot check is Debian's packages in the final stage (it uses this
machine's) and the base image itself.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    steps: list[tuple[str, str]] = []
    pending = ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        word, _, rest = line.partition(" ")
        steps.append((word.upper(), rest.strip()))
    return steps


def _stages(steps: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for step in steps:
        if step[0] == "FROM":
            stages.append([])
        stages[-1].append(step)
    return stages


def _everyone_can_run(path: Path) -> bool:
    folders = [*path.parents]
    return all(os.stat(f).st_mode & 0o001 for f in folders) and bool(os.stat(path).st_mode & 0o001)


def _python_everyone_can_run() -> Path:
    """The image's Python 3.11 for its unprivileged user: this one if that user can run it,
    else the system's (a pyenv Python under /root is out of nobody's reach)."""
    ours = Path(sys._base_executable).resolve()
    if os.geteuid() != 0 or _everyone_can_run(ours):
        return ours
    system = Path("/usr/bin/python3.11")
    if not system.exists():
        pytest.skip("no Python 3.11 that an unprivileged user can run (/usr/bin/python3.11)")
    return system


def _expand(value: str, env: dict[str, str]) -> str:
    """`$NAME` and `${NAME}` as Docker expands them in ENV, from what is set so far."""
    return re.sub(r"\$\{?(\w+)\}?", lambda found: env.get(found.group(1), ""), value)


def _env_pairs(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in shlex.split(text))


def _ignored(dockerignore: Path) -> list[str]:
    lines = dockerignore.read_text().splitlines() if dockerignore.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _copy_context(source: Path, target: Path, patterns: list[str]) -> None:
    """What `COPY . /src` copies: the build context without what .dockerignore names."""

    def skip(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(source)
        gone = set()
        for name in names:
            path = (relative / name).as_posix().removeprefix("./")
            for pattern in patterns:
                bare = pattern.removeprefix("**/")
                if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(name, bare):
                    gone.add(name)
        return gone

    shutil.copytree(source, target, ignore=skip, symlinks=True)


@pytest.fixture
def image_root():
    """A scratch root every user can read (pytest's own tmp folders are private to root)."""
    root = Path(tempfile.mkdtemp(prefix="convene-image-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_the_image_steps_build_a_server_that_runs_unprivileged(image_root):
    dockerfile = ROOT / "Dockerfile"
    build, final = _stages(_instructions(dockerfile))
    paths = {
        "/opt/venv": image_root / "opt" / "venv",
        "/src": image_root / "app",
        "/app": image_root / "app",
        "/data": image_root / "data",
        "/tmp/requirements.txt": image_root / "requirements.txt",
    }

    image_paths = re.compile(
        "|".join(re.escape(p) for p in sorted(paths, key=len, reverse=True)) + r"""(?=[/\s"':]|$)"""
    )

    def mapped(text: str) -> str:
        return image_paths.sub(lambda found: str(paths[found.group(0)]), text)

    # The base image's `python` is Python 3.11: so is this machine's, outside any venv.
    tools = image_root / "bin"
    tools.mkdir()
    (tools / "python").symlink_to(_python_everyone_can_run())
    build_env = {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        "PATH": f"{tools}:/usr/bin:/bin",
    }
    for word, args in build[1:]:
        if word == "ENV":
            build_env.update(_env_pairs(args))
        elif word == "COPY" and args.split()[0] == ".":
            _copy_context(ROOT, paths["/src"], _ignored(ROOT / ".dockerignore"))
        elif word == "COPY":
            source, target = args.split()
            shutil.copy(ROOT / source, mapped(target))
        elif word == "RUN":
            done = subprocess.run(
                ["sh", "-c", mapped(args)], env=build_env, capture_output=True, text=True
            )
            assert done.returncode == 0, f"RUN {args}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        else:
            pytest.fail(f"the rehearsal does not know the build step {word} {args}")

    app = paths["/app"]
    venv_python = paths["/opt/venv"] / "bin" / "python"
    listed = subprocess.run(
        [venv_python, "-m", "pip", "list", "--format=json"], capture_output=True, text=True
    )
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    for test_only in ("pytest", "pyrankvote", "playwright", "ruff", "hypothesis"):
        assert test_only not in installed, f"{test_only} is for tests, not for the image"
    assert list((app / "translations").rglob("*.mo")), "the catalogues are compiled in the image"
    assert not (app / ".git").exists()
    assert not (app / ".venv").exists()

    # The final stage: its environment, folder, user and command.
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    workdir, command = app, None
    for word, args in final[1:]:
        if word == "ENV":
            env.update({k: mapped(_expand(v, env)) for k, v in _env_pairs(args).items()})
        elif word == "WORKDIR":
            workdir = Path(mapped(args))
        elif word == "CMD":
            command = [mapped(part) for part in json.loads(args)]
        elif word == "USER":
            assert args not in ("root", "0"), "the image runs unprivileged"
        elif word == "HEALTHCHECK":
            assert "/healthz" in args
    assert command, "the image has a command"
    paths["/data"].mkdir()
    as_root = os.geteuid() == 0
    if as_root:
        os.chown(paths["/data"], NOBODY, NOBODY)
    port = free_port()
    env.update(
        {
            "HOST": "127.0.0.1",  # the image listens on 0.0.0.0; a test keeps to loopback
            "PORT": str(port),
            "HOME": str(app),
            "SECRET_KEY": "image-rehearsal",
        }
    )
    assert env["PATH"].startswith(f"{paths['/opt/venv'] / 'bin'}:"), env["PATH"]
    url = f"http://127.0.0.1:{port}"
    with open(image_root / "server.log", "w") as log:
        server = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            **({"user": NOBODY, "group": NOBODY, "extra_groups": []} if as_root else {}),
        )
        _exercise(server, url, image_root / "server.log")
    text = (image_root / "server.log").read_text()
    records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert records, f"LOG_FORMAT=json gives JSON lines:\n{text[-2000:]}"
    assert (paths["/data"] / "convene.db").exists(), "the meeting is kept in the data volume"
    assert not list(app.rglob("*.db")), "nothing is written into the code folder"


def _exercise(server: subprocess.Popen, url: str, log: Path) -> None:
    """What a first evening asks of the image: healthy, ready, a convening, a phone, a PDF."""
    try:
        _wait_ready(server, url, log)
        assert requests.get(f"{url}/readyz", timeout=10).status_code == 200
        created = requests.post(f"{url}/api/convenings", json={"title": "Asamblea"}, timeout=10)
        assert created.status_code == 201, created.text
        code = created.json()["code"]
        staff = {"Authorization": f"Bearer {created.json()['facilitator_token']}"}
        joined = requests.post(
            f"{url}/api/convenings/{code}/participants", json={"name": "Begoña"}, timeout=10
        )
        assert joined.status_code == 201, joined.text
        page = requests.get(f"{url}/t/{joined.json()['token']}", timeout=10)
        assert page.status_code == 200
        script = requests.get(f"{url}/static/js/participant.js", timeout=10)
        assert script.status_code == 200, "the image serves its own static files"
        me = requests.get(
            f"{url}/api/convenings/{code}",
            headers={"Authorization": f"Bearer {joined.json()['token']}"},
            timeout=10,
        )
        assert me.status_code == 200, me.text
        pdf = requests.get(
            f"{url}/api/convenings/{code}/minutes",
            params={"format": "pdf", "live": "1"},
            headers=staff,
            timeout=60,
        )
        assert pdf.status_code == 200, pdf.text[:500]
        assert pdf.content.startswith(b"%PDF")
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=15)
        if server.poll() is None:
            server.kill()
            server.wait()


def _wait_ready(server: subprocess.Popen, url: str, log: Path, timeout: float = 90) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the image's command exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"the image's server did not start:\n{log.read_text()[-3000:]}")
