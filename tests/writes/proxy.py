"""A TCP proxy on a loopback port in front of the database, which a test can cut and restore.

``cut()`` closes every connection through it and resets new ones at once, as a stopped database
server does; ``stall()`` closes them too but leaves new ones hanging without an answer, as a
host gone off the network does (only a connect timeout ends the wait); ``restore()`` forwards
again. Threads: one accepting, two per connection pumping bytes each way.
"""

import socket
import struct
import threading
from contextlib import suppress
from enum import Enum


class Mode(Enum):
    open = "open"
    cut = "cut"
    stall = "stall"


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST (linger 0) rather than a polite FIN."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.mode = Mode.open
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                mode = self.mode
                if mode is not Mode.cut:
                    self._sockets.add(client)
                    self.accepted += 1
            if mode is Mode.cut:
                _reset(client)
                continue
            if mode is Mode.stall:
                continue  # held open, never answered
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                self._drop(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets.add(server)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(source, sink)

    def _drop(self, *socks: socket.socket) -> None:
        with self._lock:
            for sock in socks:
                if sock in self._sockets:
                    self._sockets.discard(sock)
                    _reset(sock)

    def _switch(self, mode: Mode) -> None:
        """Go to ``mode`` and close every connection made before."""
        with self._lock:
            self.mode = mode
            socks = list(self._sockets)
        self._drop(*socks)

    def cut(self) -> None:
        self._switch(Mode.cut)

    def stall(self) -> None:
        self._switch(Mode.stall)

    def restore(self) -> None:
        self._switch(Mode.open)  # stalled connections were given up by their clients already

    def close(self) -> None:
        self._closed.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        self._switch(Mode.cut)
