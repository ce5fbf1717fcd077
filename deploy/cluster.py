"""Start N Karnama app processes and nginx in front of them on one machine (``make cluster APPS=3``).

    python deploy/cluster.py --apps 3 [--https-port 8443] [--http-port 8080] [--first-app-port 8601]
                             [--bind 0.0.0.0] [--data-dir DIR] [--run-dir DIR] [--cert FILE --key FILE]

* Every app process is ``streamlit run serve.py`` on 127.0.0.1 (only nginx reaches it), sharing the data directory,
  the state store (SQLite in the data dir by default, which processes on one machine share safely; or PostgreSQL
  via ``KARNAMA_DATABASE_URL``) and one ``server.cookieSecret`` (``KARNAMA_COOKIE_SECRET``, else a random one
  kept in ``<run dir>/cookie_secret``, mode 0600), passed in the environment, not on the command line.
* nginx gets ``deploy/nginx.conf.template`` filled in: TLS on ``--https-port`` (``--cert``/``--key``; without
  them a self-signed certificate is made for trying it out, with a warning), plain HTTP redirected, a sticky
  upstream, security headers, no ``/_stcore/metrics``, the upload cap.
* Runs in the foreground; Ctrl-C (SIGINT/SIGTERM) stops nginx and every app process.

Nothing here imports Streamlit or Karnama: the tests use :class:`Cluster` to start exactly what this script starts.
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
UPLOAD_MB = 20  # = server.maxUploadSize in .streamlit/config.toml


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def cookie_secret(run_dir: Path) -> str:
    """The one cookie secret every app process shares (Streamlit signs its cookies with it)."""
    if os.environ.get("KARNAMA_COOKIE_SECRET"):
        return os.environ["KARNAMA_COOKIE_SECRET"]
    path = run_dir / "cookie_secret"
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def self_signed(run_dir: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1/localhost (never for production: pass --cert/--key)."""
    cert, key = run_dir / "selfsigned.crt", run_dir / "selfsigned.key"
    if not cert.exists() or not key.exists():
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        os.chmod(key, 0o600)
    return cert, key


def render_nginx(
    run_dir: Path,
    app_ports: list[int],
    https_port: int,
    http_port: int,
    cert: Path,
    key: Path,
    bind: str = "127.0.0.1",
    upload_mb: int = UPLOAD_MB,
) -> Path:
    """Write ``<run dir>/nginx.conf`` from the template; return its path."""
    user_line = ""
    if os.geteuid() == 0:  # nginx's workers drop to an unprivileged user; they need the temp dirs
        user = next((u for u in ("www-data", "nobody") if _user_exists(u)), "nobody")
        user_line = f"user {user};"
        pw = pwd.getpwnam(user)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        d = run_dir / "tmp" / sub
        d.mkdir(parents=True, exist_ok=True)
        if user_line:
            os.chown(d, pw.pw_uid, pw.pw_gid)
    conf = TEMPLATE.read_text(encoding="utf-8").format(
        user_line=user_line,
        run_dir=run_dir,
        upstream_servers="\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in app_ports),
        bind=bind,
        http_port=http_port,
        https_port=https_port,
        tls_cert=cert,
        tls_key=key,
        upload_mb=upload_mb,
    )
    path = run_dir / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    return path


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def free_ports(n: int) -> list[int]:
    """``n`` different free ports. Their sockets are all held until every one is chosen: ports asked for one at a
    time can come back twice (then a second app process could not bind its port, and the first one answered the
    health checks of both)."""
    held: list[socket.socket] = []
    try:
        for _ in range(n):
            s = socket.socket()
            held.append(s)
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def wait_http(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers 200 (certificates not checked: it is our own loopback)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=ctx) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up")
        time.sleep(0.3)


