"""Several app processes behind nginx (deploy/), and the web-facing findings of issue 13: uploads before login,
the upload cap, error details, framing, metrics, Streamlit's "clear cache" message, and a real cluster on
PostgreSQL (two app processes and nginx on loopback ports)."""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request

import pytest

from karnama.access import audit, auth
from karnama.core import texts
from karnama.core.paths import ROOT
from karnama.core.settings import load
from tests import ws_client
from tests.auth_helpers import PASSWORDS, secured_copy
from tests.browser import running_app, wait_for_app

sys.path.insert(0, str(ROOT / "deploy"))
import cluster

MB = 1024 * 1024


def _ctx() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    return ctx


def http(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=_ctx()))  # follows to HTTPS too
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def _main_script(base: str) -> str:
    """The address of Streamlit's main script, from the page shell."""
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=_ctx()))
    with opener.open(base + "/", timeout=30) as r:
        page = r.read().decode("utf-8")
    found = re.search(r'src="\.?(/static/js/index\.[^"]+\.js)"', page)
    assert found, "no main script in the page shell"
    return found.group(1)


def test_streamlit_config_caps_uploads_and_hides_error_details():
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert conf["server"]["maxUploadSize"] == 20 == load(ROOT / "data").upload_max_mb == cluster.UPLOAD_MB
    assert conf["client"]["showErrorDetails"] == "none"
    # A full collection after every run costs CPU in proportion to the sessions a process holds (docs/benchmark.md).
    assert conf["runner"]["postScriptGC"] is False


def test_a_cluster_draws_every_port_once(tmp_path, monkeypatch):
    """nginx's two ports and every app's are all different, even when the system would hand the same free port out
    again once it is let go (it did: two upstreams on one app, so killing it left no live upstream)."""
    import socket as socket_module

    handed: list[int] = []
    real = socket_module.socket

    class Reusing(real):  # type: ignore[misc, valid-type]
        """A socket whose "any free port" is the last one let go, while it is free."""

        def bind(self, address):
            host, port = address
            if port == 0 and handed:
                try:
                    return super().bind((host, handed[-1]))
                except OSError:
                    pass
            super().bind(address)
            handed.append(self.getsockname()[1])

    monkeypatch.setattr(cluster.socket, "socket", Reusing)
    monkeypatch.setattr(cluster, "self_signed", lambda run_dir: (run_dir / "c.pem", run_dir / "k.pem"))
    c = cluster.Cluster(3, tmp_path / "run")
    ports = [c.https_port, c.http_port, *c.app_ports]
    assert len(set(ports)) == len(ports) == 5, ports


def test_nginx_config_renders_and_nginx_accepts_it(tmp_path):
    nginx = cluster.find_nginx()
    if not nginx:
        pytest.skip("nginx is not installed (scripts/install-system-deps.sh installs it)")
    cert, key = cluster.self_signed(tmp_path)
    conf = cluster.render_nginx(tmp_path, [8601, 8602], 8443, 8080, cert, key).read_text()
    assert "hash $karnama_route consistent;" in conf and "ip_hash;" not in conf
    assert "add_header Set-Cookie $karnama_route_cookie" in conf and "client_max_body_size 20m;" in conf
    assert "X-Frame-Options" in conf and "frame-ancestors 'none'" in conf and "/_stcore/metrics" in conf
    out = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()


def test_nginx_spreads_sessions_from_one_address_and_keeps_each_on_its_process(tmp_path):
    """Two stand-in upstreams that answer with their own port: requests without the routing cookie (every
    client here comes from 127.0.0.1) reach both, each gets the cookie, and with it every request stays put."""
    import http.server
    import socketserver

    nginx = cluster.find_nginx()
    if not nginx:
        pytest.skip("nginx is not installed (scripts/install-system-deps.sh installs it)")

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = str(self.server.server_address[1]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    upstreams = [socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo) for _ in range(2)]
    for server in upstreams:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = [server.server_address[1] for server in upstreams]
    cert, key = cluster.self_signed(tmp_path)
    https_port, http_port = cluster.free_ports(2)  # two different ports (one at a time may repeat)
    conf = cluster.render_nginx(tmp_path, ports, https_port, http_port, cert, key)
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"])
    url = f"https://127.0.0.1:{https_port}/"
    try:
        cluster.wait_http(url, 30, proc)

        def get(cookie: str | None = None) -> tuple[int, str | None]:
            req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
            with urllib.request.urlopen(req, timeout=10, context=_ctx()) as r:
                return int(r.read()), r.headers.get("Set-Cookie")

        first = [get() for _ in range(30)]
        assert {port for port, _ in first} == set(ports)  # spread, though every request came from one address
        assert all(c and c.startswith("karnama_route=") and "HttpOnly" in c and "Secure" in c for _, c in first)
        for port, set_cookie in first[:6]:
            cookie = set_cookie.split(";", 1)[0]
            again = [get(cookie) for _ in range(5)]
            assert again == [(port, None)] * 5  # the same process each time, and no new cookie
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        for server in upstreams:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def secured_app(demo_dir, tmp_path_factory):
    data = secured_copy(demo_dir, tmp_path_factory.mktemp("deploy") / "data", settings="open_viewing = false\n")
    with running_app(data) as url:
        yield url


