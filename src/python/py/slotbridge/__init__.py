"""slotbridge for Python modules: what the host gives a function while it runs.

- ``await api.<namespace>.<method>(...)``: the platform's api, with the
  permissions the app was granted (``await api.items.get("i1")``).
- ``await storage.get(key)`` / ``set`` / ``remove`` / ``keys``,
  ``await settings.get()`` / ``set(path, value)``, ``await events.emit(name, payload)``,
  ``await artifacts.list()`` / ``read(id)``, ``await functions.execute(fn, inputs)``,
  ``await ui.notify({"message": ..., "level": ...})``.
- ``context()``: the app, project, user, theme and locale of the module.
- ``app_settings()``: the app's saved settings when the function started
  (``{"hyperparams": {section: {name: value}}, "configuration": {...}}``).
- ``run_soon(awaitable)``: starts a host call from code that cannot await
  (a sync API); the function's run ends only once it is done.
- ``await service(method, path, body)``: on a runner, a call to the registry
  service as this run (its own token: its inputs, its app's reports and artifacts).
- ``report_scalar``, ``report_log``, ``report_plot``, ``report_image``: reports
  for the app's dashboard, sent in order, without awaiting; ``print`` is a log line.

A refused call raises ``HostError`` with the error's ``code``.
"""
try:
    # In the browser (Pyodide): calls and reports go to the host page.
    import _slotbridge_js
    import js
    from pyodide.ffi import to_js

    def _js(value):
        return to_js(value, dict_converter=js.Object.fromEntries, create_pyproxies=False)

    def _py(value):
        return value.to_py() if hasattr(value, "to_py") else value

    async def _ask(path, args):
        return _py(await _slotbridge_js.call(_js(list(path)), _js(list(args))))

    def _send_report(kind, args):
        _slotbridge_js.report(kind, _js(args))

    def _service(method, path, body):
        return {"ok": False, "code": "METHOD_NOT_FOUND", "message": "service() is a runner's: in the page, call the host (api, storage...)."}

except ImportError:
    # On a runner (a system Python, a process per run): they go to the runner, on a pipe.
    from _slotbridge_native import ask as _ask, send_report as _send_report, service as _service

__all__ = ["api", "storage", "settings", "events", "artifacts", "functions", "ui", "context", "app_settings", "run_soon", "HostError", "report_scalar", "report_log", "report_plot", "report_image", "service"]

_now = {"settings": {}, "context": {}}


class HostError(Exception):
    """A call the host refused or that failed: ``code`` is its ErrorCode."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


async def _call(path, args):
    answer = await _ask(path, args)
    if not answer.get("ok"):
        raise HostError(answer.get("code"), answer.get("message"))
    return answer.get("value")


class _Calls:
    """``api.items.get`` names the call ``["api", "items", "get"]``."""

    def __init__(self, path):
        self._path = path

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Calls(self._path + [name])

    def __call__(self, *args):
        return _call(self._path, args)

    def __repr__(self):
        return f"<slotbridge call {'.'.join(self._path)}>"


api = _Calls(["api"])
storage = _Calls(["storage"])
settings = _Calls(["settings"])
events = _Calls(["events"])
artifacts = _Calls(["artifacts"])
functions = _Calls(["functions"])
ui = _Calls(["ui"])


_pending = []


def _begin(saved_settings, module_context):
    _now["settings"] = saved_settings or {}
    _now["context"] = module_context or {}


def run_soon(awaitable):
    """Starts a host call from code that cannot await (a sync API such as ClearML's); the function's run waits for it."""
    import asyncio

    future = asyncio.ensure_future(awaitable)
    _pending.append(future)
    return future


async def _drain():
    while _pending:
        await _pending.pop(0)


async def service(method, path, body=None):
    """On a runner: one call to the registry service as this run, with its own token (``context()["run"]``
    names the run): ``await service("GET", f"/v1/runs/{run}/inputs")``, its app's reports and artifacts in
    its project. A JSON answer is a dict, bytes are bytes; a refusal raises ``HostError``."""
    answer = _service(str(method).upper(), str(path), body)
    if not answer.get("ok"):
        raise HostError(answer.get("code"), answer.get("message"))
    return answer.get("value")


def context():
    return dict(_now["context"])


def app_settings():
    return _now["settings"]


def _report(kind, args):
    _send_report(kind, args)


def report_scalar(metric, variant, iteration, value):
    _report("scalar", [str(metric), str(variant), int(iteration), float(value)])


def report_log(text):
    _report("log", [str(text)])


def report_plot(metric, variant, figure):
    _report("plot", [str(metric), str(variant), figure])


def report_image(metric, variant, iteration, url):
    _report("image", [str(metric), str(variant), int(iteration), str(url)])
