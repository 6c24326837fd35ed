"""Fixtures shared by every test module (one conftest for the whole suite)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.pipeline import Analyzer
from newsdesk.settings import Settings, load_settings

# ../shared beside the project: third-party samples and gold data, never copied in.
SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE = SHARED / "samples" / "panjshir-2021-08-24.txt"


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A developer's own NEWSDESK_CONFIG must not change what the tests see.
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    yield


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def demo_articles() -> dict[str, bytes]:
    """The demo articles that ship with newsdesk, by file name."""
    folder = resources.files("newsdesk").joinpath("demo")
    return {
        item.name: item.read_bytes()
        for item in folder.iterdir()
        if item.name.endswith((".txt", ".html"))
    }


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Path:
    """A SQLite store of the demo articles, ingested and refreshed as `newsdesk ingest` does:
    built once per session, for the faces that read a store (serve, export, report). Tests
    must not write to it; copy it first."""
    from newsdesk import desk

    folder = resources.files("newsdesk").joinpath("demo")
    path = tmp_path_factory.mktemp("demo-store") / "demo.sqlite"
    with desk.open_store(str(path)) as store:
        desk.ingest([Path(str(folder))], store=store, analyzer=analyzer, workers=1)
        desk.refresh(store, settings=analyzer.settings)
    return path


@pytest.fixture(scope="session")
def sample_text() -> str:
    """The canonical sample article from ../shared; tests using it skip when it is absent."""
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} is absent")
    return SAMPLE.read_text(encoding="utf-8")


# -- PostgreSQL for the session: the store and desk tests share one server ------------------


def _postgres_bindir() -> Path | None:
    def version(path: Path) -> int:
        return int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _no_postgres(reason: str) -> None:
    if os.environ.get("NEWSDESK_REQUIRE_POSTGRES"):
        pytest.fail(f"{reason}, and NEWSDESK_REQUIRE_POSTGRES is set")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database, for creating test databases."""
    given = os.environ.get("NEWSDESK_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bindir = _postgres_bindir()
    if bindir is None:
        _no_postgres("no PostgreSQL binaries (initdb, pg_ctl); install postgresql")
        return
    run_as: list[str] = []
    # Not under pytest's tmp_path: its base folder is private to the current user, and the
    # server must run as 'postgres' when we are root (initdb refuses to run as root).
    root = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root)
            _no_postgres("running as root and there is no 'postgres' user to run the server")
            return
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, log, port = root / "data", root / "server.log", free_port()
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    initdb = [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
    start = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options]
    commands = [
        [*initdb, "-E", "UTF8", "--locale=C", "--no-sync"],
        [*start, "-w", "-t", "60", "start"],
    ]
    for command in commands:
        done = subprocess.run(run_as + command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            server_log = log.read_text() if log.exists() else ""
            shutil.rmtree(root, ignore_errors=True)
            pytest.fail(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}\n{server_log}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        stop = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(run_as + stop, capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    name = f"newsdesk_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(
        sa.make_url(postgres_server).set(drivername="postgresql+psycopg")
    ).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(postgres_server).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
