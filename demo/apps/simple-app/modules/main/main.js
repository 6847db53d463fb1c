// ClearML's simple-app (main.py), ported: read the wizard's settings, count
// the chosen project's items, write the results back as hyperparameters (the
// dashboard's html boxes show them), report a random plot and log lines.
import { connect, SlotbridgeError, ErrorCode } from 'slotbridge/guest';

async function run() {
  const settings = await host.settings.get();
  const general = settings.hyperparams.General ?? {};
  const projectId = general.a_project_id;
  if (!projectId) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'Choose a project in the settings and save them, then run again.');
  void host.report.log(`Run started: a_bool=${general.a_bool ?? 'False'}, a_string=${JSON.stringify(general.a_string ?? '')}`);
  const project = await host.api.projects.get(String(projectId));
  await host.settings.set('hyperparams.General.project_name', project.name);
  await host.settings.set('hyperparams.General.tasks_count', String(project.items));
  void host.report.log(`Project "${project.name}" holds ${project.items} items in ${project.datasets} datasets.`);

  // main.py reported a random scatter plot; a random walk reads better.
  const x = Array.from({ length: 30 }, (_, i) => i);
  let level = 0;
  const y = x.map(() => (level += Math.random() - 0.5));
  await host.report.plot('Plots', 'plot', { data: [{ x, y, type: 'scatter', mode: 'lines', name: 'random walk' }], layout: { title: 'A random plot' } });
  const text = settings.configuration.text_blob;
  if (text) void host.report.log(`Text blob: ${String(text).slice(0, 200)}`);
  await host.report.log('Run finished.');
  return [project.items];
}

const host = await connect({ functions: { run } });
