"""ClearML's simple-app task, written as ClearML writes tasks: ``Task.init``,
the wizard's hyperparameters through ``connect``, results saved back as
parameters (the dashboard's html boxes show them), a plot and log lines
through the task's logger. The platform's api is awaited at the top level.
"""
import random

from clearml import Task

import slotbridge

task = Task.init(project_name="simple-app", task_name="run")
params = {"a_bool": False, "a_string": "", "a_project_id": ""}
task.connect(params, name="General")
logger = task.get_logger()

if not params["a_project_id"]:
    raise ValueError("Choose a project in the settings and save them, then run again.")
logger.report_text(f"Run started: a_bool={params['a_bool']}, a_string={params['a_string']!r}")

project = await slotbridge.api.projects.get(str(params["a_project_id"]))  # noqa: F704 - a task script may await the host
task.set_parameter("General/project_name", project["name"])
task.set_parameter("General/tasks_count", str(project["items"]))
logger.report_text(f'Project "{project["name"]}" holds {project["items"]} items in {project["datasets"]} datasets.')

# main.py reported a random scatter plot; a random walk reads better.
x = list(range(30))
y, level = [], 0.0
for _ in x:
    level += random.random() - 0.5
    y.append(level)
logger.report_plotly(title="Plots", series="plot", figure={"data": [{"x": x, "y": y, "type": "scatter", "mode": "lines", "name": "random walk"}], "layout": {"title": "A random plot"}})

text = slotbridge.app_settings().get("configuration", {}).get("text_blob")
if text:
    logger.report_text(f"Text blob: {str(text)[:200]}")
logger.report_text("Run finished.")
