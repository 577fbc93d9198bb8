"""Fixtures shared by the whole suite (the only conftest, as in spaCy's tests).

Every test that takes ``db`` or ``store_url`` runs against SQLite and, when a PostgreSQL server is
available (``DOCKET_TEST_PG``, set by ``scripts/test``), against PostgreSQL too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import docket
from docket.store.engine import create_engine, migrate

PG_URL = os.environ.get(
    "DOCKET_TEST_PG"
)  # e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_TEMPLATE = "docket_test_template_" + os.environ.get("PYTEST_XDIST_WORKER", "main")


def _backends() -> list[object]:
    backends: list[object] = ["sqlite"]
    backends.append(
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(
                    not PG_URL, reason="DOCKET_TEST_PG not set (scripts/test sets it)"
                ),
            ],
        )
    )
    return backends


def _pg_admin() -> sa.Engine:
    assert PG_URL
    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; each test copies it (CREATE DATABASE ... TEMPLATE)."""
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {_TEMPLATE}"))
        conn.execute(sa.text(f"CREATE DATABASE {_TEMPLATE}"))
    url = sa.make_url(PG_URL).set(database=_TEMPLATE).render_as_string(hide_password=False)
    engine = create_engine(url)
    migrate(engine)
    engine.dispose()
    yield url
    admin.dispose()


def _fresh_pg_database(request: pytest.FixtureRequest) -> str:
    request.getfixturevalue("pg_template")
    name = f"docket_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}"))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

    request.addfinalizer(drop)
    return sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=_backends())
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty, migrated database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'docket.db'}"
    return _fresh_pg_database(request)


@pytest.fixture
def db(store_url: str) -> Iterator[docket.Docket]:
    """An open :class:`docket.Docket` on an empty database of each backend."""
    workspace = docket.open(store_url, actor="tester")
    yield workspace
    workspace.close()


@pytest.fixture
def corpus_dev() -> Path:
    """``../shared/corpus/dev``; tests that need it skip cleanly when it is absent."""
    path = CORPUS / "dev"
    if not path.is_dir():
        pytest.skip("shared/corpus/dev is not present")
    return path


@pytest.fixture
def corpus_geo() -> Path:
    """``../shared/corpus/geo``; tests that need it skip cleanly when it is absent."""
    path = CORPUS / "geo"
    if not (path / "toponyms.jsonl").is_file():
        pytest.skip("shared/corpus/geo is not present")
    return path


class CliResult:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def json(self) -> object:
        import json

        return json.loads(self.stdout)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``docket ARGS...`` in-process; returns exit code, stdout and stderr."""
    from docket import _console, cli

    monkeypatch.setattr(_console.console, "width", 200)

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        monkeypatch.setattr("sys.argv", ["docket", *args])
        monkeypatch.setattr(cli.state, "db_url", None)
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
