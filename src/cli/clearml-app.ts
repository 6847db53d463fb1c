/**
 * A ClearML app config (`*.app.conf`, HOCON, already parsed) as a slotbridge
 * manifest. The General fields, `wizard` and `dashboard` carry over (the
 * wizard's Python-style `True`/`False` become booleans where a checkbox is
 * compared or defaulted); what slotbridge has no equivalent for (the task's
 * repository, the queue) is kept under `clearml` and reported.
 */
export interface Converted {
  manifest: Record<string, unknown>;
  warnings: string[];
}

const GENERAL = ['version', 'provider', 'description', 'icon', 'badges', 'category', 'no_info_html'] as const;

export function convertClearmlApp(conf: Record<string, unknown>): Converted {
  const warnings: string[] = [];
  const manifest: Record<string, unknown> = {};
  const id = typeof conf['id'] === 'string' ? conf['id'] : typeof conf['name'] === 'string' ? slug(conf['name']) : undefined;
  if (id !== undefined) manifest['name'] = id;
  if (typeof conf['name'] === 'string') manifest['displayName'] = conf['name'];
  for (const key of GENERAL) if (conf[key] !== undefined) manifest[key] = conf[key];
  if (isRecord(conf['wizard'])) manifest['wizard'] = { ...conf['wizard'], entries: booleansFixed(list(conf['wizard']['entries']), []) };
  if (isRecord(conf['dashboard'])) manifest['dashboard'] = conf['dashboard'];

  const clearml: Record<string, unknown> = {};
  const handled = new Set<string>(['id', 'name', 'wizard', 'dashboard', ...GENERAL]);
  for (const [key, value] of Object.entries(conf)) if (!handled.has(key)) clearml[key] = value;
  const task = isRecord(conf['task']) ? conf['task'] : undefined;
  const script = task && isRecord(task['script']) ? task['script'] : undefined;
  if (script) {
    warnings.push(
      `task.script (${shown(script['repository'], 'a repository')}, ${shown(script['entry_point'], 'its entry point')}) has no slotbridge equivalent: an app's code runs in its panels and modules. Kept under clearml.task.script.`,
    );
  }
  if (conf['default_queue'] !== undefined)
    warnings.push(
      `default_queue (${shown(conf['default_queue'], 'a queue')}) has no slotbridge equivalent: nothing is queued. Kept under clearml.default_queue.`,
    );
  for (const key of Object.keys(clearml))
    if (key !== 'task' && key !== 'default_queue') warnings.push(`${key} has no slotbridge equivalent; kept under clearml.${key}.`);
  if (Object.keys(clearml).length > 0) manifest['clearml'] = clearml;
  return { manifest, warnings };
}

/** Fields' `True`/`False` strings as booleans where they meet a checkbox: its default, and conditions on it. */
function booleansFixed(entries: unknown[], earlierCheckboxes: string[]): unknown[] {
  const checkboxes = [...earlierCheckboxes];
  return entries.map((entry) => {
    if (!isRecord(entry)) return entry;
    const out: Record<string, unknown> = { ...entry };
    if (out['type'] === 'checkbox') {
      out['default'] = pythonBoolean(out['default']);
      if (typeof out['name'] === 'string') checkboxes.push(out['name']);
    }
    const conditional = isRecord(out['conditional']) ? out['conditional'] : undefined;
    if (conditional) {
      out['conditional'] = {
        ...conditional,
        entries: list(conditional['entries']).map((c) =>
          isRecord(c) && checkboxes.includes(String(c['name'])) ? { ...c, value: pythonBoolean(c['value']) } : c,
        ),
      };
    }
    if (Array.isArray(out['item_template'])) out['item_template'] = booleansFixed(out['item_template'], checkboxes);
    return out;
  });
}

function pythonBoolean(value: unknown): unknown {
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'app'
  );
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A config value as a warning names it: a string or number as itself, anything else by what it stands for. */
function shown(value: unknown, otherwise: string): string {
  return typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : otherwise;
}
