// Metadata viewer: the current item's metadata and annotations, kept current
// through the platform's `item:updated` and `annotation:created` events.
import { connect } from 'slotbridge/guest';

const host = await connect({ autoResize: true });
const $ = (id) => document.getElementById(id);
let item = host.context.item;

const text = (tag, value) => Object.assign(document.createElement(tag), { textContent: value });
// Values as a person reads them: `brightness 150 · contrast 100`, lists with commas, text without quotes.
const format = (value) =>
  Array.isArray(value)
    ? value.map(format).join(', ')
    : value && typeof value === 'object'
      ? Object.entries(value)
          .map(([key, v]) => `${key} ${format(v)}`)
          .join(' · ')
      : String(value);

async function show() {
  if (!item) {
    $('name').textContent = 'No item';
    return;
  }
  // Read fresh from the platform: the context carries what the page had, the api what is stored.
  const [current, annotations] = await Promise.all([host.api.items.get(item.id), host.api.annotations.list(item.id)]);
  $('name').textContent = current.name;
  $('metadata').replaceChildren(
    ...[['size', `${current.width} × ${current.height}`], ...Object.entries(current.metadata)].flatMap(([k, v]) => [text('dt', k), text('dd', format(v))]),
  );
  $('annotations').replaceChildren(...annotations.map((a) => text('li', `${a.label} by ${a.app}: ${format(a.data)}`)));
  $('no-annotations').hidden = annotations.length > 0;
}

const applyTheme = (theme) => document.body.classList.toggle('dark', theme === 'dark');
applyTheme(host.context.theme);
host.on('theme', applyTheme);
host.on('context', (context) => {
  item = context.item;
  void show();
});
host.on('item:updated', (updated) => updated?.id === item?.id && void show());
host.on('annotation:created', (annotation) => annotation?.item === item?.id && void show());
await show();