def test_uploads_before_login_are_refused_and_capped(secured_app):
    """A session that is not signed in (the login page) PUTs straight to Streamlit's upload endpoint."""
    assert ws_client.upload_before_login(secured_app, 1000) == 403
    assert ws_client.upload_before_login(secured_app, 25 * MB) == 413  # over the 20 MB cap, before any reading


# ---- a real cluster: PostgreSQL, two app processes, nginx ---------------------------------------------------
def sign_in(page, name: str, password: str) -> None:
    page.wait_for_selector("input[type=password]", timeout=60000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30000)
    page.wait_for_timeout(700)
    page.get_by_label(texts.LOGIN_NAME).fill(name)
    page.get_by_label(texts.LOGIN_PASSWORD, exact=True).fill(password)
    page.get_by_role("button", name=texts.LOGIN_SUBMIT).click()


def rerun(page) -> None:
    """Make the app run the page again in this browser session (Streamlit's "R" shortcut), as any click does."""
    page.locator("body").press("r")
    page.wait_for_timeout(1500)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30000)


def login_error(page) -> str:
    page.wait_for_selector("[data-testid=stAlertContentError]", timeout=30000)
    return page.locator("[data-testid=stAlertContentError]").last.inner_text()


@pytest.mark.slow
@pytest.mark.browser
def test_cluster_of_two_app_processes_behind_nginx_on_postgresql(
    pg_server, demo_dir, tmp_path, chromium, monkeypatch, artifacts
):
    if not cluster.find_nginx():
        pytest.skip("nginx is not installed (scripts/install-system-deps.sh installs it)")
    url_db = pg_server.new_database_url("cluster")
    monkeypatch.setenv("KARNAMA_DATABASE_URL", url_db)
    data = secured_copy(demo_dir, tmp_path / "data", settings="open_viewing = false\n")
    settings = load(data)
    t0 = time.perf_counter()
    marks = []

    def mark(what: str) -> None:
        marks.append(f"{what} {time.perf_counter() - t0:.1f}s")

    with cluster.Cluster(2, tmp_path / "run", data, env={"KARNAMA_DATABASE_URL": url_db}) as c:
        mark("up")
        # -- nginx: headers, metrics, the upload cap, uploads before login
        status, headers = http(c.url + "/")
        assert status == 200 and headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert http(c.url + "/_stcore/metrics")[0] == 403
        assert http(c.app_url(0) + "/_stcore/metrics")[0] == 200  # the app itself still has it, on loopback only
        assert http(c.url + "/_stcore/upload_file/s/f", "PUT", b"x" * (21 * MB))[0] == 413
        assert ws_client.upload_before_login(c.url, 1000) == 403
        assert http(f"http://127.0.0.1:{c.http_port}/")[0] == 200  # redirected to HTTPS and served
        # Streamlit's JavaScript is compressed by nginx (the app sends it as it is)
        script = _main_script(c.url)
        gzip = {"Accept-Encoding": "gzip"}
        assert http(c.url + script, headers=gzip)[1].get("Content-Encoding") == "gzip"
        assert http(c.app_url(0) + script, headers=gzip)[1].get("Content-Encoding") != "gzip"

        ctx = chromium.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1200})
        try:
            mark("nginx checks")
            # -- sign in through nginx; the "clear cache" message sent to both processes changes nothing
            page = ctx.new_page()
            page.goto(c.url + "/")
            sign_in(page, "prov", PASSWORDS["prov"])
            wait_for_app(page)
            for i in range(2):
                ws_client.clear_cache(c.app_url(i))
            # the app took the client address from nginx's X-Real-IP (a direct loopback connection says "local")
            ok = [e for e in audit.read(settings, events=["login_success"]) if e["account"] == "prov"]
            assert ok and ok[0]["details"]["client"] == "127.0.0.1"
            rerun(page)
            assert page.locator("[data-testid=stMetricValue]").count() > 0
            assert page.locator("input[type=password]").count() == 0

            mark("five faile")
            # -- five failed logins, three on one process and two on the other, lock the account everywhere
            for i, n in ((0, 3), (1, 2)):
                other = ctx.new_page()
                other.goto(c.app_url(i) + "/")
                for _ in range(n):
                    sign_in(other, "ney", "Wrong-password-9")
                    assert texts.LOGIN_FAILED in login_error(other)
                    other.wait_for_timeout(300)
                other.close()
            locked = ctx.new_page()
            locked.goto(c.url + "/")
            sign_in(locked, "ney", PASSWORDS["ney"])
            assert "دقیقهٔ دیگر" in login_error(locked)
            locked.close()

            mark("a new pass")
            # -- a new password made by another process ends the session on the process serving it
            subprocess.run(
                [sys.executable, "-m", "karnama", "users", "set-password", "prov", "--data-dir", str(data)],
                input="Another-secret-77\nAnother-secret-77\n",
                text=True,
                check=True,
                cwd=ROOT,
                env={**os.environ, "KARNAMA_DATABASE_URL": url_db},
                timeout=60,
            )
            rerun(page)
            page.wait_for_selector("input[type=password]", timeout=30000)
            assert texts.SESSION_ENDED in page.inner_text("body")

            mark("200 audit")
            # -- 200 audit events from two processes at once while one app process is killed
            before = audit.count(settings)
            code = (
                "import sys; from karnama.access import audit; from karnama.core.settings import load;"
                "s = load(sys.argv[1]);"
                "[audit.record('export', sys.argv[2], settings=s, n=i) for i in range(100)]"
            )
            writers = [
                subprocess.Popen(
                    [sys.executable, "-c", code, str(data), who],
                    cwd=ROOT,
                    env={**os.environ, "KARNAMA_DATABASE_URL": url_db},
                    stderr=subprocess.PIPE,
                )
                for who in ("writer-a", "writer-b")
            ]
            started = time.perf_counter()
            killer = threading.Timer(0.5, lambda: c.apps[0].send_signal(signal.SIGKILL))
            killer.start()
            for w in writers:
                assert w.wait(timeout=120) == 0, w.stderr.read()
            elapsed = time.perf_counter() - started
            killer.join()
            assert c.apps[0].wait(timeout=10) == -signal.SIGKILL
            assert audit.count(settings) == before + 200
            assert audit.verify(settings) == []
            print(f"cluster: 200 audit events from two processes in {elapsed:.2f} s ({200 / elapsed:.0f}/s)")

            mark("the other ")
            # -- the other process keeps serving through nginx: an admin signs in and sees the intact chain
            for _ in range(5):
                assert http(c.url + "/_stcore/health")[0] == 200
            admin = ctx.new_page()
            admin.goto(c.url + "/")
            sign_in(admin, "admin", PASSWORDS["admin"])
            wait_for_app(admin)
            admin.goto(c.url + "/data")  # a new browser session: signs in again
            sign_in(admin, "admin", PASSWORDS["admin"])
            admin.get_by_role("tab", name=texts.AUDIT_TAB).click()
            admin.wait_for_selector("text=" + texts.AUDIT_TITLE, timeout=60000)
            admin.get_by_text("زنجیرهٔ گزارش رویدادها سالم است").wait_for(timeout=60000)
            admin.wait_for_timeout(1500)
            admin.screenshot(path=str(artifacts / "cluster-admin-audit.png"), full_page=True)
            # an admin's upload still goes through (the upload guard lets a signed-in admin's session pass)
            from tests.import_helpers import csv_bytes, headers

            upload = tmp_path / "loans.csv"
            upload.write_bytes(csv_bytes([headers("loans"), ["P9", "MSH", "1402/05/01", 10, 1, "ایجاد"]]))
            admin.get_by_role("tab", name=texts.DATA_TAB_IMPORT).click()
            admin.locator("input[type=file]").first.set_input_files(str(upload))
            admin.get_by_role("button", name=texts.DATA_PUBLISH).wait_for(timeout=60000)
            assert auth.AccountStore(settings).get("prov") is not None
            mark("done")
            print(marks)
        finally:
            ctx.close()
