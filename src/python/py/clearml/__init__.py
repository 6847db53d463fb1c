"""clearml for slotbridge: a task is a run of the app's function, its
hyperparameters are the app's settings, its logger reports to the app's dashboard.

Covers: ``Task.init``, ``Task.current_task``, a task's ``connect``,
``get_parameters``, ``get_parameters_as_dict``, ``get_parameter``,
``set_parameter``, ``get_logger``, ``flush``, ``close``,
``mark_completed``, ``id``, ``name``; ``Logger.current_logger``, a logger's
``report_scalar``, ``report_single_value`` (the scalar ``Summary``/name at
iteration 0), ``report_text`` (a log line), ``report_plotly`` and
``report_line_plot`` (a plot), ``report_media`` of text (a log line headed by its
title and series: a debug sample), ``flush``. Anything else raises NotImplementedError naming the call.
"""
import slotbridge


def _covered(kind, name):
    raise NotImplementedError(f"clearml {kind}.{name} is not covered by slotbridge; see the clearml module's docstring for what is")


_TEXT_EXTENSIONS = (".txt", ".md", ".csv", ".json", ".log")


class Logger:
    _current = None

    @classmethod
    def current_logger(cls):
        if cls._current is None:
            cls._current = Logger()
        return cls._current

    def report_scalar(self, title, series, value, iteration):
        slotbridge.report_scalar(title, series, iteration, value)

    def report_single_value(self, name, value):
        slotbridge.report_scalar("Summary", name, 0, value)

    def report_text(self, msg, level=None, print_console=True, **kwargs):
        slotbridge.report_log(msg)

    def report_plotly(self, title, series, figure, iteration=None, **kwargs):
        slotbridge.report_plot(title, series, figure if isinstance(figure, dict) else dict(figure))

    def report_line_plot(self, title, series, xaxis=None, yaxis=None, mode="lines", iteration=None, **kwargs):
        data = [{"type": "scatter", "mode": mode, "name": s.name, "x": [p[0] for p in s.data], "y": [p[1] for p in s.data]} for s in series]
        slotbridge.report_plot(title, title, {"data": data, "layout": {"xaxis": {"title": xaxis}, "yaxis": {"title": yaxis}}})

    def report_media(self, title, series, iteration=None, local_path=None, stream=None, file_extension=None, **kwargs):
        text = None
        if stream is not None and hasattr(stream, "getvalue"):
            value = stream.getvalue()
            text = value if isinstance(value, str) else None
        elif local_path is not None and str(local_path).lower().endswith(_TEXT_EXTENSIONS):
            with open(local_path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        if text is None:
            _covered("Logger", "report_media of anything but text")
        slotbridge.report_log(f"{title} / {series}{'' if iteration is None else f' #{iteration}'}:\n{text}")

    def flush(self, wait=False):
        return True

    def __getattr__(self, name):
        _covered("Logger", name)


class Task:
    _current = None

    def __init__(self, project_name=None, task_name=None):
        self.project = project_name
        self.name = task_name
        self.id = f"task-{id(self):x}"

    @classmethod
    def init(cls, project_name=None, task_name=None, *args, **kwargs):
        cls._current = Task(project_name, task_name)
        return cls._current

    @classmethod
    def current_task(cls):
        return cls._current

    def _hyperparams(self):
        return slotbridge.app_settings().get("hyperparams", {}) or {}

    def connect(self, mutable, name=None):
        """The app's settings win, as a remote run's hyperparameters do: a dict is updated in place."""
        section = self._hyperparams().get(name or "General", {})
        if isinstance(mutable, dict):
            for key in list(mutable):
                if key in section:
                    mutable[key] = section[key]
            return mutable
        for key, value in section.items():
            if hasattr(mutable, key):
                setattr(mutable, key, value)
        return mutable

    def get_parameters(self, *args, **kwargs):
        return {f"{section}/{key}": value for section, values in self._hyperparams().items() for key, value in (values or {}).items()}

    def get_parameters_as_dict(self, *args, **kwargs):
        return {section: dict(values or {}) for section, values in self._hyperparams().items()}

    def get_parameter(self, name, default=None):
        return self.get_parameters().get(name, default)

    def set_parameter(self, name, value, **kwargs):
        """Saves one of the app's settings (what the dashboard shows); done before the run ends."""
        section, _, key = name.rpartition("/")
        slotbridge.run_soon(slotbridge.settings.set(f"hyperparams.{section or 'General'}.{key}", value))

    def get_logger(self):
        return Logger.current_logger()

    def flush(self, wait_for_uploads=False):
        return True

    def close(self):
        Task._current = None

    def mark_completed(self, *args, **kwargs):
        Task._current = None

    def __getattr__(self, name):
        _covered("Task", name)


def __getattr__(name):
    _covered("clearml", name)
