"""A throwaway durable PostgreSQL cluster for the bench, and pgbench against it."""
import os
import re
import shutil
import signal
import subprocess
import time

from .common import free_port, log


def pg_binaries():
    """The PostgreSQL server binaries, found as scripts/test-stages/20-postgres finds them:
    PG_BIN, else the newest /usr/lib/postgresql/<version>/bin holding initdb. None if absent."""
    if os.environ.get("PG_BIN"):
        candidates = [os.environ["PG_BIN"]]
    else:
        candidates = []
        base = "/usr/lib/postgresql"
        if os.path.isdir(base):
            versions = [v for v in os.listdir(base) if re.fullmatch(r"\d+", v)]
            candidates = [os.path.join(base, v, "bin") for v in sorted(versions, key=int, reverse=True)]
    for d in candidates:
        if all(os.access(os.path.join(d, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return d
    return None


class PgCluster:
    """A throwaway PostgreSQL cluster in workdir/pg on 127.0.0.1 and a free port, durable
    (fsync=on, synchronous_commit=on). As root it runs as the unprivileged `postgres` user,
    as 20-postgres does (PostgreSQL refuses to run as root). stop() ends it by its pid."""

    def __init__(self, pg_bin, workdir, max_connections):
        self.pg_bin, self.max_connections = pg_bin, max_connections
        self.dir = os.path.join(workdir, "pg")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.pid = None
        self.as_pg = []
        if os.geteuid() == 0:
            self.as_pg = ["runuser", "-u", "postgres", "--"]

    def url(self, db):
        return f"postgresql://shop@127.0.0.1:{self.port}/{db}"

    def tool(self, name):
        path = os.path.join(self.pg_bin, name)
        return path if os.access(path, os.X_OK) else shutil.which(name)

    def start(self):
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        if self.as_pg:
            shutil.chown(self.dir, "postgres", "postgres")
        log_path = os.path.join(self.dir, "initdb.log")
        with open(log_path, "wb") as out:
            r = subprocess.run([*self.as_pg, os.path.join(self.pg_bin, "initdb"), "-D", self.data, "-U", "shop",
                                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], stdout=out, stderr=out,
                               stdin=subprocess.DEVNULL, timeout=120)
        if r.returncode != 0:
            raise RuntimeError("initdb failed: " + open(log_path, errors="replace").read()[-2000:])
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on "
                f"-c synchronous_commit=on -c max_connections={self.max_connections}")
        self.server_log = os.path.join(self.dir, "server.log")
        try:
            r = subprocess.run([*self.as_pg, os.path.join(self.pg_bin, "pg_ctl"), "-D", self.data, "-l",
                                self.server_log, "-w", "-t", "30", "start", "-o", opts], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=60)
        finally:  # whatever pg_ctl said, a running postmaster gets stopped by its pid
            try:
                with open(os.path.join(self.data, "postmaster.pid")) as f:
                    self.pid = int(f.readline())
            except (OSError, ValueError):
                pass
        if r.returncode != 0:
            raise RuntimeError("pg_ctl start failed: " + open(self.server_log, errors="replace").read()[-2000:])
        log(f"PostgreSQL cluster pid {self.pid} on 127.0.0.1:{self.port} (fsync=on, synchronous_commit=on)")
        return self

    def sql(self, db, statement):
        subprocess.run([self.tool("psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url(db), "-c", statement],
                       check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=60)

    def setting(self, db, name):
        return subprocess.run([self.tool("psql"), "-Atq", self.url(db), "-c", f"SHOW {name}"], check=True,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60).stdout.strip()

    def stop(self):
        if not self.pid:
            return
        try:
            os.kill(self.pid, signal.SIGINT)  # fast shutdown
            for _ in range(300):
                os.kill(self.pid, 0)
                time.sleep(0.1)
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.pid = None


def pgbench(cluster, db, duration, threads, clients, scale):
    """pgbench's built-in TPC-B-like script; tps excluding connection set-up, average latency."""
    exe = cluster.tool("pgbench")
    t0 = time.monotonic()
    subprocess.run([exe, "-i", "-q", "-s", str(scale), cluster.url(db)], check=True, capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=600)
    log(f"pgbench -i -s {scale} in {time.monotonic() - t0:.1f} s")
    r = subprocess.run([exe, "-c", str(clients), "-j", str(min(threads, clients)), "-T", str(duration), "-M",
                        "prepared", cluster.url(db)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       timeout=duration + 120)
    out = r.stdout + r.stderr
    if r.returncode != 0:
        raise RuntimeError("pgbench failed: " + out[-2000:])
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out) or re.search(r"tps = ([\d.]+)", out)
    lat = re.search(r"latency average = ([\d.]+) ms", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    return {"rps": float(tps.group(1)), "p50": float(lat.group(1)) if lat else float("nan"), "p99": None,
            "non2xx": int(failed.group(1)) if failed else 0, "raw": out}


