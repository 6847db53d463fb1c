// Draws the demo's sample images (small SVGs of coloured shapes) and their
// index, deterministically: `node demo/tools/draw-images.mjs` rewrites
// demo/images/ with the same bytes every time.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const out = new URL('../images/', import.meta.url);
const COUNT = 36;
const WIDTH = 320;
const HEIGHT = 240;
const COLORS = { red: '#e0524a', blue: '#3f7fd9', green: '#3fa66b', yellow: '#e9b93c', purple: '#8d5fd3' };
const BACKGROUNDS = ['#f4efe6', '#e8f0f7', '#eef5ea', '#f6ecf1', '#2b3140', '#1f2a33'];
const KINDS = ['circle', 'square', 'triangle'];

// A small fixed-seed generator (mulberry32): the same images on every run.
let seed = 0x5eed;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

function shape(kind, color, x, y, r) {
  const fill = COLORS[color];
  const data = `data-kind="${kind}" data-color="${color}"`;
  if (kind === 'circle') return `<circle ${data} cx="${x}" cy="${y}" r="${r}" fill="${fill}"/>`;
  if (kind === 'square') return `<rect ${data} x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" rx="3" fill="${fill}"/>`;
  return `<polygon ${data} points="${x},${y - r} ${x + r},${y + r} ${x - r},${y + r}" fill="${fill}"/>`;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const index = [];
for (let i = 1; i <= COUNT; i++) {
  const file = `shapes-${String(i).padStart(2, '0')}.svg`;
  const background = pick(BACKGROUNDS);
  const count = 1 + Math.floor(random() * 9);
  const shapes = [];
  const placed = [];
  for (let tries = 0; shapes.length < count && tries < 200; tries++) {
    const r = 14 + Math.floor(random() * 16);
    const x = r + 4 + Math.floor(random() * (WIDTH - 2 * r - 8));
    const y = r + 4 + Math.floor(random() * (HEIGHT - 2 * r - 8));
    // Shapes do not overlap: each stays countable by eye.
    if (placed.some((p) => Math.hypot(p.x - x, p.y - y) < p.r + r + 6)) continue;
    placed.push({ x, y, r });
    shapes.push({ kind: pick(KINDS), color: pick(Object.keys(COLORS)), x, y, r });
  }
  const body = shapes.map((s) => shape(s.kind, s.color, s.x, s.y, s.r)).join('');
  writeFileSync(
    new URL(file, out),
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>\n`,
  );
  const dark = background === '#2b3140' || background === '#1f2a33';
  index.push({ file, width: WIDTH, height: HEIGHT, background: dark ? 'dark' : 'light', objects: shapes.length });
}
writeFileSync(new URL('index.json', out), `${JSON.stringify(index, null, 1)}\n`);
console.log(`drew ${COUNT} images in demo/images/`);
