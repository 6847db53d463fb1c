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

// The stored mask is a PNG of WIDTH × HEIGHT pixels, a covered cell amber and
// half opaque, the others transparent: the platform can draw it over the image.
const COVERED = [255, 186, 0, 150];

async function encodeMask({ value }) {
  const pixels = new ImageData(value.width, value.height);
  value.bits.forEach((bit, i) => bit && pixels.data.set(COVERED, i * 4));
  const canvas = new OffscreenCanvas(value.width, value.height);
  canvas.getContext('2d').putImageData(pixels, 0, 0);
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

async function decodeMask({ data, mediaType }) {
  let image;
  try {
    image = await createImageBitmap(new Blob([data], { type: mediaType }));
  } catch {
    throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'This is not a shape mask: it is not a PNG image.');
  }
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const { data: rgba } = context.getImageData(0, 0, image.width, image.height);
  const bits = new Uint8Array(image.width * image.height);
  for (let i = 0; i < bits.length; i++) bits[i] = rgba[i * 4 + 3] > 0 ? 1 : 0;
  return { width: image.width, height: image.height, bits };
}

await connect({ functions: { make_mask: makeMask, measure_mask: measureMask, encode_mask: encodeMask, decode_mask: decodeMask } });
