// Dataset insights: a bar chart of the dataset's images by how many shapes
// each holds, drawn as SVG elements (no markup strings, nothing to inject).
import { connect } from 'slotbridge/guest';

const host = await connect({ autoResize: true });
const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

async function show(dataset) {
  if (!dataset) return;
  const items = await host.api.items.list(dataset.id);
  const counts = new Map();
  for (const item of items) {
    const n = Number(item.metadata.objects ?? 0);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const shapes = [...counts.keys()].sort((a, b) => a - b);
  const max = Math.max(1, ...counts.values());
  const total = items.reduce((sum, item) => sum + Number(item.metadata.objects ?? 0), 0);
  $('title').textContent = `${dataset.name}: insights`;
  $('summary').textContent = `${items.length} images, ${total} shapes, ${(total / Math.max(1, items.length)).toFixed(1)} per image.`;

  const chart = $('chart');
  chart.replaceChildren(chart.querySelector('title'));
  // The x axis's title goes under its ticks, so that neither covers the other.
  const width = 640, height = 220, left = 28, bottom = 40, top = 14;
  const slot = (width - left) / Math.max(1, shapes.length);
  chart.append(svg('text', { class: 'axis', x: 0, y: 10 }, 'images'));
  shapes.forEach((n, i) => {
    const value = counts.get(n);
    const h = ((height - bottom - top) * value) / max;
    const x = left + i * slot + slot * 0.15;
    const y = height - bottom - h;
    const bar = svg('rect', { class: 'bar', x, y, width: slot * 0.7, height: h, rx: 3, 'data-shapes': n });
    bar.append(svg('title', {}, `${value} image${value === 1 ? '' : 's'} with ${n} shape${n === 1 ? '' : 's'}`));
    chart.append(bar, svg('text', { class: 'value', x: x + slot * 0.35, y: y - 3, 'text-anchor': 'middle' }, value));
    chart.append(svg('text', { class: 'label', x: x + slot * 0.35, y: height - bottom + 14, 'text-anchor': 'middle' }, `${n}`));
  });
  chart.append(svg('text', { class: 'axis', x: left + (width - left) / 2, y: height - 6, 'text-anchor': 'middle' }, 'shapes in the image'));
}

const applyTheme = (theme) => document.body.classList.toggle('dark', theme === 'dark');
applyTheme(host.context.theme);
host.on('theme', applyTheme);
host.on('context', (context) => void show(context.dataset));
await show(host.context.dataset);
