"""Offline checks of the deployment files (issue 9): the Dockerfiles, docker-compose.yml and
its profiles, the nginx config, and the Kubernetes overlays in deploy/k8s.

Kubernetes: both overlays are rendered (`kubectl kustomize` when kubectl is installed, else
by following the kustomizations' `resources`, the only feature they use) and checked field
by field for what issue 9 requires. When node and npm are present the rendered objects are
also validated against the Kubernetes API's JSON schemas (npm package kubernetes-models,
installed once into a cache directory); without them that one test is skipped, saying so.
Compose: parsed as YAML (merge keys included) and, when docker-compose is installed,
validated by `docker-compose config` for every profile. Nothing here needs a cluster, a
container engine or a registry.
"""
import os
import re
import shutil
import subprocess
import tempfile

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
K8S = os.path.join(ROOT, "deploy", "k8s")
NGINX_DIR = os.path.join(ROOT, "deploy", "nginx")
LABELS = {"app.kubernetes.io/name": "shopd", "app.kubernetes.io/component": "api"}


def read(*path):
    with open(os.path.join(ROOT, *path)) as f:
        return f.read()


# ---------------------------------------------------------------- Dockerfiles

def dockerfile_stages(text):
    text = re.sub(r"\\\n", " ", text)
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            stages.append([])
        stages[-1].append((word.upper(), rest.strip()))
    return stages


@pytest.mark.parametrize("path", ["Dockerfile", "deploy/nginx/Dockerfile"])
def test_dockerfiles_use_only_debian_bookworm_slim(path):
    stages = dockerfile_stages(read(path))
    assert stages
    for stage in stages:
        base = stage[0][1].split()[0]
        assert base == "debian:bookworm-slim", (path, base)


def test_shopd_image_final_stage():
    final = dict()
    stage = dockerfile_stages(read("Dockerfile"))[-1]
    for word, rest in stage:
        final.setdefault(word, []).append(rest)
    # Only the binary, its runtime libraries and the default config.
    copies = final["COPY"]
    assert sorted(c.split()[-1] for c in copies) == ["/etc/shopd/shopd.json", "/tmp/runtime-packages",
                                                     "/usr/local/bin/shopd"], copies
    assert "g++" not in " ".join(final["RUN"]) and "-dev" not in " ".join(final["RUN"])
    user = final["USER"][-1].split(":")[0]
    assert user.isdigit() and int(user) != 0, user          # numeric: runAsNonRoot can check it
    assert '"/data"' in final["VOLUME"][0]
    env = " ".join(final["ENV"])
    assert "SHOPD_DB=/data/shopd.db" in env
    drain = int(re.search(r"SHOPD_DRAIN_TIMEOUT_MS=(\d+)", env).group(1))
    assert drain < 10000, "the drain must end inside docker stop's default 10 s"
    assert "/healthz" in final["HEALTHCHECK"][0]
    assert final["STOPSIGNAL"] == ["SIGTERM"]
    assert final["ENTRYPOINT"][0].startswith('["shopd", "serve"')


def test_dockerignore_keeps_build_dirs_and_git_out():
    ignored = {line.strip() for line in read(".dockerignore").splitlines() if line.strip() and not line.startswith("#")}
    assert {".git", "build", "build-*", "data"} <= ignored
    stage0 = dockerfile_stages(read("Dockerfile"))[0]
    for word, rest in stage0 + dockerfile_stages(read("Dockerfile"))[-1]:
        if word == "COPY" and not rest.startswith("--from"):
            src = rest.split()[0]
            assert src.split("/")[0] not in ignored, f"{src} is copied but ignored"


# ---------------------------------------------------------------- nginx

def test_nginx_proxy_config_retries_only_safe_requests():
    conf = read("deploy", "nginx", "shopd-proxy.conf")
    directives = [line.split("#")[0].strip() for line in conf.splitlines()]
    directives = [d for d in directives if d]
    nu = [d for d in directives if d.startswith("proxy_next_upstream ")]
    assert nu == ["proxy_next_upstream error timeout http_502 http_503;"], nu
    assert not any("non_idempotent" in d for d in directives)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in directives
    assert "proxy_http_version 1.1;" in directives and 'proxy_set_header Connection "";' in directives
    upstream = read("deploy", "nginx", "upstream.conf.in")
    assert re.search(r"^\s*keepalive \d+;", upstream, re.M)
    entry = read("deploy", "nginx", "entrypoint.sh")
    assert "max_fails=" in entry and "fail_timeout=" in entry


