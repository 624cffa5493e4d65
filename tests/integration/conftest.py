import pytest

import openapi_check
from shopd import ON_POSTGRES, Server, admin_env

# Tests that cannot run on PostgreSQL (SHOPD_TEST_DB=postgres), each with what is missing.
# Everything else runs unchanged on both backends.
_READS_SQLITE_FILE = "postgres: the test opens the SQLite file with the sqlite3 module to check stored rows"
POSTGRES_SKIPS = {
    "test_auth.py::test_admin_bootstrap_is_idempotent_across_restarts": _READS_SQLITE_FILE,
    "test_auth.py::test_generated_secret_is_shared_by_replicas_on_one_database":
        _READS_SQLITE_FILE + " (the same property on PostgreSQL: test_postgres.py::test_a_token_issued_by_one_replica_works_on_another)",
    "test_auth.py::test_no_password_hash_or_token_in_the_log": _READS_SQLITE_FILE,
    "test_users.py::test_registration_emits_user_registered_and_stores_only_a_hash": _READS_SQLITE_FILE,
    "test_users.py::test_admin_changes_a_role": _READS_SQLITE_FILE,
    "test_analytics.py::test_totals_equal_paid_orders_minus_refunds_and_survive_restarts_and_rebuilds": _READS_SQLITE_FILE,
    "test_lifecycle.py::test_migrate_creates_and_is_idempotent":
        _READS_SQLITE_FILE + " (migrate on PostgreSQL: test_postgres.py::test_migrate_is_idempotent_on_postgres)",
    "test_crash_safety.py::test_ten_sigkills_under_mixed_write_load_leave_the_books_balanced":
        _READS_SQLITE_FILE + " (PostgreSQL kill test: test_postgres.py::test_a_replica_killed_mid_run_loses_no_acknowledged_order)",
    "test_crash_safety.py::test_sigkills_while_returns_are_received_refund_each_return_exactly_once":
        _READS_SQLITE_FILE + " (receives racing on PostgreSQL: test_returns.py runs there, and the unit tests of "
        "refund_for_return run on both backends)",
    "test_lifecycle.py::test_backup_while_serving_passes_integrity_check":
        "postgres: shopd backup copies SQLite files; on PostgreSQL it points to pg_dump "
        "(test_postgres.py::test_backup_on_postgres_points_to_pg_dump)",
}


def pytest_collection_modifyitems(config, items):
    if not ON_POSTGRES:
        return
    for item in items:
        key = f"{item.path.name}::{item.name}" if hasattr(item, "path") else item.nodeid.split("/")[-1]
        reason = POSTGRES_SKIPS.get(key) or POSTGRES_SKIPS.get(key.split("[")[0])
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def server():
    s = Server(env=admin_env()).start()
    yield s
    s.close()


@pytest.fixture
def make_server():
    started = []

    def make(**kw):
        s = Server(**kw).start()
        started.append(s)
        return s

    yield make
    for s in started:
        s.close()


# Every response Server.request receives is checked against the OpenAPI document
# (openapi_check.py) and a violation raises in the test. This net also fails a test that
# caught that AssertionError (say in a worker thread) and otherwise passed.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.openapi_call_passed = rep.passed


@pytest.fixture(autouse=True)
def _openapi_contract(request):
    start = len(openapi_check.violations)
    yield
    found = openapi_check.violations[start:]
    if found and getattr(request.node, "openapi_call_passed", False):
        pytest.fail("responses outside the OpenAPI document:\n" + "\n".join(found[:10]), pytrace=False)
