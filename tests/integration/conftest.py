import pytest

from shopd import Server, admin_env


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
