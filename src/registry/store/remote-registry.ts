/**
 * `remoteRegistry({ url, token })`: the registry on a registry service, for
 * `createHost({ registry })`. The store itself loads on first use.
 */
import type { RemoteRegistryOptions } from './remote-store.js';
import type { RegistryStore, StoreWrite } from './registry-store.js';
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';

export type { RemoteRegistryOptions };

export function remoteRegistry(options: RemoteRegistryOptions): RegistryStore {
  if (!options || typeof options.url !== 'string' || !/^https?:\/\/[^/]/.test(options.url)) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'remoteRegistry takes { url, token }: the service\'s http(s) URL, such as https://registry.example.com.');
  }
  if (typeof options.token !== 'string' && typeof options.token !== 'function') {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'remoteRegistry needs the user\'s token (the platform\'s backend signs it), or a function that returns one.');
  }
  const store = import('./remote-store.js').then(({ RemoteStore }) => new RemoteStore(options));
  let closed = false;
  const use = async <T>(fn: (s: RegistryStore) => Promise<T>): Promise<T> => fn(await store);
  return {
    load: () => use((s) => s.load()),
    write: (writes: readonly StoreWrite[]) => use((s) => s.write(writes)),
    storageGet: (p, a, k) => use((s) => s.storageGet(p, a, k)),
    storageKeys: (p, a) => use((s) => s.storageKeys(p, a)),
    storageCount: (p, a) => use((s) => s.storageCount(p, a)),
    storageEntries: (p, a) => use((s) => s.storageEntries(p, a)),
    reports: (p, a) => use((s) => s.reports(p, a)),
    artifacts: (p, a) => use((s) => s.artifacts(p, a)),
    artifact: (id) => use((s) => s.artifact(id)),
    artifactData: (id) => use((s) => s.artifactData(id)),
    onRemoteChange(listener) {
      let off: (() => void) | undefined;
      void store.then((s) => (off = closed ? undefined : s.onRemoteChange?.(listener)));
      return () => off?.();
    },
    close() {
      closed = true;
      void store.then((s) => s.close());
    },
  };
}
