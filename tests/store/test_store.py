import pytest
import sqlalchemy as sa

from docket.errors import ConfigError
from docket.store import Store
from docket.store.engine import resolve_url


@pytest.mark.parametrize(
    ("given", "env", "expected"),
    [
        (None, None, "sqlite:///docket.db"),
        (None, "team.db", "sqlite:///team.db"),
        ("x.db", "team.db", "sqlite:///x.db"),
        ("postgresql://u@h/db", None, "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", None, "postgresql+psycopg://u@h/db"),
        (":memory:", None, "sqlite://"),
    ],
)
def test_store_resolve_url(
    given: str | None, env: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env is None:
        monkeypatch.delenv("DOCKET_DB", raising=False)
    else:
        monkeypatch.setenv("DOCKET_DB", env)
    assert resolve_url(given) == expected


def test_store_sqlite_is_wal_and_migrated(tmp_path) -> None:
    store = Store(tmp_path / "a.db")
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version is not None
    store.close()
    Store(tmp_path / "a.db").close()  # reopening an up-to-date database changes nothing


def test_store_write_rolls_back_on_error(store_url: str) -> None:
    store = Store(store_url)
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute(sa.text("INSERT INTO sources (name, kind) VALUES ('x', 'news')"))
        raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM sources")).scalar() == 0
    store.close()


def test_store_bad_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot use database URL 'nosuchdialect://x'"):
        Store("nosuchdialect://x")


def test_store_that_cannot_be_opened_is_one_config_error_naming_it(tmp_path) -> None:
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("a plain text file, not a database\n" * 100)
    with pytest.raises(ConfigError) as info:
        Store(not_sqlite)
    assert str(info.value) == f"cannot open database sqlite:///{not_sqlite}: file is not a database"
    with pytest.raises(ConfigError) as info:
        Store(tmp_path / "no-such-folder" / "d.db")
    assert str(info.value) == (
        f"cannot open database sqlite:///{tmp_path}/no-such-folder/d.db: unable to open database "
        "file"
    )
    with pytest.raises(ConfigError, match=r"nobody:\*\*\*@127\.0\.0\.1:1/x: connection failed"):
        Store("postgresql://nobody:secret@127.0.0.1:1/x")
