"""A shopd process on a free loopback port, and a small HTTP client for it."""
import concurrent.futures
import http.client
import json
import os
import signal
import subprocess
import threading
import time

from .common import free_port


class Shopd:
    def __init__(self, binary, db, workdir, env):
        self.binary, self.db, self.workdir = binary, db, workdir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPD_")}
        self.env.update(env)
        self.port = free_port()
        self.proc = None

    def start(self, args=()):
        self.log = open(os.path.join(self.workdir, f"shopd-{self.port}.log"), "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen([self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--db",
                                      self.db, *args], env=self.env, stdout=self.log, stderr=self.log,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        while time.monotonic() - t0 < 120:
            try:
                if self.request("GET", "/readyz")[0] == 200:
                    self.ready_s = time.monotonic() - t0
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("shopd exited; see " + self.log.name)
            time.sleep(0.002)
        raise RuntimeError("shopd did not become ready")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)
        self.log.close()

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def request(self, method, path, body=None, token=None, conn=None, headers=None, raw=False):
        """JSON in and out by default; bytes `body` are sent as they are (set the type in
        `headers`); `raw` returns (status, headers, bytes) instead of parsing."""
        own = conn is None
        c = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        data = body if isinstance(body, bytes) else (json.dumps(body) if body is not None else None)
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        out = r.read()
        if own:
            c.close()
        if raw:
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), out
        return r.status, (json.loads(out) if out and out[:1] in b"{[" else out)


def parallel(port, n, fn, workers=16):
    """Runs fn(i, conn) for i in range(n) on worker threads with keep-alive connections."""
    local = threading.local()
    results = [None] * n

    def run(i):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        results[i] = fn(i, local.conn)

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, range(n), chunksize=64))
    return results
