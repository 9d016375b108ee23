"""The test databases of a pytest-xdist run: migrated once, then cloned for each worker.

Each worker used to build its own database by running every migration (their SQL files,
triggers and seeds). Now the first worker to need one builds a template the usual way
(Django's ``setup_databases``) and every worker works in its own clone of it, as Django's
parallel test runner does (``clone_test_db``): ``CREATE DATABASE … TEMPLATE …`` on
PostgreSQL; on SQLite the migrated database is saved to a file that each worker loads into its
own in-memory database. The workers of a run share a folder (``tmp_path_factory``'s), where a
lock file orders them and a counter says how many still use the template: the last one drops
it (a worker that needs it later builds it again).
"""

import fcntl
import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test.utils import get_unique_databases_and_mirrors, setup_databases


@contextmanager
def _locked(folder: Path):
    with open(folder / "databases.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _use(connection, name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES[connection.alias]["NAME"] = name


def _snapshot(folder: Path, alias: str) -> Path:
    return folder / f"template-{alias}.sqlite3"


def setup_clones(*, folder: Path, worker: str, aliases, verbosity: int) -> list[tuple]:
    """This worker's test databases, cloned from the run's templates (built if missing);
    returns what ``teardown_clones`` needs."""
    test_databases, mirrors = get_unique_databases_and_mirrors(aliases)
    primaries = [alias for _signature, (_name, names) in test_databases.items() for alias in names]
    state_file = folder / "databases.json"
    with _locked(folder):
        state = json.loads(state_file.read_text()) if state_file.exists() else None
        originals = {alias: connections[alias].settings_dict["NAME"] for alias in primaries}
        if state is None:
            setup_databases(verbosity=verbosity, interactive=False, aliases=aliases)
            state = {"users": 0, "templates": {}}
            for alias in primaries:
                connection = connections[alias]
                state["templates"][alias] = connection.settings_dict["NAME"]
                if connection.vendor == "sqlite":
                    connection.ensure_connection()
                    with sqlite3.connect(_snapshot(folder, alias)) as snapshot:
                        connection.connection.backup(snapshot)
                    snapshot.close()
        else:
            for alias, mirror in mirrors.items():
                connections[alias].creation.set_as_test_mirror(connections[mirror].settings_dict)
        clones = []
        for alias in primaries:
            connection = connections[alias]
            template = state["templates"][alias]
            if connection.vendor == "sqlite":
                # Every worker has its own in-memory database: load the migrated one into it.
                _use(connection, connection.creation._get_test_db_name())
                connection.ensure_connection()
                with sqlite3.connect(_snapshot(folder, alias)) as snapshot:
                    snapshot.backup(connection.connection)
                snapshot.close()
            else:
                _use(connection, template)
                connection.creation.clone_test_db(suffix=worker, verbosity=verbosity)
                _use(connection, connection.creation.get_test_db_clone_settings(worker)["NAME"])
            clones.append((alias, originals[alias]))
        state["users"] += 1
        state_file.write_text(json.dumps(state))
    return clones


def teardown_clones(*, folder: Path, clones: list[tuple], verbosity: int) -> None:
    """Drop this worker's clones; the last worker still using the templates drops them."""
    for alias, original in clones:
        connections[alias].creation.destroy_test_db(original, verbosity)
    with _locked(folder):
        state = json.loads((folder / "databases.json").read_text())
        state["users"] -= 1
        if state["users"]:
            (folder / "databases.json").write_text(json.dumps(state))
            return
        (folder / "databases.json").unlink()
        for alias, template in state["templates"].items():
            connection = connections[alias]
            if connection.vendor == "sqlite":
                _snapshot(folder, alias).unlink()
            else:
                connection.creation._destroy_test_db(template, verbosity)
