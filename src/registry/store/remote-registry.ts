/**
 * `remoteRegistry({ url, token })`: the registry on a registry service, for
 * `createHost({ registry })`. The store itself loads on first use.
 */
import type { RemoteRegistryOptions } from './remote-store.js';
import type { RegistryStore } from './registry-store.js';
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import type { Untrusted } from '../../errors/untrusted.js';

export type { RemoteRegistryOptions };

const READS = [
  'load',
  'write',
  'storageGet',
  'storageKeys',
  'storageCount',
  'storageEntries',
  'reports',
  'artifacts',
  'artifact',
  'artifactData',
] as const;

export function remoteRegistry(options: RemoteRegistryOptions): RegistryStore {
  const given = options as Untrusted<RemoteRegistryOptions> | undefined;
  if (typeof given?.url !== 'string' || !/^https?:\/\/[^/]/.test(given.url)) {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      "remoteRegistry takes { url, token }: the service's http(s) URL, such as https://registry.example.com.",
    );
  }
  if (typeof options.token !== 'string' && typeof options.token !== 'function') {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      "remoteRegistry needs the user's token (the platform's backend signs it), or a function that returns one.",
    );
  }
  const store = import('./remote-store.js').then(({ RemoteStore }) => new RemoteStore(options));
  let closed = false;
  // Every read and write waits for the store to load, then is its own.
  const forward = Object.fromEntries(
    READS.map((name) => [
      name,
      async (...args: unknown[]) => {
        const s = await store;
        return (s[name] as (...a: unknown[]) => unknown).apply(s, args);
      },
    ]),
  );
  return {
    ...(forward as unknown as Omit<RegistryStore, 'onRemoteChange' | 'close' | 'runs'>),
    runs: { execute: async (request) => (await store).execute(request) },
    onRemoteChange(listener) {
      let off: (() => void) | undefined;
      void store.then((s) => (off = closed ? undefined : s.onRemoteChange(listener)));
      return () => off?.();
    },
    close() {
      closed = true;
      void store.then((s) => s.close());
    },
  };
}
