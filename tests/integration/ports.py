"""Free TCP ports on 127.0.0.1 for the servers an integration test starts (a lab, a hub and
its proxy, a formgrader): the one helper they share."""

import socket

__all__ = ["free_port", "free_ports"]


def free_ports(n):
    """``n`` distinct ports that were free a moment ago (all held open at once, so no two are
    the same; another process may still take one before the server binds it)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port():
    """One free port (see :func:`free_ports`)."""
    return free_ports(1)[0]
