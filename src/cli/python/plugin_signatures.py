"""Reads a Dioptra plugin file's registered functions without importing it, as Dioptra does.

Python's ``ast`` only: a plugin whose imports are not installed is still read.
A function is a plugin when decorated with ``dioptra.pyplugs.register`` under
any import spelling (``@pyplugs.register``, ``@register``, an alias, with or
without a call). Parameter types come from annotations (``str``, ``int``,
``float``, ``bool``, their lists, ``dict``; anything else is kept by name);
a parameter is required when it has no literal default; the return
annotation is the output (a ``tuple[...]`` is one output per element).
"""
import ast
import json
import re

SIMPLE = {"str": "String", "int": "Integer", "float": "Float", "bool": "Boolean", "dict": "Json", "any": "Json"}


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _register_names(tree):
    """The names that mean dioptra.pyplugs (modules) and dioptra.pyplugs.register (the decorator) in this file."""
    modules, decorators = {"dioptra.pyplugs"}, {"dioptra.pyplugs.register"}
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name == "dioptra.pyplugs" and alias.asname:
                    modules.add(alias.asname)
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0:
            for alias in stmt.names:
                bound = alias.asname or alias.name
                if stmt.module == "dioptra" and alias.name == "pyplugs":
                    modules.add(bound)
                elif stmt.module == "dioptra.pyplugs" and alias.name == "register":
                    decorators.add(bound)
    return modules, decorators


def _is_plugin(fn, modules, decorators):
    for deco in fn.decorator_list:
        name = _dotted(deco.func if isinstance(deco, ast.Call) else deco)
        if name in decorators or (name and name.endswith(".register") and name[: -len(".register")] in modules):
            return True
    return False


def _type_name(annotation):
    """The manifest type of an annotation, and the name Dioptra would keep for it."""
    if annotation is None:
        return "Json", None
    text = annotation.value if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) else ast.unparse(annotation)
    norm = re.sub(r"_+", "_", re.sub(r"\W+", "_", text.strip().lower().replace(" ", ""))).strip("_")
    if norm in SIMPLE:
        return SIMPLE[norm], None
    match = re.fullmatch(r"(?:list|typing_list)_(str|int|float|bool|dict)", norm)
    if match:
        return SIMPLE[match.group(1)] + "[]", None
    return "Json", norm or None


def _param(name, annotation, default):
    io_type, kept = _type_name(annotation)
    out = {"name": name, "type": io_type}
    if kept:
        out["pythonType"] = kept
    if default is not None:
        try:
            out["value"] = ast.literal_eval(default)
        except (ValueError, SyntaxError, TypeError):
            pass
    return out


def _outputs(returns):
    if returns is None or (isinstance(returns, ast.Constant) and returns.value is None):
        return []
    if isinstance(returns, ast.Subscript) and _dotted(returns.value) in ("tuple", "typing.Tuple", "Tuple"):
        elements = returns.slice.elts if isinstance(returns.slice, ast.Tuple) else [returns.slice]
        if not any(isinstance(e, ast.Constant) and e.value is Ellipsis for e in elements):
            return [_param(f"output{i + 1}", e, None) for i, e in enumerate(elements)]
    return [_param("output", returns, None)]


def analyze(source, filename):
    tree = ast.parse(source, filename)
    modules, decorators = _register_names(tree)
    functions = []
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) or not _is_plugin(stmt, modules, decorators):
            continue
        args = stmt.args
        positional = args.posonlyargs + args.args
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        params = [_param(a.arg, a.annotation, d) for a, d in zip(positional, defaults)]
        params += [_param(a.arg, a.annotation, d) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
        fn = {"name": stmt.name, "input": params, "output": _outputs(stmt.returns)}
        doc = ast.get_docstring(stmt)
        if doc:
            fn["description"] = doc.strip().split("\n\n")[0][:500]
        functions.append(fn)
    return json.dumps(functions)
