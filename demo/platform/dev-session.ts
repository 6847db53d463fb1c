/**
 * Under `slotbridge dev`: reloads the app's panels or the page when its files
 * change, shows an invalid manifest, and sends what the apps print or log to
 * the terminal.
 */
import type { Host } from '../../src/index.js';
import { MAX_PRINTED, type DevMessage, type PrintedLines } from '../../src/cli/serve/platform-config.js';

export function followDevServer(
  host: Host,
  server: { events: string; printed?: string },
  app: () => string | undefined,
  problems: HTMLElement,
): () => void {
  const stopPrinting = server.printed ? sendPrinted(host, server.printed) : () => undefined;
  const source = new EventSource(server.events);
  source.onmessage = (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as DevMessage;
    if (message.type === 'invalid') {
      // Validator messages are shown as text.
      problems.textContent = `${message.file} is not valid; still running the last valid version:\n${message.errors.join('\n')}`;
      problems.hidden = false;
      return;
    }
    problems.hidden = true;
    if (message.scope === 'panels') {
      const name = app();
      for (const panel of host.panels) if (panel.app === name) panel.reload();
    } else {
      location.reload();
    }
  };
  return () => {
    source.close();
    stopPrinting();
  };
}

/** The lines apps print or log (their `log` reports), sent to the terminal a few at a time, in order. */
function sendPrinted(host: Host, url: string): () => void {
  let waiting: PrintedLines = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sent = Promise.resolve();
  const flush = () => {
    timer = undefined;
    const lines = waiting.splice(0, MAX_PRINTED);
    if (waiting.length) timer = setTimeout(flush, 0);
    const body = JSON.stringify(lines);
    sent = sent.then(() =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
        () => undefined,
        () => undefined,
      ),
    );
  };
  const heard = (report: { kind: string; app: string; [key: string]: unknown }) => {
    if (report.kind !== 'log' || typeof report['text'] !== 'string') return;
    waiting.push({ app: report.app, text: report['text'] });
    timer ??= setTimeout(flush, 50);
  };
  host.on('report', heard);
  return () => {
    host.off('report', heard);
    clearTimeout(timer);
    waiting = [];
  };
}
