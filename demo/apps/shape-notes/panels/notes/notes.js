// A Dataloop panel as Dataloop authors write one: window.dl from @dataloop-ai/jssdk,
// the active item read with dl.items.get(), a note saved with dl.items.update(),
// and the item followed through the platform's CRUD notifications (dl.on('data')).
const $ = (id) => document.getElementById(id);
let item;

function show(next) {
  item = next;
  $('image').src = item.stream;
  $('image').alt = item.name;
  $('name').textContent = item.name;
  const system = item.metadata.system || {};
  $('size').textContent = `${system.width} × ${system.height} px · ${system.mimetype}`;
  const user = item.metadata.user || {};
  const rows = Object.entries(user).filter(([key]) => key !== 'note');
  $('metadata').replaceChildren(
    ...(rows.length ? rows : [['(none)', '']]).flatMap(([key, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = key;
      const dd = document.createElement('dd');
      dd.textContent = readable(value);
      return [dt, dd];
    }),
  );
  if (document.activeElement !== $('note')) $('note').value = user.note || '';
  // The platform sizes the frame to what the panel shows.
  requestAnimationFrame(() => dl.sendEvent({ name: 'app:setHeight', payload: document.documentElement.scrollHeight }));
}

/** A value as a person reads it: an object's fields as `name value`, joined by ` · `; a list with commas. */
function readable(value) {
  if (Array.isArray(value)) return value.map(readable).join(', ');
  if (value && typeof value === 'object')
    return Object.entries(value)
      .map(([key, v]) => `${key} ${readable(v)}`)
      .join(' · ');
  return String(value);
}

function applyTheme(theme) {
  document.body.classList.toggle('dark', theme === 'dark');
}

window.dl.init();

dl.on('ready', async () => {
  const settings = await dl.settings.get();
  applyTheme(settings.theme);
  show(await dl.items.get());
  $('waiting').hidden = true;
  $('app').hidden = false;
});

dl.on('theme', applyTheme);

dl.on('data', (message) => {
  const change = message.data || {};
  if (message.type === 'app' && change.scope === 'item' && change.crud === 'updated' && change.data && item && change.data.id === item.id) show(change.data);
});

// A click, not a form's submit: a sandboxed frame without allow-forms submits no form.
$('save').addEventListener('click', async () => {
  $('status').textContent = 'Saving…';
  try {
    show(await dl.items.update({ id: item.id, metadata: { user: { note: $('note').value || null } } }));
    $('status').textContent = 'Saved';
    dl.sendEvent({ name: 'app:toastMessage', payload: { message: `Note saved on ${item.name}`, type: 'success' } });
  } catch (err) {
    $('status').textContent = `Not saved: ${err.message || err}`;
  }
});
