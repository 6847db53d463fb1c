"""A runner's warm interpreter: forks a fresh process for each run.

Starting Python and importing slotbridge's modules is most of a short run's
time; this process does it once. The runner writes one JSON line per run on
its stdin (``{"id", "job", "io", "env"}``); it forks, answers
``{"started": id, "pid": pid}`` on its stdout, and ``{"exited": pid, "code": c}``
when that process ends (``c`` negative: killed by signal ``-c``). It runs no
app code itself: each run's process starts from this one's state, never
another run's.

Each run's process: a session (and process group) of its own, the user
``nobody`` when the runner isolates (this process stays root, so a run cannot
signal it), the run's environment, its stdout, stderr and message pipe (fd 3)
connected to the runner's socket for the run, then ``_slotbridge_native.main``.
It ends when the runner is gone: this process does, and each run's process
follows its parent.
"""
import json
import os
import select
import signal
import socket
import sys

import _slotbridge_native  # noqa: F401 - imported once here, for every run
import _slotbridge_runner  # noqa: F401
import slotbridge  # noqa: F401

NOBODY = 65534


def _send(message):
    os.write(1, (json.dumps(message) + "\n").encode("utf-8"))


def _reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send({"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _run(request, drop):
    """In the forked process: becomes the run's, then runs it. Never returns."""
    code = 70
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        os.closerange(3, 4096)
        if drop:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        os.environ.update(request.get("env") or {})
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for tag, fd in ((b"o", 1), (b"e", 2), (b"m", 3)):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(request["io"])
            sock.sendall(tag)
            if sock.fileno() == fd:
                sock.detach()
            else:
                os.dup2(sock.fileno(), fd)
                sock.close()
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
        sys.argv = [sys.argv[0], request["job"]]
        code = _slotbridge_native.main()
        sys.stdout.flush()
        sys.stderr.flush()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def serve():
    drop = len(sys.argv) > 1 and sys.argv[1] == "drop"
    runner = os.getppid()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    pending = b""
    while True:
        try:
            ready, _, _ = select.select([0, wake_r], [], [], 0.2)
        except InterruptedError:
            ready = []
        if os.getppid() != runner:
            os._exit(70)
        if wake_r in ready:
            os.read(wake_r, 4096)
        _reap()
        if 0 not in ready:
            continue
        chunk = os.read(0, 65536)
        if not chunk:
            os._exit(0)
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _run(request, drop)
            _send({"started": request["id"], "pid": pid})


if __name__ == "__main__":
    serve()
