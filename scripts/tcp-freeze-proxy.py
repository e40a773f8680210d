#!/usr/bin/env python3
"""tcp-freeze-proxy.py LISTEN_PORT UPSTREAM_HOST:PORT: a loopback TCP relay (in front of PostgreSQL)
that forwards bytes both ways until it gets SIGUSR1; from then on it forwards nothing and answers
nothing, holding every connection open — a server frozen (SIGSTOP, a hung host, a dropped route)
as the clients see it. LISTEN_PORT 0 picks a free port; the first line on stdout is `listening on
PORT`. Used by the tests of the team ledger's deadlines (Tests/CloudLibraryTests)."""
import signal, socket, sys, threading

signal.signal(signal.SIGTERM, signal.SIG_DFL)
host, port = sys.argv[2].rsplit(":", 1)
frozen = threading.Event()
signal.signal(signal.SIGUSR1, lambda *_: frozen.set())


def pump(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            if frozen.is_set():
                threading.Event().wait()  # hold: never forward, never close
            target.sendall(data)
    except OSError:
        pass
    finally:
        if not frozen.is_set():
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(128)
print(f"listening on {listener.getsockname()[1]}", flush=True)
while True:
    client, _ = listener.accept()
    if frozen.is_set():
        continue  # accepted, and never answered
    upstream = socket.create_connection((host, int(port)))
    for a, b in ((client, upstream), (upstream, client)):
        threading.Thread(target=pump, args=(a, b), daemon=True).start()
