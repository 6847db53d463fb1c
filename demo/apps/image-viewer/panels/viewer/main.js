// Image viewer: brightness and contrast as CSS filters; "Save adjustment"
// writes an annotation (annotations:write) and the item's metadata (items:write).
import { connect } from 'slotbridge/guest';

const host = await connect({ autoResize: true });
const $ = (id) => document.getElementById(id);
const image = $('image');
let item = host.context.item;

function values() {
  return { brightness: Number($('brightness').value), contrast: Number($('contrast').value) };
}

function apply() {
  const { brightness, contrast } = values();
  image.style.filter = `brightness(${brightness}%) contrast(${contrast}%)`;
  $('brightness-value').textContent = `${brightness}%`;
  $('contrast-value').textContent = `${contrast}%`;
}

function show() {
  if (!item) return;
  // The platform's image URL must be http(s): anything else is not shown.
  image.src = /^https?:\/\//.test(item.url) ? item.url : '';
  image.alt = item.name;
  const saved = item.metadata?.adjustment ?? {};
  $('brightness').value = String(saved.brightness ?? 100);
  $('contrast').value = String(saved.contrast ?? 100);
  $('status').textContent = '';
  apply();
}

$('adjust').addEventListener('input', apply);
$('reset').addEventListener('click', () => {
  $('brightness').value = '100';
  $('contrast').value = '100';
  apply();
});
// A click, not a form submit: a sandbox without allow-forms never fires submit.
$('save').addEventListener('click', async () => {
  const adjustment = values();
  $('save').disabled = true;
  try {
    await host.api.annotations.create(item.id, { label: 'adjustment', data: adjustment });
    await host.api.items.update(item.id, { metadata: { adjustment } });
    $('status').textContent = 'Saved';
    await host.ui.notify({ message: `Saved brightness ${adjustment.brightness}% and contrast ${adjustment.contrast}% for ${item.name}`, level: 'success' });
  } catch (err) {
    $('status').textContent = '';
    await host.ui.notify({ message: `Not saved: ${err.message}`, level: 'error' });
  } finally {
    $('save').disabled = false;
  }
});

const applyTheme = (theme) => document.body.classList.toggle('dark', theme === 'dark');
applyTheme(host.context.theme);
host.on('theme', applyTheme);
host.on('context', (context) => {
  item = context.item;
  show();
});
show();
