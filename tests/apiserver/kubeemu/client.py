"""Client helpers for tests: start/stop the server, make API calls, drive faults.

Library use (unittest, scripts):
    with ServerProcess(strict_rbac=True) as srv:
        c = srv.client()
        code, body, headers = c.request("GET", "/api/v1/namespaces")
        c.faults(fail=[{"code": 503, "count": 2, "retryAfterSeconds": 1}])

Command line (for shell- or C++-driven end-to-end tests):
    python3 -m kubeemu.client --kubeconfig FILE faults '{"fail":[{"code":429,"count":1}]}'
    python3 -m kubeemu.client --kubeconfig FILE drop-watches | compact | health
    python3 -m kubeemu.client --kubeconfig FILE restart '{"keepState":false}'
    python3 -m kubeemu.client --kubeconfig FILE token system:serviceaccount:ns:sa
"""
import base64
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

from . import yamlsub

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LAUNCHER = os.path.join(REPO_ROOT, "scripts", "test-apiserver")
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 10


def read_kubeconfig(path):
    with open(path) as f:
        cfg = yamlsub.load(f.read())
    ctx_name = cfg["current-context"]
    ctx = next(c["context"] for c in cfg["contexts"] if c["name"] == ctx_name)
    cluster = next(c["cluster"] for c in cfg["clusters"] if c["name"] == ctx["cluster"])
    user = next(u["user"] for u in cfg["users"] if u["name"] == ctx["user"])
    ca = cluster.get("certificate-authority-data")
    return {"server": cluster["server"], "token": user.get("token"),
            "ca_pem": base64.b64decode(ca) if ca else None,
            "namespace": ctx.get("namespace", "default")}


class Client:
    def __init__(self, server, token=None, ca_pem=None, timeout=30):
        self.url = urllib.parse.urlsplit(server)
        self.token = token
        self.ca_pem = ca_pem
        self.timeout = timeout

    @classmethod
    def from_kubeconfig(cls, path, token=None):
        kc = read_kubeconfig(path)
        return cls(kc["server"], token or kc["token"], kc["ca_pem"])

    def with_token(self, token):
        return Client(self.url.geturl(), token, self.ca_pem, self.timeout)

    def connection(self, timeout=None):
        timeout = timeout or self.timeout
        host, port = self.url.hostname, self.url.port
        if self.url.scheme == "https":
            ctx = ssl.create_default_context(cadata=self.ca_pem.decode() if self.ca_pem
                                             else None)
            return http.client.HTTPSConnection(host, port, context=ctx, timeout=timeout)
        return http.client.HTTPConnection(host, port, timeout=timeout)

    def _headers(self, headers, body):
        h = {"Accept": "application/json"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        return {k: v for k, v in h.items() if v is not None}

    def request(self, method, path, body=None, headers=None, raw=False):
        """Returns (code, decoded JSON body or bytes, headers as HTTPMessage)."""
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        conn = self.connection()
        try:
            conn.request(method, path, body=data, headers=self._headers(headers, body))
            resp = conn.getresponse()
            payload = resp.read()
        finally:
            conn.close()
        if not raw and resp.getheader("Content-Type", "").startswith("application/json"):
            try:
                payload = json.loads(payload)
            except ValueError:
                pass
        return resp.status, payload, resp.headers

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body, content_type="application/merge-patch+json", **kw):
        h = dict(kw.pop("headers", {}) or {}, **{"Content-Type": content_type})
        return self.request("PATCH", path, body, headers=h, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body, **kw)

    def watch(self, path, timeout=10, headers=None):
        return WatchStream(self, path, timeout, headers)

    # ---- control plane ----------------------------------------------------------------
    def control(self, name, spec=None):
        code, body, _ = self.request("POST" if name != "health" else "GET",
                                     f"/_test/{name}", spec if spec is not None else {})
        if code != 200:
            raise RuntimeError(f"/_test/{name}: {code} {body}")
        return body

    def faults(self, **spec):
        return self.control("faults", spec)

    def reset_faults(self):
        return self.control("faults/reset")

    def drop_watches(self, mode="eof"):
        return self.control("watches/drop", {"mode": mode})

    def compact(self):
        return self.control("compact")

    def restart(self, keep_state=True, down_seconds=0):
        return self.control("restart", {"keepState": keep_state, "downSeconds": down_seconds})

    def new_token(self, user, groups=None):
        return self.control("tokens", {"user": user, "groups": groups})["token"]

    def revoke_token(self, token):
        return self.control("tokens/revoke", {"token": token})

    def configure(self, **spec):
        return self.control("config", spec)


