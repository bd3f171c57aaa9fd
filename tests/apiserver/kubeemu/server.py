"""The server process: flags, TLS material, kubeconfig, tokens, the /_test control
plane, snapshots, and clean shutdown on SIGTERM/SIGINT.

  python3 -m kubeemu --listen 127.0.0.1:PORT --kubeconfig FILE [--strict-rbac]
                     [--state FILE] [--insecure-http] [--rbac FILE]...
"""
import argparse
import base64
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from .api import Api
from .faults import Faults
from .httpserver import Server
from .meta import random_token
from .rbac import Authorizer, make_user
from .registry import Registry
from .rollout import Rollout
from .store import Store

SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"]
ADMIN_USER = "kubeemu-admin"


def generate_tls(directory):
    """A CA and a server certificate for 127.0.0.1, ::1 and localhost (openssl CLI)."""
    def run(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
        "-subj", "/CN=kubeemu-ca", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kubeemu")
    with open(os.path.join(directory, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n"
                "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.crt", "-days", "30", "-extfile", "ext.cnf")
    return (os.path.join(directory, "ca.crt"), os.path.join(directory, "server.crt"),
            os.path.join(directory, "server.key"))


def kubeconfig_text(server_url, token, ca_pem=None, namespace="default", user=ADMIN_USER):
    lines = ["apiVersion: v1", "kind: Config", "current-context: kubeemu", "preferences: {}",
             "clusters:", "- name: kubeemu", "  cluster:", f"    server: {server_url}"]
    if ca_pem:
        lines.append("    certificate-authority-data: " +
                     base64.b64encode(ca_pem).decode())
    lines += ["contexts:", "- name: kubeemu", "  context:", "    cluster: kubeemu",
              f"    user: {user}", f"    namespace: {namespace}",
              "users:", f"- name: {user}", "  user:", f"    token: {token}", ""]
    return "\n".join(lines)


def write_atomic(path, text, mode=0o600):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".kubeemu-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


class App:
    def __init__(self, args):
        self.args = args
        self.store = Store(max_history=args.history)
        self.registry = Registry()
        self.faults = Faults()
        self.tokens = {}
        self.token_users = {}  # token -> [name, groups] (persisted)
        self.authorizer = Authorizer(self.store, strict=args.strict_rbac)
        self.rollout = Rollout(self.store, args.pod_startup_delay)
        self.api = Api(self.store, self.registry, self.authorizer, self.faults, self.tokens,
                       rollout=self.rollout)
        self.stopping = threading.Event()
        self.bookmark_interval = args.bookmark_interval
        self.down_until = 0.0
        self.log_lock = threading.Lock()
        self.conn_lock = threading.Lock()
        self.connections = set()
        self.watch_handlers = set()
        self.tmpdir = tempfile.mkdtemp(prefix="kubeemu-")
        self.httpd = None

    # ---- state ------------------------------------------------------------------------
    def bootstrap(self):
        extra = {}
        if self.args.state and os.path.exists(self.args.state):
            extra = self.store.load(self.args.state)
            for crd in self.store.list("apiextensions.k8s.io/customresourcedefinitions")[0]:
                self.registry.set_crd(crd)
        for tok, (name, groups) in (extra.get("tokens") or {}).items():
            self.add_token(name, groups, tok)
        self.ensure_system_objects()
        admin = self.args.token or extra.get("adminToken") or random_token()
        self.admin_token = admin
        self.add_token(ADMIN_USER, ["system:masters"], admin)
        for path in self.args.rbac or []:
            self.load_objects(path)
        for line in self.args.token_entry or []:
            tok, user, *groups = line.split(",")
            self.add_token(user, [g for g in groups if g], tok)

    def ensure_system_objects(self):
        for ns in SYSTEM_NAMESPACES:
            if self.store.get("namespaces", "", ns) is None:
                self._admin_call("POST", "/api/v1/namespaces",
                                 {"apiVersion": "v1", "kind": "Namespace",
                                  "metadata": {"name": ns}})

    def _admin_call(self, method, path, body, content_type="application/json"):
        from .api import Request
        from .rbac import User
        req = Request(method, path, {"Content-Type": content_type},
                      json.dumps(body).encode())
        req.user = User("system:kubeemu", ["system:masters", "system:authenticated"])
        return self.api.route(req)

    def load_objects(self, path):
        """Loads RBAC (or any) objects from a JSON or YAML file (e.g. `helm template`)."""
        from . import yamlsub
        with open(path) as f:
            text = f.read()
        docs = yamlsub.load_all(text)
        for d in docs:
            for obj in (d.get("items") or []) if d.get("kind", "").endswith("List") else [d]:
                self.create_or_replace(obj)

    def create_or_replace(self, obj):
        from .errors import ApiError
        av = obj.get("apiVersion", "")
        group, version = (av.split("/", 1) if "/" in av else ("", av))
        rt = next((r for r in self.registry.all() if r.group == group and r.version == version
                   and r.kind == obj.get("kind")), None)
        if rt is None:
            raise ValueError(f"unknown kind {av}/{obj.get('kind')}")
        ns = (obj.get("metadata") or {}).get("namespace") or ("default" if rt.namespaced
                                                             else "")
        base = rt.path_prefix() + (f"/namespaces/{ns}" if rt.namespaced else "") + \
            f"/{rt.plural}"
        if rt.namespaced and self.store.get("namespaces", "", ns) is None:
            self._admin_call("POST", "/api/v1/namespaces", {
                "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        try:
            self._admin_call("POST", base, obj)
        except ApiError as err:
            if err.code != 409:
                raise
            name = obj["metadata"]["name"]
            self._admin_call("PATCH", f"{base}/{name}", obj, "application/merge-patch+json")

    def add_token(self, name, groups=None, token=None):
        token = token or random_token()
        user = make_user(name, groups)
        self.tokens[token] = user
        self.token_users[token] = [name, list(groups or [])]
        return token

    def snapshot(self, path=None):
        path = path or self.args.state
        if not path:
            raise ValueError("no state file: start with --state FILE or pass a path")
        self.store.snapshot(path, {"tokens": {t: v for t, v in self.token_users.items()},
                                   "adminToken": self.admin_token})
        return path

    # ---- control plane (/_test) -----------------------------------------------------
    def control(self, method, path, spec, conn=None):
        if path == "/_test/health":
            return {"ok": True, "resourceVersion": str(self.store.rv)}
        if method != "POST":
            raise ValueError(f"{path}: use POST")
        if path == "/_test/faults":
            self.faults.configure(spec)
            return self.faults.describe()
        if path == "/_test/faults/reset":
            self.faults.reset()
            return self.faults.describe()
        if path == "/_test/watches/drop":
            return {"dropped": self.store.drop_watches(spec.get("mode", "eof"))}
        if path == "/_test/compact":
            return {"resourceVersion": str(self.store.compact())}
        if path == "/_test/restart":
            return self.restart(bool(spec.get("keepState", True)),
                                float(spec.get("downSeconds", 0)), conn)
        if path == "/_test/tokens":
            return {"token": self.add_token(spec["user"], spec.get("groups"),
                                            spec.get("token"))}
        if path == "/_test/tokens/revoke":
            # Token rotation tests: the token stops working (401) at once.
            self.tokens.pop(spec["token"], None)
            self.token_users.pop(spec["token"], None)
            return {"revoked": True}
        if path == "/_test/snapshot":
            return {"path": self.snapshot(spec.get("path"))}
        if path == "/_test/config":
            if "podStartupDelaySeconds" in spec:
                self.rollout.delay_seconds = float(spec["podStartupDelaySeconds"])
            if "bookmarkIntervalSeconds" in spec:
                self.bookmark_interval = float(spec["bookmarkIntervalSeconds"])
            if "strictRBAC" in spec:
                self.authorizer.strict = bool(spec["strictRBAC"])
            if "watchExpiredAs" in spec:
                if spec["watchExpiredAs"] not in ("event", "http"):
                    raise ValueError('watchExpiredAs must be "event" or "http"')
                self.api.expired_watch_mode = spec["watchExpiredAs"]
            return {"podStartupDelaySeconds": self.rollout.delay_seconds,
                    "bookmarkIntervalSeconds": self.bookmark_interval,
                    "strictRBAC": self.authorizer.strict,
                    "watchExpiredAs": self.api.expired_watch_mode}
        if path == "/_test/objects":
            self.create_or_replace(spec)
            return {"ok": True}
        raise KeyError(f"unknown control path {path}")

    def restart(self, keep_state, down_seconds, keep_conn=None):
        """Emulates an API server restart: every watch and connection is cut, history
        is lost (old resourceVersions get 410), and with keepState=false every object
        is lost too. downSeconds keeps refusing requests for a while."""
        self.down_until = time.monotonic() + down_seconds
        dropped = self.store.drop_watches("reset")
        with self.conn_lock:
            conns = list(self.connections)
        for c in conns:
            if c is keep_conn:
                continue
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if keep_state:
            self.store.compact()
        else:
            self.store.wipe()
            self.registry.crd_types.clear()
            self.ensure_system_objects()
        self.rollout.resync()
        return {"droppedWatches": dropped, "resourceVersion": str(self.store.rv),
                "keptState": keep_state}

    def is_down(self):
        return time.monotonic() < self.down_until

    def track_connection(self, conn, add):
        with self.conn_lock:
            (self.connections.add if add else self.connections.discard)(conn)

    def log(self, line):
        if self.args.quiet:
            return
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.log_lock:
            print(f"{ts} {line}", file=sys.stderr, flush=True)

    # ---- lifecycle ----------------------------------------------------------------------
    def serve(self):
        host, port = parse_listen(self.args.listen)
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise SystemExit("kubeemu: --listen must be a loopback address")
        ctx = None
        scheme = "http"
        ca_pem = None
        if not self.args.insecure_http:
            try:
                ca, crt, key = generate_tls(self.tmpdir)
            except FileNotFoundError:
                raise SystemExit("kubeemu: the `openssl` command is needed to make the TLS "
                                 "certificate (apt-get install openssl), or use --insecure-http")
            except subprocess.CalledProcessError as ex:
                raise SystemExit(f"kubeemu: openssl failed: {ex.stderr.decode(errors='replace')}")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(crt, key)
            ctx.set_alpn_protocols(["http/1.1"])
            scheme = "https"
            with open(ca, "rb") as f:
                ca_pem = f.read()
            if self.args.ca_out:
                shutil.copyfile(ca, self.args.ca_out)
        self.httpd = Server((host, port), self, ctx)
        real_port = self.httpd.server_address[1]
        hostpart = f"[{host}]" if ":" in host else host
        url = f"{scheme}://{hostpart}:{real_port}"
        self.api.server_address = f"{hostpart}:{real_port}"
        self.bootstrap()
        self.rollout.start()
        if self.args.kubeconfig:
            write_atomic(self.args.kubeconfig, kubeconfig_text(url, self.admin_token, ca_pem))
        print(f"kubeemu: serving {url} (kubeconfig {self.args.kubeconfig}, "
              f"strict-rbac={'on' if self.args.strict_rbac else 'off'})", flush=True)
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self.shutdown_cleanup()

    def stop(self):
        if self.stopping.is_set():
            return
        self.stopping.set()
        self.store.drop_watches("eof")
        threading.Thread(target=self.httpd.shutdown, daemon=True).start()

    def shutdown_cleanup(self):
        self.rollout.stop()
        self.httpd.server_close()
        if self.args.state:
            try:
                self.snapshot()
            except OSError as ex:
                print(f"kubeemu: snapshot failed: {ex}", file=sys.stderr)
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        print("kubeemu: stopped", flush=True)


def parse_listen(s):
    if s.startswith("["):
        host, _, port = s[1:].partition("]:")
    else:
        host, _, port = s.rpartition(":")
    return host, int(port)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="test-apiserver",
                                description="Strict in-memory Kubernetes API server for tests.")
    p.add_argument("--listen", required=True, help="HOST:PORT on loopback (port 0: any free)")
    p.add_argument("--kubeconfig", required=True, help="kubeconfig file to write for clients")
    p.add_argument("--strict-rbac", action="store_true",
                   help="authorize non-admin users from RBAC objects (else allow all)")
    p.add_argument("--state", help="snapshot file: loaded at start if present, written on stop")
    p.add_argument("--insecure-http", action="store_true", help="serve plain HTTP (no TLS)")
    p.add_argument("--rbac", action="append",
                   help="JSON/YAML file of objects (e.g. a rendered Helm chart's RBAC) to load")
    p.add_argument("--token", help="admin bearer token (default: random)")
    p.add_argument("--token-entry", action="append",
                   help="extra token as TOKEN,USER[,GROUP...] (repeatable)")
    p.add_argument("--pod-startup-delay", type=float, default=2.0,
                   help="seconds before a new (virtual) pod counts as ready (default 2)")
    p.add_argument("--history", type=int, default=10000,
                   help="watch history length in events before compaction (default 10000)")
    p.add_argument("--bookmark-interval", type=float, default=60.0,
                   help="seconds between watch bookmarks (default 60)")
    p.add_argument("--ca-out", help="also write the CA certificate to this file")
    p.add_argument("--quiet", action="store_true", help="do not log requests")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = App(args)
    signal.signal(signal.SIGTERM, lambda *_: app.stop())
    signal.signal(signal.SIGINT, lambda *_: app.stop())
    app.serve()
    return 0
