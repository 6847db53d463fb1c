"""Runs one function in a system Python, for `slotbridge runner`: one process per run.

The runner starts ``python3 -I -c "...; _slotbridge_native.main()" <job.json>``
with file descriptor 3 a pipe back to it. The job names the app's module file,
its layout and the function with its inputs; this process limits itself
(memory, CPU seconds, file size) before the app's code is read, then runs the
function with the same ``_slotbridge_runner`` the browser runtime uses. Its
reports and its one result (or failure) go to the runner as JSON lines on fd 3;
``print`` goes to stdout, which the runner keeps as the run's log.
"""
import json
import os
import resource
import sys

_out = None


def _send(message):
    _out.write(json.dumps(message, separators=(",", ":"), default=_encode) + "\n")
    _out.flush()


def _encode(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        import base64

        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"a {type(value).__name__} cannot leave Python")


def send_report(kind, args):
    _send({"t": "report", "kind": kind, "args": list(args)})


#: How long a call to the platform waits for the page that asked for the run to answer it, seconds.
CALL_TIMEOUT = 60


async def ask(path, args):
    """A call to the platform (``api.<ns>.<method>``, ``storage.get``...): the platform's API is its page's, so the
    page that asked for this run answers it, through the service (the run's calls), as the app, with its grant."""
    import time

    run = os.environ.get("SLOTBRIDGE_RUN")
    method = ".".join(path[1:] if path and path[0] == "api" else path)
    if not run:
        return {"ok": False, "code": "METHOD_NOT_FOUND", "message": "This Python was not started by a runner for a run."}
    asked = service("POST", f"/v1/runs/{run}/calls", {"method": method, "args": list(args)})
    if not asked["ok"]:
        return asked
    n = asked["value"]["call"]
    deadline = time.monotonic() + CALL_TIMEOUT
    while True:
        wait = int(max(0, min(20, deadline - time.monotonic())) * 1000)
        got = service("GET", f"/v1/runs/{run}/calls/{n}?wait={wait}")
        if not got["ok"]:
            return got
        if got["value"]["answer"] is not None:
            return got["value"]["answer"]
        if time.monotonic() >= deadline:
            return {
                "ok": False,
                "code": "CALL_TIMEOUT",
                "message": f"No page answered {'.'.join(path)} within {CALL_TIMEOUT} s: a run's calls to the platform "
                "are answered by the page that asked for the run, while it is open.",
            }


def service(method, path, body=None):
    """One call to the registry service as this run: its own token (``SLOTBRIDGE_RUN_TOKEN``), through the
    runner's relay (``SLOTBRIDGE_SERVICE``, a Unix socket: a child may have no network). The service lets
    the token read this run's inputs and keep its app's reports and artifacts in its project, nothing else."""
    import http.client
    import socket

    where = os.environ.get("SLOTBRIDGE_SERVICE")
    token = os.environ.get("SLOTBRIDGE_RUN_TOKEN")
    if not where or not token:
        return {"ok": False, "code": "METHOD_NOT_FOUND", "message": "This Python was not started by a runner for a run."}

    class Relay(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(self.timeout)
            self.sock.connect(where)

    headers = {"authorization": f"Bearer {token}"}
    data = None
    if isinstance(body, (bytes, bytearray, memoryview)):
        data, headers["content-type"] = bytes(body), "application/octet-stream"
    elif body is not None:
        data, headers["content-type"] = json.dumps(body, default=_encode).encode("utf-8"), "application/json"
    connection = Relay("service", timeout=120)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        kind = response.getheader("content-type", "")
    finally:
        connection.close()
    value = json.loads(raw) if "json" in kind and raw else raw
    if response.status >= 400:
        value = value if isinstance(value, dict) else {}
        return {"ok": False, "code": value.get("code", "EXECUTION_FAILED"), "message": value.get("message", f"HTTP {response.status}")}
    return {"ok": True, "value": value}


def _limit(limits):
    for name, key in (("RLIMIT_AS", "memory"), ("RLIMIT_CPU", "cpu"), ("RLIMIT_FSIZE", "fileSize")):
        value = limits.get(key)
        if value:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))


def _failure_of(browser_failure):
    """The runner's failure record, told for a system Python (where a missing package is this runner's to install)."""

    def failure(err, prefix=""):
        if isinstance(err, ModuleNotFoundError) and not prefix:
            top = (err.name or "").split(".")[0]
            prefix = f'the Python package "{top}" is not installed for this runner\'s Python ({sys.executable}). '
        return browser_failure(err, prefix)

    return failure


def _die_with(parent):
    """A run outlives no runner: when the runner is gone (killed), this process ends too."""
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(70)

    threading.Thread(target=watch, daemon=True).start()


def main():
    global _out
    _die_with(os.getppid())
    _out = os.fdopen(3, "w", encoding="utf-8")
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    _limit(job.get("limits", {}))
    app_dir = job["appDir"]
    sys.path.insert(0, app_dir)
    os.chdir(job["workDir"])
    import _slotbridge_runner as runner

    runner._failure = _failure_of(runner._failure)
    with open(os.path.join(app_dir, job["file"]), encoding="utf-8") as f:
        source = f.read()
    failure = runner.load(
        source,
        os.path.join(app_dir, job["file"]),
        job["moduleName"],
        job.get("className") or None,
        job.get("initInputs") or {},
        None,
        job["functions"],
    )
    if failure is None:
        runner.set_state(job.get("settings") or {}, job.get("context") or {})
        result = runner.run(job["function"], job.get("inputs") or {})
        if hasattr(result, "__await__"):
            # Imported only for a function that awaits: asyncio is most of a plain run's start.
            import asyncio

            result = asyncio.run(result)
        failure = result if isinstance(result, runner.Failure) else None
    if failure is not None:
        _send({"t": "failure", "type": failure["type"], "message": failure["message"], "traceback": failure["traceback"]})
        sys.stdout.flush()
        return 1
    _send({"t": "result", "value": result})
    sys.stdout.flush()
    return 0
