/**
 * The service's change stream (`GET /v1/changes/stream`, Server-Sent
 * Events), kept open from a seq: opened again after a break (waiting 0.5 s,
 * doubling up to a minute), each change handed on with its run when it is
 * a run's. A stream that sends no event boundary within 1 MB is dropped.
 */
import type { ServiceClient } from './service-client.js';

const RETRY_MS = 500;

/** A change as the stream hands it on: its number, and for a run's change the run and what it became (`call`: it waits for an answer). */
export interface RunChange {
  seq: string;
  run?: string;
  status?: string | undefined;
}

export class ChangeStream {
  readonly #url: string;
  readonly #client: ServiceClient;
  readonly #onChange: (change: RunChange) => void;
  #seq: string;
  #retry = RETRY_MS;
  #closed = false;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string, client: ServiceClient, since: string, onChange: (change: RunChange) => void) {
    this.#url = url;
    this.#client = client;
    this.#seq = since;
    this.#onChange = onChange;
    this.#open();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }

  #open(): void {
    if (this.#closed) return;
    const controller = (this.#controller = new AbortController());
    void this.#read(controller)
      .catch(() => undefined)
      .finally(() => {
        if (this.#closed || controller.signal.aborted) return;
        this.#timer = setTimeout(() => this.#open(), this.#retry);
        this.#retry = Math.min(this.#retry * 2, 60_000);
      });
  }

  async #read(controller: AbortController, retried = false): Promise<void> {
    const token = await this.#client.credentials(retried);
    const response = await fetch(`${this.#url}/v1/changes/stream?since=${this.#seq}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    if (response.status === 401 && !retried && this.#client.refreshes) return this.#read(controller, true);
    if (!response.ok || !response.body) return;
    this.#retry = RETRY_MS;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: ?(\d+)$/m.exec(event)?.[1];
        if (!/^event: ?change$/m.test(event) || id === undefined) continue;
        this.#seq = id;
        const run = /^data: ?.*"kind":"run:changed".*"run":"([^"]+)","status":"([^"]+)"/m.exec(event);
        this.#onChange(run ? { seq: id, run: run[1], status: run[2] } : { seq: id });
      }
      if (buffer.length > 1024 * 1024) {
        controller.abort();
        return;
      }
    }
  }
}
