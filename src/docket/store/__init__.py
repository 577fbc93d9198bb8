"""The store: SQLAlchemy tables, migrations, and the functions that read and write records."""

from docket.store.store import Store

__all__ = ["Store"]