@pytest.mark.skipif(shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"),
                    reason="nginx is not installed (scripts/install-deps adds it)")
def test_nginx_image_config_is_valid(tmp_path):
    """nginx -t on the image's own nginx.conf, with its paths moved into a temp dir and the
    upstream block written the way entrypoint.sh writes it."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    etc, run = tmp_path / "etc", tmp_path / "run"
    etc.mkdir()
    run.mkdir()
    for name in ("shopd-proxy.conf", "upstream.conf.in"):
        shutil.copy(os.path.join(NGINX_DIR, name), etc / name)
    conf = read("deploy", "nginx", "nginx.conf").replace("/etc/nginx/", f"{etc}/").replace("/tmp/nginx", str(run))
    conf = conf.replace("pid /tmp/nginx.pid;", f"pid {run}/nginx.pid;")
    (etc / "nginx.conf").write_text(conf)
    env = dict(os.environ, SHOPD_UPSTREAMS="127.0.0.1:18081 127.0.0.1:18082 127.0.0.1:18083", SHOPD_LB_PORT="18080")
    # entrypoint.sh up to its exec: the awk step that writes the upstream block
    script = read("deploy", "nginx", "entrypoint.sh").replace("/etc/nginx/", f"{etc}/").replace("/tmp/nginx", str(run))
    script = script.replace("exec nginx", "exec true")
    subprocess.run(["sh", "-c", script], env=env, check=True, capture_output=True)
    upstream = (run / "upstream.conf").read_text()
    assert upstream.count("max_fails=1 fail_timeout=5s;") == 3, upstream
    assert (run / "listen.conf").read_text().strip() == "listen 18080;"
    r = subprocess.run([nginx, "-t", "-p", str(run), "-c", str(etc / "nginx.conf")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "test is successful" in r.stderr


# ---------------------------------------------------------------- Compose

def compose():
    with open(os.path.join(ROOT, "docker-compose.yml")) as f:
        return yaml.safe_load(f)


def env_of(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    return env


def test_compose_default_is_one_shopd_with_a_named_volume_and_no_redis():
    c = compose()
    services = c["services"]
    default = [n for n, s in services.items() if not s.get("profiles")]
    assert default == ["shopd"]
    s = services["shopd"]
    assert s["build"] == "." and "shop-data:/data" in s["volumes"] and s["ports"] == ["${SHOP_PORT:-8080}:8080"]
    assert "shop-data" in c["volumes"]
    assert not any("redis" in (sv.get("image", "") + n).lower() for n, sv in services.items())
    assert s["stop_grace_period"] == "15s"


def test_compose_scale_profile_is_nginx_in_front_of_three_replicas_on_one_volume():
    services = compose()["services"]
    scale = {n for n, s in services.items() if "scale" in s.get("profiles", [])}
    assert scale == {"shopd-2", "shopd-3", "lb"}
    replicas = ["shopd", "shopd-2", "shopd-3"]
    for n in replicas:
        assert "shop-data:/data" in services[n]["volumes"], n
    lb = services["lb"]
    assert lb["build"] == "deploy/nginx"
    assert env_of(lb)["SHOPD_UPSTREAMS"].split() == [f"{n}:8080" for n in replicas]
    assert set(lb["depends_on"]) == set(replicas)
    assert all(d["condition"] == "service_healthy" for d in lb["depends_on"].values())
    lb_ip = lb["networks"]["shop"]["ipv4_address"]
    for n in replicas:
        assert lb_ip in env_of(services[n])["SHOPD_TRUSTED_PROXIES"].split(","), n


def test_compose_postgres_profile_runs_three_replicas_on_postgres():
    services = compose()["services"]
    pg = {n for n, s in services.items() if "postgres" in s.get("profiles", [])}
    assert pg == {"postgres", "pg-shopd-1", "pg-shopd-2", "pg-shopd-3", "pg-lb"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["postgres"]["healthcheck"]["test"]
    for n in ("pg-shopd-1", "pg-shopd-2", "pg-shopd-3"):
        s = services[n]
        assert env_of(s)["SHOPD_DB"].startswith("postgres://"), n
        assert not s.get("volumes"), n
        assert s["image"] == "shopd:latest"
    lb = services["pg-lb"]
    assert env_of(lb)["SHOPD_UPSTREAMS"].split() == ["pg-shopd-1:8080", "pg-shopd-2:8080", "pg-shopd-3:8080"]
    assert lb["networks"]["shop"]["ipv4_address"] in env_of(services["pg-shopd-1"])["SHOPD_TRUSTED_PROXIES"]


def test_compose_addresses_are_fixed_unique_and_in_the_subnet():
    """nginx resolves upstream names once: a recreated replica must keep its address."""
    import ipaddress
    c = compose()
    subnet = ipaddress.ip_network(c["networks"]["shop"]["ipam"]["config"][0]["subnet"])
    addrs = {}
    for n, s in c["services"].items():
        if n == "postgres":
            continue
        ip = s["networks"]["shop"]["ipv4_address"]
        assert ipaddress.ip_address(ip) in subnet, (n, ip)
        addrs[n] = ip
    assert len(set(addrs.values())) == len(addrs), addrs


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose (v1) is not installed")
@pytest.mark.parametrize("profile", [None, "scale", "postgres"])
def test_docker_compose_config_validates(profile):
    args = ["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml")]
    if profile:
        args += ["--profile", profile]
    r = subprocess.run(args + ["config"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    resolved = yaml.safe_load(r.stdout)
    assert "shopd" in resolved["services"]


# ---------------------------------------------------------------- Kubernetes

def render_resources(directory):
    """What `kustomize build` makes of a kustomization that only lists resources."""
    with open(os.path.join(directory, "kustomization.yaml")) as f:
        k = yaml.safe_load(f)
    assert set(k) <= {"apiVersion", "kind", "resources"}, f"the fallback renderer handles resources only: {set(k)}"
    out = []
    for res in k["resources"]:
        path = os.path.join(directory, res)
        if os.path.isdir(path):
            out += render_resources(path)
        else:
            with open(path) as f:
                out += [d for d in yaml.safe_load_all(f) if d]
    return out


def kubectl_kustomize(directory):
    kubectl = shutil.which("kubectl")
    if kubectl:
        r = subprocess.run([kubectl, "kustomize", directory], capture_output=True, text=True, timeout=60)
        if r.returncode == 0:
            return r.stdout
    return None


@pytest.fixture(params=["sqlite", "postgres"])
def overlay(request):
    directory = os.path.join(K8S, "overlays", request.param)
    objs = render_resources(directory)
    text = kubectl_kustomize(directory)
    if text is not None:  # kustomize proper agrees with the fallback
        rendered = [d for d in yaml.safe_load_all(text) if d]
        key = lambda o: (o["kind"], o["metadata"]["name"])
        assert sorted(map(key, rendered)) == sorted(map(key, objs))
        objs = rendered
    return request.param, objs, directory


def by_kind(objs, kind):
    return [o for o in objs if o["kind"] == kind]


def test_k8s_overlay_has_the_required_objects_and_fields(overlay):
    variant, objs, _ = overlay
    kinds = sorted(o["kind"] for o in objs)
    if variant == "sqlite":
        assert by_kind(objs, "Deployment") == [] and by_kind(objs, "HorizontalPodAutoscaler") == []
        [work] = by_kind(objs, "StatefulSet")
        assert work["spec"]["replicas"] == 1
        [claim] = work["spec"]["volumeClaimTemplates"]
        assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
        assert claim["spec"]["resources"]["requests"]["storage"]
        assert work["spec"]["serviceName"] in {o["metadata"]["name"] for o in by_kind(objs, "Service")}
    else:
        [work] = by_kind(objs, "Deployment")
        assert work["spec"]["replicas"] >= 2
        [hpa] = by_kind(objs, "HorizontalPodAutoscaler")
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "name": work["metadata"]["name"]}
        assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
        [pdb] = by_kind(objs, "PodDisruptionBudget")
        assert pdb["apiVersion"] == "policy/v1"
        assert pdb["spec"]["selector"]["matchLabels"] == work["spec"]["selector"]["matchLabels"]
        assert "maxUnavailable" in pdb["spec"] or "minAvailable" in pdb["spec"]
    assert {"Service", "ConfigMap", "Secret"} <= set(kinds)

    pod = work["spec"]["template"]
    assert work["spec"]["selector"]["matchLabels"] == LABELS and pod["metadata"]["labels"] == LABELS
    [svc] = [s for s in by_kind(objs, "Service") if s["metadata"]["name"] == "shopd"]
    assert svc["spec"]["selector"] == LABELS
    assert svc["spec"]["ports"][0]["targetPort"] == "http"

    spec = pod["spec"]
    sc = spec["securityContext"]
    assert sc["runAsNonRoot"] is True and sc["runAsUser"] != 0
    [c] = spec["containers"]
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert c["ports"] == [{"name": "http", "containerPort": 8080}]
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(c["resources"][kind]), kind

    # Settings from the ConfigMap, secrets from Secrets, all of them existing objects.
    refs = c["envFrom"]
    config_maps = {o["metadata"]["name"]: o for o in by_kind(objs, "ConfigMap")}
    secrets = {o["metadata"]["name"]: o for o in by_kind(objs, "Secret")}
    cm_refs = [r["configMapRef"]["name"] for r in refs if "configMapRef" in r]
    secret_refs = [r["secretRef"]["name"] for r in refs if "secretRef" in r]
    assert cm_refs and set(cm_refs) <= set(config_maps)
    assert secret_refs and set(secret_refs) <= set(secrets)
    settings = {}
    for name in cm_refs:
        settings.update(config_maps[name]["data"])
    secret_env = {}
    for name in secret_refs:
        secret_env.update(secrets[name].get("stringData", {}))
    assert all(k.startswith("SHOPD_") for k in list(settings) + list(secret_env))
    if variant == "postgres":
        assert secret_env["SHOPD_DB"].startswith("postgres://"), "the database URL comes from a Secret"
        assert "SHOPD_DB" not in settings
    else:
        db = {e["name"]: e["value"] for e in c.get("env", [])}.get("SHOPD_DB")
        mount = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}["data"]
        assert db and db.startswith(mount + "/"), (db, mount)

    # The grace period covers the preStop pause plus the whole drain, and not much more.
    drain_s = int(settings["SHOPD_DRAIN_TIMEOUT_MS"]) / 1000
    pre_stop = 0
    if "lifecycle" in c:
        cmd = c["lifecycle"]["preStop"]["exec"]["command"]
        assert cmd[0] == "sleep"
        pre_stop = int(cmd[1])
    grace = spec["terminationGracePeriodSeconds"]
    assert pre_stop + drain_s < grace <= pre_stop + drain_s + 10, (grace, pre_stop, drain_s)


def test_k8s_read_only_root_has_writable_tmp(overlay):
    _, objs, _ = overlay
    [work] = [o for o in objs if o["kind"] in ("StatefulSet", "Deployment")]
    [c] = work["spec"]["template"]["spec"]["containers"]
    if c["securityContext"].get("readOnlyRootFilesystem"):
        assert "/tmp" in {m["mountPath"] for m in c["volumeMounts"]}


VALIDATOR = os.path.join(K8S, "validate")


def schema_validator():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node/npm not installed: Kubernetes schema validation not run (structural checks still ran)")
    cache = os.path.join(tempfile.gettempdir(), "shopd-k8s-validate")
    os.makedirs(cache, exist_ok=True)
    shutil.copy(os.path.join(VALIDATOR, "package.json"), os.path.join(cache, "package.json"))
    if not os.path.isdir(os.path.join(cache, "node_modules", "kubernetes-models")):
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent"], cwd=cache,
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(f"npm install of the schema validator failed: {r.stderr[-2000:]}")
            pytest.skip("npm registry unreachable: Kubernetes schema validation not run")
    shutil.copy(os.path.join(VALIDATOR, "validate.js"), os.path.join(cache, "validate.js"))
    return [node, os.path.join(cache, "validate.js")]


def test_k8s_objects_validate_against_the_kubernetes_schemas(overlay):
    _, objs, _ = overlay
    cmd = schema_validator()
    text = yaml.safe_dump_all(objs)
    r = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("ok ") == len(objs)
    # and the validator does reject a wrong type
    bad = text.replace("periodSeconds: 5", "periodSeconds: five", 1)
    assert bad != text
    r = subprocess.run(cmd, input=bad, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "periodSeconds" in r.stdout, r.stdout