class Cluster:
    """N app processes and nginx; a context manager (stops everything on exit)."""

    def __init__(
        self,
        apps: int,
        run_dir: Path,
        data_dir: Path | None = None,
        https_port: int | None = None,
        http_port: int | None = None,
        first_app_port: int | None = None,
        cert: Path | None = None,
        key: Path | None = None,
        bind: str = "127.0.0.1",
        env: dict | None = None,
    ) -> None:
        self.run_dir = Path(run_dir).resolve()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.run_dir, 0o755)
        self.data_dir = Path(data_dir).resolve() if data_dir else None
        ports = iter(free_ports(2 + apps))  # all different (a port drawn twice would serve as two upstreams)
        self.https_port = https_port or next(ports)
        self.http_port = http_port or next(ports)
        self.app_ports = (
            [first_app_port + i for i in range(apps)] if first_app_port else [next(ports) for _ in range(apps)]
        )
        self.cert, self.key = (Path(cert), Path(key)) if cert and key else self_signed(self.run_dir)
        self.bind = bind
        self.env = dict(env or {})
        self.apps: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.bind in ("0.0.0.0", "127.0.0.1") else self.bind
        return f"https://{host}:{self.https_port}"

    def app_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[i]}"

    def app_env(self) -> dict:
        env = {**os.environ, **self.env}
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret(self.run_dir)
        env.setdefault("KARNAMA_CLIENT_IP_HEADER", "X-Real-IP")  # nginx overwrites it with the real address
        if self.data_dir:
            env["KARNAMA_DATA_DIR"] = str(self.data_dir)
        return env

    def start_app(self, i: int) -> subprocess.Popen:
        log = open(self.run_dir / f"app-{i}.log", "ab")  # the child keeps writing to it
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
                "--server.port", str(self.app_ports[i]), "--server.address", "127.0.0.1",
                "--server.headless", "true",
            ],
            cwd=ROOT,
            env=self.app_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        return proc

    def start(self) -> Cluster:
        nginx = find_nginx()
        if not nginx:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        self.apps = [self.start_app(i) for i in range(len(self.app_ports))]
        for i, proc in enumerate(self.apps):
            wait_http(self.app_url(i) + "/_stcore/health", 90, proc)
        conf = render_nginx(
            self.run_dir, self.app_ports, self.https_port, self.http_port, self.cert, self.key, self.bind
        )
        self.nginx = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(self.run_dir), "-g", "daemon off;"],
            stdout=open(self.run_dir / "nginx.out", "ab"),
            stderr=subprocess.STDOUT,
        )
        wait_http(self.url + "/_stcore/health", 30, self.nginx)
        return self

    def stop(self) -> None:
        for proc in [self.nginx, *self.apps]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx, *self.apps]:
            if proc is not None:
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--apps", type=int, default=2, help="how many app processes (default 2)")
    p.add_argument("--https-port", type=int, default=8443)
    p.add_argument("--http-port", type=int, default=8080, help="plain HTTP, redirected to HTTPS")
    p.add_argument("--first-app-port", type=int, default=8601, help="app processes on this port and the next ones")
    p.add_argument("--bind", default="0.0.0.0", help="the address nginx listens on (default every interface)")
    p.add_argument("--data-dir", default=os.environ.get("KARNAMA_DATA_DIR"), help="default $KARNAMA_DATA_DIR, data/")
    p.add_argument("--run-dir", default=str(ROOT / "deploy" / "run"), help="nginx.conf, logs, pid, cookie secret")
    p.add_argument("--cert", help="TLS certificate (full chain), PEM")
    p.add_argument("--key", help="its private key, PEM")
    args = p.parse_args()
    if bool(args.cert) != bool(args.key):
        p.error("--cert and --key go together")
    if not args.cert:
        print("warning: no --cert/--key: using a self-signed certificate (browsers will warn)", file=sys.stderr)
    cluster = Cluster(
        args.apps,
        Path(args.run_dir),
        Path(args.data_dir) if args.data_dir else None,
        args.https_port,
        args.http_port,
        args.first_app_port,
        Path(args.cert) if args.cert else None,
        Path(args.key) if args.key else None,
        args.bind,
    )
    stop = {"now": False}

    def on_signal(*_a) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with cluster:
        print(f"karnama: {args.apps} app processes on ports {cluster.app_ports}, nginx on {cluster.url}")
        print(f"state store: {os.environ.get('KARNAMA_DATABASE_URL') or 'SQLite in the data directory'}")
        while not stop["now"]:
            for i, proc in enumerate(cluster.apps):
                if proc.poll() is not None:  # a crashed app process is started again; nginx routes around it
                    print(f"app {i} exited ({proc.returncode}); starting it again", file=sys.stderr)
                    cluster.apps[i] = cluster.start_app(i)
            time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
