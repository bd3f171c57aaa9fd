"""HTTP(S) transport: ThreadingHTTPServer, one JSON body per response, chunked
streaming for watches, the /_test control endpoints, one log line per request."""
import gzip
import http.server
import json
import socket
import ssl
import sys
import time

from .api import Request
from .store import Watcher

BOOKMARK_INTERVAL_SECONDS = 60.0
GZIP_MIN_BYTES = 128 * 1024  # kube-apiserver's defaultGzipThresholdBytes
BOOKMARK_BEFORE_DEADLINE_SECONDS = 2.0


class _Headers(dict):
    pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubeemu"
    sys_version = ""

    def log_message(self, fmt, *args):  # one line per request is logged by _dispatch
        pass

    def setup(self):
        super().setup()
        self.server.app.track_connection(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.app.track_connection(self.connection, False)

    def _read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            return data
        return self.rfile.read(n) if n else b""

    def _dispatch(self):
        start = time.monotonic()
        app = self.server.app
        if app.is_down():
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        body = self._read_body()
        hdrs = _Headers((k, v) for k, v in self.headers.items())
        hdrs._multi = list(self.headers.items())
        req = Request(self.command, self.path, hdrs, body)
        code, user = 0, "-"
        try:
            if req.path.startswith("/_test/"):
                code = self._control(req)
                return
            resp = app.api.handle(req)
            user = req.user.name if req.user else "-"
            code = resp.code
            if resp.watch is not None:
                self._serve_watch(resp.watch)
            else:
                self._send(resp)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True
        finally:
            ms = (time.monotonic() - start) * 1000
            app.log(f"{self.client_address[0]} {user} {self.command} {self.path} {code} "
                    f"{ms:.1f}ms")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch

    def _send(self, resp):
        if resp.raw is not None:
            data = resp.raw
        else:
            data = (json.dumps(resp.body, separators=(",", ":")) + "\n").encode()
        gzipped = False
        if (self.command == "GET" and len(data) >= GZIP_MIN_BYTES and
                "gzip" in self.headers.get("Accept-Encoding", "")):
            # APIResponseCompression: only when asked, and only for large responses.
            data, gzipped = gzip.compress(data), True
        self.send_response(resp.code)
        self.send_header("Content-Type", resp.content_type)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Audit-Id", "kubeemu")
        self.send_header("Cache-Control", "no-cache, private")
        for k, v in resp.headers.items():
            for one in (v if isinstance(v, list) else [v]):
                self.send_header(k, one)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _serve_watch(self, ws):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        self.wfile.flush()
        try:
            if ws.initial_error is not None:
                self._event(ws.encode("ERROR", ws.initial_error))
                self._chunk(b"")
                return
            self._watch_loop(ws)
        finally:
            ws.close()

    def _event(self, ev):
        self._chunk((json.dumps(ev, separators=(",", ":")) + "\n").encode())

    def _watch_loop(self, ws):
        app = self.server.app
        start = time.monotonic()
        deadline = start + ws.timeout if ws.timeout is not None else None
        next_bookmark = start + app.bookmark_interval
        sent_final_bookmark = False
        w = ws.watcher
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            if app.stopping.is_set():
                break
            wait = 0.5
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - now))
            try:
                etype, obj = w.events.get(timeout=wait)
            except Exception:
                etype = None
                obj = None
            if obj is Watcher.CLOSED:
                if w.drop_mode == "reset":
                    self.close_connection = True
                    try:
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                                   b"\x01\x00\x00\x00\x00\x00\x00\x00")
                        self.connection.close()
                    except OSError:
                        pass
                    return
                break
            if etype is not None:
                self._event(ws.encode(etype, obj))
                continue
            if ws.bookmarks:
                now = time.monotonic()
                near_deadline = (deadline is not None and not sent_final_bookmark and
                                 deadline - now <= BOOKMARK_BEFORE_DEADLINE_SECONDS)
                if now >= next_bookmark or near_deadline:
                    with app.api.store.lock:
                        rv = str(app.api.store.rv) if w.events.empty() else None
                    if rv is not None:
                        self._event(ws.encode("BOOKMARK", rv))
                        next_bookmark = now + app.bookmark_interval
                        if near_deadline:
                            sent_final_bookmark = True
        self._chunk(b"")

    def _control(self, req):
        app = self.server.app
        try:
            spec = json.loads(req.body or b"{}") if req.method == "POST" else {}
            out = app.control(req.method, req.path, spec, self.connection)
            code = 200
        except (ValueError, KeyError, TypeError) as ex:
            out, code = {"error": str(ex)}, 400
        data = (json.dumps(out) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if req.path == "/_test/restart":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)
        return code


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app, ssl_context=None):
        host = address[0]
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__(address, Handler)
        self.app = app
        self.ssl_context = ssl_context

    def get_request(self):
        sock, addr = super().get_request()
        if self.ssl_context is not None:
            # The handshake runs on first read, in the handler's thread.
            sock = self.ssl_context.wrap_socket(sock, server_side=True,
                                                do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)
