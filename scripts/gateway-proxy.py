#!/usr/bin/env python3
"""gateway-proxy.py LISTEN_PORT UPSTREAM_URL [MODE]: a loopback reverse proxy in front of a cloud
(`gpus sandbox serve`) that behaves like a provider's front door failing after the fact. Every
request is forwarded; for the creates (POST /v2/pods, /v2/vms, /v2/serverless, /v2/volumes,
/v2/container-registry-auths) MODE decides what the client gets:

  504, 502, 500   the create is forwarded and made, the client gets that status with an HTML body
                  (no API envelope), as from a gateway that timed out
  reset           the create is made, then the connection is reset (the answer is lost)
  delayN          each create is held N seconds before it is forwarded (a create queued at the
                  provider), then answered normally
  none            forward only

LISTEN_PORT 0 picks a free port; the first line on stdout is `listening on PORT`. Used by the
tests (Tests/CloudLibraryTests/RunsSupport.swift) and for reproducing by hand."""
import http.server, socketserver, sys, urllib.request, urllib.error, socket, time, signal

# A parent that ignores SIGTERM (a test runner) passes that on: stop on SIGTERM whatever it says.
signal.signal(signal.SIGTERM, signal.SIG_DFL)

LISTEN, UPSTREAM = int(sys.argv[1]), sys.argv[2].rstrip("/")
MODE = sys.argv[3] if len(sys.argv) > 3 else "504"
CREATES = {"/v2/pods", "/v2/vms", "/v2/serverless", "/v2/volumes", "/v2/container-registry-auths"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        path = self.path.split("?")[0]
        create = self.command == "POST" and path in CREATES
        if create and MODE.startswith("delay"):
            sys.stderr.write(f"proxy: holding {self.command} {path}\n")
            sys.stderr.flush()
            time.sleep(float(MODE[5:] or 3))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        request = urllib.request.Request(UPSTREAM + self.path, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, data, kind = response.status, response.read(), response.headers.get("Content-Type", "application/json")
        except urllib.error.HTTPError as error:
            status, data, kind = error.code, error.read(), error.headers.get("Content-Type", "application/json")
        if create:
            sys.stderr.write(f"proxy: {self.command} {path} upstream {status} -> client {MODE}\n")
            if MODE == "reset":
                # Linger 0, then the last reference closed: the kernel sends RST at once.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.close_connection = True
                self.rfile.close()
                self.wfile.close()
                self.connection.close()
                return
            if MODE in ("504", "502", "500"):
                status, data, kind = int(MODE), f"<html><body>{MODE} Gateway Error</body></html>".encode(), "text/html"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = forward


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", LISTEN), Handler)
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
