"""wrk, the load generator, and nginx: the machine's HTTP ceiling (a file served by one
worker, as shopd serves from one event loop) and a loopback webhook receiver."""
import os
import re
import shutil
import subprocess
import time

from .common import LUA, free_port


def wrk(port, script, duration, threads, connections, env, before=None):
    """Runs wrk with a Lua script of bench/lua (or a path); `before()` is called right
    before the load starts. Returns req/s, p50 and p99 in ms, and the non-2xx count."""
    # When wrk stops, the server still finishes what the last workload had in flight (a
    # queue of logins at ~0.5 s each, for one): let it, so that work is not counted in
    # the next workload's tail.
    time.sleep(2)
    e = dict(os.environ, BENCH_LUA=LUA, **env)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", os.path.join(LUA, script),
           f"http://127.0.0.1:{port}"]
    if before:
        before()
    out = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    non2xx = int(errors.group(1)) if errors else 0
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    seconds = float(total.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[total.group(3)]
    # Requests answered 2xx per second: what a workload whose refusals are fast (logins past
    # the password hasher's gate) really served.
    ok_rps = (int(total.group(1)) - non2xx) / seconds
    return {"rps": rps, "ok_rps": ok_rps, "p50": pct(50), "p99": pct(99), "non2xx": non2xx, "raw": out}


class Nginx:
    """nginx with one worker on a free loopback port: serves `files` (name -> bytes) from
    html/, and answers 204 to anything under /hook, logging each such request to hooks.log
    so the webhook deliveries can be counted."""

    def __init__(self, workdir, files):
        self.root = os.path.join(workdir, "nginx")
        self.port = free_port()
        os.makedirs(os.path.join(self.root, "html"), exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(self.root, "html", name), "wb") as f:
                f.write(data)
        self.hooks = os.path.join(self.root, "hooks.log")
        r = self.root
        self.conf = os.path.join(r, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(f"""worker_processes 1; daemon off; pid {r}/nginx.pid; error_log {r}/error.log;
events {{ worker_connections 4096; }}
http {{ access_log off; keepalive_requests 1000000; client_body_temp_path {r}/tmp;
  proxy_temp_path {r}/tmp; fastcgi_temp_path {r}/tmp; uwsgi_temp_path {r}/tmp; scgi_temp_path {r}/tmp;
  types {{ application/json json; image/png png; }}
  server {{ listen 127.0.0.1:{self.port}; root {r}/html;
    location /hook {{ access_log {r}/hooks.log; return 204; }} }} }}
""")

    def __enter__(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-c", self.conf, "-p", self.root], stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)

    def hook_count(self):
        """Requests the receiver has answered so far (one log line each)."""
        try:
            with open(self.hooks, "rb") as f:
                return f.read().count(b"\n")
        except FileNotFoundError:
            return 0

    def get(self, path, duration, threads, connections):
        """wrk against one of the served files."""
        script = os.path.join(self.root, "get.lua")
        with open(script, "w") as f:
            f.write(f'function request() return wrk.format("GET", "{path}") end\n')
        return wrk(self.port, script, duration, threads, connections, {})
