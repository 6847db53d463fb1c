"""dioptra.pyplugs for slotbridge: plugin registration as Dioptra's plugins use it.

Covers: ``@register`` (with or without arguments), ``names``, ``funcs``,
``exists``, ``get``, ``call``, ``info``. Functions are registered by the
module that defines them; slotbridge runs the ones the manifest declares.
Anything else raises NotImplementedError naming the call.
"""
_PLUGINS = {}


def register(func=None, *, sort_value=0):
    def decorate(fn):
        _PLUGINS.setdefault(fn.__module__, {})[fn.__name__] = {"func": fn, "sort_value": sort_value}
        return fn

    return decorate if func is None else decorate(func)


def _module(package):
    return package if isinstance(package, str) else getattr(package, "__name__", str(package))


def names(package):
    return sorted(_PLUGINS.get(_module(package), {}))


def funcs(package):
    return names(package)


def exists(package, plugin):
    return plugin in _PLUGINS.get(_module(package), {})


def get(package, func):
    try:
        return _PLUGINS[_module(package)][func]["func"]
    except KeyError:
        raise KeyError(f"no plugin {func!r} is registered in {_module(package)!r}") from None


def call(package, func, *args, **kwargs):
    return get(package, func)(*args, **kwargs)


def info(package, func):
    fn = get(package, func)
    return {"package_name": _module(package), "plugin_name": fn.__name__, "func": fn, "description": fn.__doc__}


def __getattr__(name):
    raise NotImplementedError(f"dioptra.pyplugs.{name} is not covered by slotbridge (it covers register, names, funcs, exists, get, call, info)")