class WatchStream:
    """Iterates over the JSON events of one watch response; .status is the HTTP code."""

    def __init__(self, client, path, timeout, headers):
        self.conn = client.connection(timeout=timeout)
        self.conn.request("GET", path, headers=client._headers(headers, None))
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.headers = self.resp.headers
        self.buffer = b""

    def next(self):
        """The next event, or None at a clean end of stream."""
        while b"\n" not in self.buffer:
            chunk = self.resp.read1(65536) if hasattr(self.resp, "read1") else self.resp.read(1)
            if not chunk:
                if self.buffer.strip():
                    raise ValueError(f"truncated event: {self.buffer!r}")
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def __iter__(self):
        while True:
            ev = self.next()
            if ev is None:
                return
            yield ev

    def body(self):
        return json.loads(self.resp.read())

    def close(self):
        try:
            self.conn.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """Runs scripts/test-apiserver on a free loopback port in a temp dir."""

    def __init__(self, strict_rbac=False, state=None, insecure_http=False, args=(),
                 port=0, workdir=None, host="127.0.0.1"):
        self.own_dir = workdir is None
        self.dir = workdir or tempfile.mkdtemp(prefix="kubeemu-test-")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.log_path = os.path.join(self.dir, "server.log")
        listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.argv = [LAUNCHER, "--listen", listen, "--kubeconfig",
                     self.kubeconfig]
        if strict_rbac:
            self.argv.append("--strict-rbac")
        if state:
            self.argv += ["--state", state]
        if insecure_http:
            self.argv.append("--insecure-http")
        self.argv += list(args)
        self.proc = None

    def start(self):
        if os.path.exists(self.kubeconfig):
            os.unlink(self.kubeconfig)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=self.log,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not os.path.exists(self.kubeconfig):
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: "
                                   f"{open(self.log_path).read()[-2000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server did not write its kubeconfig in time")
            time.sleep(0.05)
        self.config = read_kubeconfig(self.kubeconfig)
        return self

    def client(self, token=None):
        return Client(self.config["server"], token or self.config["token"],
                      self.config["ca_pem"])

    def stop(self):
        """SIGTERM, bounded wait, then SIGKILL; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT_SECONDS)
        self.log.close()
        code = self.proc.returncode
        self.proc = None
        return code

    def logs(self):
        return open(self.log_path).read()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self.own_dir:
            import shutil
            shutil.rmtree(self.dir, ignore_errors=True)


def main(argv):
    import argparse
    p = argparse.ArgumentParser(prog="python3 -m kubeemu.client")
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("command", choices=["health", "faults", "reset-faults", "drop-watches",
                                       "compact", "restart", "token", "config", "snapshot"])
    p.add_argument("arg", nargs="?", default=None,
                   help="JSON body (faults, restart, config, drop-watches) or user (token)")
    a = p.parse_args(argv)
    c = Client.from_kubeconfig(a.kubeconfig)
    spec = json.loads(a.arg) if a.arg and a.command != "token" else {}
    name = {"reset-faults": "faults/reset", "drop-watches": "watches/drop"}.get(a.command,
                                                                               a.command)
    if a.command == "token":
        print(c.new_token(a.arg))
    else:
        print(json.dumps(c.control(name, spec)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
