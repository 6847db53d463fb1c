// The object counter's module: a headless page whose function the host runs
// (`host.execute`, or the toolbar button). Inputs arrive by name, typed as the
// manifest declares (item: Item, kind: String); the outputs go back in order
// (count: Integer, by_color: Json).
import { connect, SlotbridgeError, ErrorCode } from 'slotbridge/guest';

const KINDS = new Set(['any', 'circle', 'square', 'triangle']);

async function countObjects({ item, kind }) {
  if (!KINDS.has(kind)) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, `kind is one of ${[...KINDS].join(', ')}, not "${kind}".`);
  if (!/^https?:\/\//.test(item.url ?? '')) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'The item has no http(s) image URL to count in.');
  const response = await fetch(item.url);
  if (!response.ok) throw new Error(`Cannot load the image (${response.status}).`);
  // Parsed as an image document, never inserted into this page.
  const image = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
  const shapes = [...image.querySelectorAll('[data-kind]')].filter((shape) => kind === 'any' || shape.getAttribute('data-kind') === kind);
  const byColor = {};
  for (const shape of shapes) {
    const color = shape.getAttribute('data-color') ?? 'unknown';
    byColor[color] = (byColor[color] ?? 0) + 1;
  }
  return [shapes.length, byColor];
}

await connect({ functions: { count_objects: countObjects } });
