/**
 * The iframe of a frame: sandboxed, no referrer, no powerful features, and
 * the handshake data (a fresh secret and the host's origin) in its URL fragment.
 */
import { FRAGMENT_ORIGIN, FRAGMENT_SECRET } from '../bridge/protocol.js';

export interface FrameElementOptions {
  url: string;
  secret: string;
  hostOrigin: string;
  sandbox: string;
  title: string;
  app: string;
  panel: string;
}

export function createFrameElement(options: FrameElementOptions): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', options.sandbox);
  frame.title = options.title;
  frame.dataset['sbApp'] = options.app;
  frame.dataset['sbPanel'] = options.panel;
  // A panel gets what the sandbox allows and nothing else.
  frame.referrerPolicy = 'no-referrer';
  frame.allow = '';
  // The URL goes in before the frame joins the document: it then loads once, not about:blank first.
  frame.src = frameUrl(options.url, options.secret, options.hostOrigin);
  return frame;
}

function frameUrl(page: string, secret: string, hostOrigin: string): string {
  const url = new URL(page);
  const params = new URLSearchParams(url.hash.slice(1));
  params.set(FRAGMENT_SECRET, secret);
  params.set(FRAGMENT_ORIGIN, hostOrigin);
  url.hash = params.toString();
  return url.href;
}

/** 128 random bits, as hex: the frame's secret for one load. */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
