/**
 * The page of a Python module frame (`slotbridge-python.html`, served by the
 * platform beside Pyodide). It starts the worker that runs the interpreter,
 * off every page's main thread, and relays the worker's handshake with the
 * host: the worker is the module's guest, holding its private port to the
 * host, so each call reaches the interpreter in one hop. This page then only
 * keeps the worker alive; if the worker cannot start, it connects itself and
 * fails each call with why.
 */
import { connect } from '../guest/connect.js';
import { FRAGMENT_ORIGIN, FRAGMENT_SECRET } from '../bridge/protocol.js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { PythonModuleConfig } from './module-config.js';
import { isHandshake } from '../bridge/native/penpal-message.js';
import type { ToRunner, ToWorker } from './worker-messages.js';

/** Worker messages this page reads at most: a handshake is two or three. */
const MAX_WORKER_MESSAGES = 8;

const config = PythonModuleConfig.parse(JSON.parse(new URLSearchParams(location.search).get('module') ?? 'null'));
const base = new URL('.', import.meta.url).href;
const fragment = new URLSearchParams(location.hash.slice(1));
const channel = fragment.get(FRAGMENT_SECRET);
const hostOrigin = fragment.get(FRAGMENT_ORIGIN);

/** Whether the worker spoke to the host: a worker failing after that is the host's to see (its calls time out). */
let relayed = false;
let fellBack = false;

try {
  if (!channel || !hostOrigin || window.parent === window) {
    throw new SlotbridgeError(
      ErrorCode.PROTOCOL_MISMATCH,
      'This Python module page was not opened by a slotbridge host (no handshake data in its URL).',
    );
  }
  const worker = await startWorker();
  // The worker runs the app's own code, which can post anything here, and reading a message is unpacking it on this
  // page's thread (the platform's own, when this page is of the platform's site). So this page reads only what a
  // handshake needs: penpal's handshake messages pass, nothing else does, and after the last (its port) nothing is read.
  let read = 0;
  // The worker runs the app's code: what it posts is read as anything.
  const fromWorker = (event: MessageEvent<unknown>): void => {
    if (++read > MAX_WORKER_MESSAGES) {
      worker.removeEventListener('message', fromWorker);
      return;
    }
    const { ports } = event;
    const data = event.data as Partial<ToRunner> | null;
    if (data?.type !== 'handshake' || !isHandshake(data.message)) return;
    relayed = true;
    window.parent.postMessage(data.message, { targetOrigin: hostOrigin, transfer: [...ports] });
    if (data.message.type === 'ACK2') worker.removeEventListener('message', fromWorker);
  };
  worker.addEventListener('message', fromWorker);
  addEventListener('message', ({ source, origin, data }) => {
    if (source !== window.parent || origin !== hostOrigin || !isHandshake(data)) return;
    post(worker, { type: 'handshake', message: data });
  });
  // A worker that cannot start (a script that fails to load) says so only here.
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    if (!relayed)
      void fallBack(
        new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `The Python worker failed: ${event.message || 'its script did not load'}.`),
      );
  });
  post(worker, { type: 'start', indexURL: base, pyBase: new URL('py/', base).href, channel, config });
} catch (err) {
  await fallBack(err);
}

async function startWorker(): Promise<Worker> {
  // An opaque origin cannot start a worker from another origin's URL, nor a module worker from its own blob: a data: URL
  // of the worker script (served with CORS) starts one, in an opaque origin of its own.
  const response = await fetch(new URL('slotbridge-python-worker.js', base));
  if (!response.ok)
    throw new SlotbridgeError(
      ErrorCode.EXECUTION_FAILED,
      `slotbridge-python-worker.js is not served beside slotbridge-python.html (${response.status}); copy it from slotbridge's dist/python/.`,
    );
  const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(await response.text())}`;
  return new Worker(url, { type: 'module', name: `python ${config.module}` });
}

/** The module cannot run here: this page is its guest instead, and each call fails with the reason. */
async function fallBack(error: unknown): Promise<void> {
  if (fellBack) return;
  fellBack = true;
  const fail = () => Promise.reject(error);
  await connect({ functions: Object.fromEntries(config.functions.map((name) => [name, fail])) });
}

function post(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}
