"""The replica is optional: its settings as a deployment gets them (Django in a subprocess with
exactly the given environment, as in tests/ops/test_deploy_settings.py)."""

import json

from tests.ops.test_deploy_settings import run_django

SHOW = [
    "-c",
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'aliases': sorted(s.DATABASES), 'replica': s.DATABASES.get('replica'), "
    "'pin': s.REPLICA_PIN_SECONDS}, default=str))",
]


def settings_with(**env) -> dict:
    result = run_django(SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_without_a_replica_url_there_is_only_the_primary():
    assert settings_with()["aliases"] == ["default"]


def test_a_replica_url_adds_a_replica_that_gives_up_quickly_and_a_pin_that_outlasts_its_lag():
    found = settings_with(
        DATABASE_REPLICA_URL="postgres://portal:secret@10.0.0.22:5432/portal",
        REPLICA_MAX_LAG="10",
        REPLICA_CHECK_INTERVAL="5",
    )
    replica = found["replica"]
    assert found["aliases"] == ["default", "replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("10.0.0.22", 5432, "portal")
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert replica["OPTIONS"]["tcp_user_timeout"] == 2000
    assert replica["CONN_HEALTH_CHECKS"] is True
    # A browser that saved reads the primary longer than a replica in use may lag.
    assert found["pin"] > 10 + 5
