"""Loads an app's Python module and runs its functions, for slotbridge's runner.

Layouts: module-level functions (Dioptra's plugins), the methods of one
class made once with its init inputs (Dataloop's ServiceRunner), and the
module run as a script (`__main__`, ClearML's tasks). A Dioptra artifact task
class named as a function is the codec of its artifact type.
"""
import json
import os
import sys
import types

import slotbridge

_state = {}
#: json's C scanner: one call reads the worker's JSON text (json.loads adds Python-level steps and two regex matches).
_scan_json = json.JSONDecoder().scan_once
#: ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, without importing ast at every start.
TOP_LEVEL_AWAIT = 0x2000


class Failure(dict):
    """A run that failed: its exception's type, message and traceback (the worker tells it by its type's name)."""


def _py(value):
    """A value from JavaScript as Python: JSON text (what plain data comes as), or a proxy converted once, deeply."""
    if value is None:
        return {}
    if isinstance(value, str):
        return _scan_json(value, 0)[0]
    return value.to_py() if hasattr(value, "to_py") else value


#: Where slotbridge's own Python lives: its frames are left out of a traceback an app author reads.
_LIB = os.path.dirname(os.path.abspath(__file__))


def app_traceback(err):
    """The traceback without slotbridge's own frames: what the app's file did, with its lines."""
    import traceback

    tb = traceback.TracebackException.from_exception(err)
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if not os.path.abspath(f.filename).startswith(_LIB + os.sep)])
    return "".join(tb.format())


def _failure(err, prefix=""):
    if isinstance(err, ModuleNotFoundError) and not prefix:
        top = (err.name or "").split(".")[0]
        errors = _state.get("package_errors")
        why = f" (loading it from the platform failed: {errors})" if errors else ""
        prefix = f'the Python package "{top}" is not available: the platform serves no such package beside Pyodide{why}. '
    return Failure(type=type(err).__name__, message=prefix + str(err) + app_line(err), traceback=app_traceback(err))


def app_line(err):
    """Where in the app's own file the error arose (its innermost frame there): ` (tasks.py, line 12, in measure)`."""
    import traceback

    own = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == _state.get("filename")]
    # The file's name only: a runner's folders are its own business.
    return f" ({os.path.basename(own[-1].filename)}, line {own[-1].lineno}, in {own[-1].name})" if own else ""


def load(source, filename, module_name, class_name, init_inputs, package_errors, functions):
    """Compiles the module, and runs it unless it is a script (a `__main__` function): a task script runs when called."""
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in module_name)
    module = types.ModuleType(name)
    module.__file__ = filename
    _state.update(filename=filename, module=module, name=name, package_errors=package_errors, layout="module", loaded=False)
    _state.update(class_name=class_name, init_inputs=_py(init_inputs))
    try:
        script = "__main__" in list(functions)
        # A task script may await the host at its top level (a module body may not: importing it awaits nothing).
        _state["code"] = compile(source, filename, "exec", flags=TOP_LEVEL_AWAIT if script else 0)
        if not script:
            _exec_module()
    except BaseException as err:  # noqa: BLE001 - anything at import time is the module's failure
        return _failure(err)
    return None


def _exec_module():
    if _state["loaded"]:
        return
    sys.modules[_state["name"]] = _state["module"]
    exec(_state["code"], _state["module"].__dict__)
    class_name = _state["class_name"]
    if class_name:
        cls = getattr(_state["module"], class_name, None)
        if not isinstance(cls, type):
            raise AttributeError(f'{_state["filename"]} defines no class "{class_name}" (the manifest\'s className)')
        _state.update(instance=cls(**_state["init_inputs"]), layout="class")
    _state["loaded"] = True


def _lookup(name):
    instance = _state.get("instance")
    if instance is not None and hasattr(type(instance), name):
        return getattr(instance, name)
    target = _state["module"].__dict__.get(name)
    if target is None:
        raise AttributeError(f'{_state["filename"]} defines no function "{name}" (a function the manifest declares)')
    return target


#: Deepest a result may nest: converting deeper would overflow the interpreter's stack, which it does not survive.
MAX_RESULT_DEPTH = 100


def _plain(value, depth=0):
    """What the host can take: JSON-like values; tuples become lists, paths and entities plain."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if depth >= MAX_RESULT_DEPTH and isinstance(value, (dict, list, tuple)):
        raise ValueError(f"the result is nested deeper than {MAX_RESULT_DEPTH} levels; return flatter data")
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    # numpy's arrays and scalars (and pandas' series): their plain values, as Dioptra's plugins return them.
    if callable(getattr(value, "tolist", None)):
        return _plain(value.tolist(), depth + 1)
    raise TypeError(f"a {type(value).__name__} cannot leave Python; return numbers, text, lists and dicts")


def set_state(settings, context):
    slotbridge._begin(_py(settings), _py(context))


#: Each function's caller, made on its first run: a run then only converts, calls and checks.
_callers = {}


def _caller(name):
    if name == "__main__":
        return _run_script
    _exec_module()
    target = _lookup(name)
    if isinstance(target, type) and _is_artifact_task(target):
        return lambda inputs: _codec(target, _py(inputs))
    if _state["layout"] == "class":
        from dtlpy.entities import entity

        return lambda inputs: target(**{k: entity(v) for k, v in _py(inputs).items()})
    return lambda inputs: target(**_py(inputs))


def _run_script(_inputs):
    result = eval(_state["code"], {"__name__": "__main__", "__file__": _state["filename"], "__builtins__": __builtins__})
    return result if hasattr(result, "__await__") else None


def run(name, inputs):
    """The function's value as the host takes it, or a Failure; a coroutine of either when the function awaits
    (or left host calls running). A value that is not a dict or list needs no conversion on the way out."""
    pending = slotbridge._pending
    pending.clear()
    try:
        caller = _callers.get(name)
        if caller is None:
            caller = _callers[name] = _caller(name)
        result = caller(inputs)
        if pending or hasattr(result, "__await__"):
            return _finish(name, result)
        return _plain(result)
    except BaseException as err:  # noqa: BLE001 - the caller gets EXECUTION_FAILED with it
        return _outcome_of(err)


async def _finish(name, result):
    try:
        if hasattr(result, "__await__"):
            result = await result
        await slotbridge._drain()
        return None if name == "__main__" else _plain(result)
    except BaseException as err:  # noqa: BLE001
        return _outcome_of(err)


def _outcome_of(err):
    if isinstance(err, SystemExit):
        if err.code in (None, 0):
            return None
        return _failure(err, "the script exited with ")
    return _failure(err)


def _is_artifact_task(cls):
    # Dioptra's artifact task classes subclass the interface (a metaclass): the class itself is the codec.
    from dioptra.sdk.api.artifact import ArtifactTaskInterface

    return issubclass(cls, ArtifactTaskInterface)


def _codec(task, kwargs):
    """An artifact task class: serialize writes a file its bytes are read from; deserialize reads one."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as working_dir:
        if "value" in kwargs:
            path = Path(task.serialize(Path(working_dir), "artifact", kwargs["value"]))
            return Path(working_dir, path).read_bytes()
        data = kwargs.get("data")
        raw = data.encode() if isinstance(data, str) else bytes(data)
        Path(working_dir, "artifact").write_bytes(raw)
        return task.deserialize(Path(working_dir), "artifact")
