// A hostile panel: every attempt below should be refused, by the browser's
// sandbox or by the host. Each outcome is listed here, and the host's
// inspector shows the refusals on its side.
import { connect } from 'slotbridge/guest';

const host = await connect({ autoResize: true });
const list = document.getElementById('attempts');
const results = [];

const ATTEMPTS = 13;
const summary = document.getElementById('summary');

function record(name, refused, detail) {
  results.push({ name, refused, detail });
  summary.textContent = `Trying… ${results.length} of ${ATTEMPTS} done.`;
  const line = Object.assign(document.createElement('li'), { textContent: `${name}: ${refused ? 'refused' : 'ESCAPED'} (${detail})` });
  line.dataset.outcome = refused ? 'refused' : 'escaped';
  line.dataset.attempt = name;
  list.append(line);
}

/** Runs `attempt`; a throw or a falsy result means it was refused. */
async function tryTo(name, attempt) {
  try {
    const result = await attempt();
    if (result === false || result === null || result === undefined) record(name, true, 'no effect');
    else record(name, false, String(result).slice(0, 80));
  } catch (err) {
    // slotbridge's codes are names; a DOMException's code is a legacy number (18 for a SecurityError): name it instead.
    record(name, true, typeof err.code === 'string' ? err.code : err.name || 'error');
  }
}

const item = host.context.item ?? { id: 'unknown' };
await tryTo('flood the bridge with 1,500 writes at once', async () => {
  const calls = await Promise.allSettled(Array.from({ length: 1500 }, (_, i) => host.storage.set(`flood-${i}`, i)));
  const limited = calls.filter((c) => c.status === 'rejected' && c.reason?.code === 'RATE_LIMITED').length;
  if (limited === 0) return 'all 1,500 served';
  throw Object.assign(new Error(), { code: `RATE_LIMITED ×${limited}` });
});
await tryTo('navigate the top page', () => {
  window.top.location.href = 'https://example.com/phished';
  return 'navigated';
});
await tryTo('open a popup', () => window.open('https://example.com/popup') && 'opened');
await tryTo('read the host page', () => window.parent.document.title);
await tryTo('read cookies', () => document.cookie || null);
await tryTo('use localStorage', () => (localStorage.setItem('x', '1'), 'stored'));
await tryTo('write an item without items:write', () => host.api.items.update(item.id, { metadata: { hacked: true } }).then(() => 'written'));
await tryTo('create an annotation without annotations:write', () => host.api.annotations.create(item.id, { label: 'spam' }).then(() => 'created'));
await tryTo('call a method the platform does not have', () => host.api.secrets.dump().then(() => 'called'));
await tryTo('set a setting outside its settings', () => host.settings.set('__proto__.polluted', 'yes').then(() => 'set'));
await tryTo('notify with script in it', async () => {
  await host.ui.notify({ message: '<img src=x onerror="document.body.dataset.pwned=1">shown as text', level: 'warning' });
  return null; // the host renders it as text: nothing runs
});
await tryTo('send a 1 MB notification', () => host.ui.notify({ message: 'x'.repeat(1024 * 1024) }).then(() => 'sent'));
await tryTo('open 50 windows', async () => {
  const opened = await Promise.allSettled(Array.from({ length: 50 }, () => host.ui.openPanel('mischief', { slot: 'floatingWindow' })));
  const done = opened.filter((o) => o.status === 'fulfilled').length;
  if (done > 0) return `${done} opened`;
  throw Object.assign(new Error(), { code: opened[0].reason?.code });
});
const refused = results.filter((r) => r.refused).length;
summary.textContent = `${refused} of ${results.length} attempts refused.`;
document.body.dataset.done = 'true';
await host.ui.notify({ message: `${refused} of ${results.length} attempts refused`, level: refused === results.length ? 'info' : 'error' }).catch(() => {});
