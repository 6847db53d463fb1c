// The shape masks module: `make_mask` returns a mask, which the host turns
// into an artifact with `encode_mask` and stores; `measure_mask` receives a
// stored mask back through `decode_mask`. The codecs are plain functions of
// this module, named by the manifest's components.artifacts.
import { connect, SlotbridgeError, ErrorCode } from 'slotbridge/guest';

const WIDTH = 64;
const HEIGHT = 48;

/** Whether the point (x, y) is inside one of the image's shapes (circle, rect or polygon). */
function covers(shape, x, y) {
  const n = (name) => Number(shape.getAttribute(name));
  switch (shape.localName) {
    case 'circle':
      return (x - n('cx')) ** 2 + (y - n('cy')) ** 2 <= n('r') ** 2;
    case 'rect':
      return x >= n('x') && x <= n('x') + n('width') && y >= n('y') && y <= n('y') + n('height');
    case 'polygon': {
      const points = shape.getAttribute('points').trim().split(/\s+/).map((p) => p.split(',').map(Number));
      let inside = false;
      for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const [xi, yi] = points[i];
        const [xj, yj] = points[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
    default:
      return false;
  }
}

async function makeMask({ item }) {
  if (!/^https?:\/\//.test(item.url ?? '')) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'The item has no http(s) image URL to mask.');
  const response = await fetch(item.url);
  if (!response.ok) throw new Error(`Cannot load the image (${response.status}).`);
  // Parsed as an image document, never inserted into this page.
  const svg = new DOMParser().parseFromString(await response.text(), 'image/svg+xml').documentElement;
  const [, , width, height] = (svg.getAttribute('viewBox') ?? `0 0 ${svg.getAttribute('width')} ${svg.getAttribute('height')}`).split(/\s+/).map(Number);
  const shapes = [...svg.querySelectorAll('[data-kind]')];
  const bits = new Uint8Array(WIDTH * HEIGHT);
  // One sample at the centre of each cell.
  for (let row = 0; row < HEIGHT; row++) {
    for (let col = 0; col < WIDTH; col++) {
      const x = ((col + 0.5) / WIDTH) * width;
      const y = ((row + 0.5) / HEIGHT) * height;
      if (shapes.some((shape) => covers(shape, x, y))) bits[row * WIDTH + col] = 1;
    }
  }
  return { width: WIDTH, height: HEIGHT, bits };
}

function measureMask({ mask }) {
  const cells = mask.bits.reduce((sum, bit) => sum + bit, 0);
  return [cells, cells / (mask.width * mask.height)];
}

function encodeMask({ value }) {
  const bytes = new Uint8Array(2 + value.bits.length);
  bytes.set([value.width, value.height]);
  bytes.set(value.bits, 2);
  return bytes;
}

function decodeMask({ data }) {
  if (data.length !== 2 + data[0] * data[1]) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'This is not a shape mask: its size does not match its header.');
  return { width: data[0], height: data[1], bits: data.subarray(2) };
}

await connect({ functions: { make_mask: makeMask, measure_mask: measureMask, encode_mask: encodeMask, decode_mask: decodeMask } });
