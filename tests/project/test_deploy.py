"""The deployment recipe, checked without Docker or a cluster: compose services, health checks, the proxy's cookie
stickiness, the Kubernetes manifests (probes on /healthz, cookie affinity, one shared Secret, the Job, backups)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def k8s_documents() -> list[dict]:
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def by_kind(kind: str) -> list[dict]:
    return [d for d in k8s_documents() if d["kind"] == kind]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_replicas_on_one_postgres_behind_the_proxy(compose: dict) -> None:
    services = compose["services"]
    apps = [name for name, svc in services.items() if svc.get("image") == "densaulyq:latest"
            and "streamlit" not in str(svc.get("command", "")) and name.startswith("app")]
    assert len(apps) >= 2
    assert services["db"]["image"].startswith("postgres:")
    for name in apps:
        app = services[name]
        assert app["env_file"] == "densaulyq.env"  # the same secrets (database URL, cookie secret) for all
        assert app["environment"]["DENSAULYQ_MIGRATE"] == "wait"
        assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "/healthz" in " ".join(app["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["python", "-m", "data_sources", "seed"]  # schema, then snapshot
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    proxy = services["proxy"]
    assert proxy["ports"] == ["8080:8080"]
    assert all(proxy["depends_on"][name]["condition"] == "service_healthy" for name in apps)
    mounted = proxy["volumes"][0].split(":")[0]
    assert (DEPLOY / mounted).resolve() == DEPLOY / "nginx" / "densaulyq.conf"
    assert "pg_dump" in " ".join(services["backup"]["command"])
    assert (DEPLOY / "densaulyq.env.example").is_file() and (DEPLOY / "Dockerfile").is_file()


def test_the_proxy_keeps_a_reader_on_one_replica_by_cookie_and_compresses(compose: dict) -> None:
    conf = (DEPLOY / "nginx" / "densaulyq.conf").read_text()
    upstream_hosts = re.findall(r"upstream (\w+) \{ server ([\w.-]+):8501; keepalive \d+; \}", conf)
    apps = {name for name in compose["services"] if name.startswith("app")}
    assert {host for _unused, host in upstream_hosts} == apps  # every replica is an upstream, no stale ones
    known = re.search(r"map \$cookie_densaulyq_route \$replica \{(.*?)\}", conf, re.S).group(1)
    assert all(f"{name} {name};" in known for name, _unused in upstream_hosts)
    assert "default $new_replica" in known
    assert 'Set-Cookie "densaulyq_route=$replica' in conf
    assert "proxy_set_header Upgrade $http_upgrade" in conf and "$http_host" in conf  # websockets, Origin check
    assert re.search(r"^\s*gzip on;", conf, re.M)
    bundle = re.search(r"location ~ \^/\(static\|embed/assets\)/ \{(.*?)\n    \}", conf, re.S).group(1)
    assert "proxy_cache densaulyq_bundle;" in bundle and '"$uri $bundle_encoding"' in bundle  # one copy per encoding


def test_the_deployment_probes_healthz_and_waits_for_the_schema() -> None:
    (deployment,) = by_kind("Deployment")
    assert deployment["spec"]["replicas"] >= 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz"
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["DENSAULYQ_MIGRATE"] == "wait" and env["DENSAULYQ_MODE"] == "public"
    assert container["envFrom"] == [{"secretRef": {"name": "densaulyq"}}]
    (service,) = by_kind("Service")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert "sessionAffinity" not in service["spec"]  # affinity is the Ingress's cookie, not ClientIP


def test_the_ingress_uses_cookie_affinity_to_the_service() -> None:
    (ingress,) = by_kind("Ingress")
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == by_kind("Service")[0]["metadata"]["name"]


def test_one_secret_is_shared_by_replicas_job_and_backups() -> None:
    (secret,) = by_kind("Secret")
    assert {"DATABASE_URL", "STREAMLIT_SERVER_COOKIE_SECRET"} <= set(secret["stringData"])
    (job,) = by_kind("Job")
    (cron,) = by_kind("CronJob")
    job_container = job["spec"]["template"]["spec"]["containers"][0]
    cron_container = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    for container in (job_container, cron_container):
        assert container["envFrom"] == [{"secretRef": {"name": secret["metadata"]["name"]}}]
    assert "python -m data_sources seed" in " ".join(job_container["command"])
    assert "python -m data_sources refresh" in " ".join(job_container["command"])
    assert "pg_dump" in " ".join(cron_container["args"])
    volume = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["volumes"][0]
    claims = [d["metadata"]["name"] for d in by_kind("PersistentVolumeClaim")]
    assert volume["persistentVolumeClaim"]["claimName"] in claims


def test_the_nginx_file_is_valid_for_nginx_itself(tmp_path: Path) -> None:
    """nginx -t on the recipe's file as bench/load.py rewrites it for loopback (skipped without nginx)."""
    import subprocess

    from bench.proxy import nginx_conf, nginx_path

    nginx = nginx_path()
    if nginx is None:
        pytest.skip("nginx not installed")
    conf = nginx_conf(tmp_path, 18080, [18081, 18082])
    result = subprocess.run([str(nginx), "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr


def test_the_proxy_answers_the_bundle_from_its_cache_in_each_encoding(tmp_path: Path) -> None:
    """The recipe's nginx in front of a live app: a bundle file is fetched from the app once per encoding, then
    answered from nginx's cache (same bytes, same headers); pages are never cached (skipped without nginx)."""
    import httpx

    from bench.proxy import nginx_path, running_proxy
    from server.static_gzip import streamlit_static_root
    from tests.live_app import free_port, running_app

    if nginx_path() is None:
        pytest.skip("nginx not installed")
    script = next((streamlit_static_root() / "static" / "js").glob("index.*.js")).name
    listen = free_port()
    with running_app(tmp_path / "app") as url, running_proxy(listen, [int(url.rsplit(":", 1)[1])]):
        base = f"http://127.0.0.1:{listen}"
        seen = {}
        for encoding, expect in (("gzip, deflate, br", "gzip"), ("identity", None), ("gzip;q=0, br", None)):
            first, again = (httpx.get(f"{base}/static/js/{script}", headers={"Accept-Encoding": encoding})
                            for _twice in range(2))
            assert first.status_code == again.status_code == 200
            assert first.headers.get("content-encoding") == again.headers.get("content-encoding") == expect
            assert again.headers["x-cache-status"] == "HIT" and again.content == first.content
            assert again.headers["cache-control"] == first.headers["cache-control"]
            assert again.headers["x-content-type-options"] == "nosniff"  # the app's headers are kept
            seen[expect] = int(first.headers["content-length"])  # on the wire (httpx decodes gzip)
        assert seen[None] > seen["gzip"] > 0  # two encodings, two copies
        page = httpx.get(f"{base}/map", headers={"Accept-Encoding": "gzip"})
        assert page.status_code == 200 and "x-cache-status" not in page.headers
