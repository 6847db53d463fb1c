/** Under `slotbridge dev`: reloads the app's panels or the page when its files change, and shows an invalid manifest. */
import type { Host } from '../../src/index.js';
import type { DevMessage } from '../../src/cli/serve/platform-config.js';

export function followDevServer(host: Host, events: string, app: () => string | undefined, problems: HTMLElement): () => void {
  const source = new EventSource(events);
  source.onmessage = (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as DevMessage;
    if (message.type === 'invalid') {
      // Validator messages are shown as text.
      problems.textContent = `${message.file} is not valid; still running the last valid version:\n${message.errors.join('\n')}`;
      problems.hidden = false;
      return;
    }
    problems.hidden = true;
    if (message.type === 'reload' && message.scope === 'panels') {
      const name = app();
      for (const panel of host.panels) if (panel.app === name) panel.reload();
    } else {
      location.reload();
    }
  };
  return () => source.close();
}
