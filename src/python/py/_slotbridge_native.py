"""Runs one function in a system Python, for `slotbridge runner`: one process per run.

The runner starts ``python3 -I -c "...; _slotbridge_native.main()" <job.json>``
with file descriptor 3 a pipe back to it. The job names the app's module file,
its layout and the function with its inputs; this process limits itself
(memory, CPU seconds, file size) before the app's code is read, then runs the
function with the same ``_slotbridge_runner`` the browser runtime uses. Its
reports and its one result (or failure) go to the runner as JSON lines on fd 3;
``print`` goes to stdout, which the runner keeps as the run's log.
"""
import asyncio
import json
import os
import resource
import sys
import traceback

_out = None
#: Where slotbridge's own Python lives: its frames are left out of a traceback an app author reads.
_LIB = os.path.dirname(os.path.abspath(__file__))


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


async def ask(path, args):
    """Host calls (storage, the platform's api...) are the page's: a run on a runner has none of them yet."""
    return {
        "ok": False,
        "code": "NOT_SUPPORTED",
        "message": f"{'.'.join(path)} is a call to the platform's page, which a run on a runner does not have; "
        "report results (report_scalar, print) and return outputs instead.",
    }


def _limit(limits):
    for name, key in (("RLIMIT_AS", "memory"), ("RLIMIT_CPU", "cpu"), ("RLIMIT_FSIZE", "fileSize")):
        value = limits.get(key)
        if value:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))


def _app_traceback(err):
    """The traceback without slotbridge's own frames: what the app's file did, with its lines."""
    tb = traceback.TracebackException.from_exception(err)
    frames = [f for f in tb.stack if not os.path.abspath(f.filename).startswith(_LIB + os.sep)]
    tb.stack = traceback.StackSummary.from_list(frames)
    return "".join(tb.format())


def _failure_of(browser_failure):
    """The runner's failure record, told for a system Python, its traceback the app's own."""

    def failure(err, prefix=""):
        if isinstance(err, ModuleNotFoundError) and not prefix:
            top = (err.name or "").split(".")[0]
            prefix = f'the Python package "{top}" is not installed for this runner\'s Python ({sys.executable}). '
        record = browser_failure(err, prefix)
        record["traceback"] = _app_traceback(err)
        return record

    return failure


def _die_with(parent):
    """A run outlives no runner: when the runner is gone (killed), this process ends too."""
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
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
            result = asyncio.run(result)
        failure = result if isinstance(result, runner.Failure) else None
    if failure is not None:
        _send({"t": "failure", "type": failure["type"], "message": failure["message"], "traceback": failure["traceback"]})
        sys.stdout.flush()
        return 1
    _send({"t": "result", "value": result})
    sys.stdout.flush()
    return 0
