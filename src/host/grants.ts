/**
 * What each app's installation grants now, read on every call (a re-install
 * with less takes effect at once), and what a frame may therefore call.
 */
import type { CallRouter } from '../bridge/router.js';
import type { FrameSession } from '../bridge/session.js';
import type { Registry } from '../registry/registry.js';
import type { Installation } from '../registry/types.js';

const NO_GRANT: ReadonlySet<string> = new Set();

export class Grants {
  /** As a set, made once per installation record (a re-install makes a new record). */
  readonly #sets = new WeakMap<Installation, ReadonlySet<string>>();

  readonly #registry: Registry;
  readonly #router: CallRouter;

  constructor(registry: Registry, router: CallRouter) {
    this.#registry = registry;
    this.#router = router;
  }

  of(app: string, project: string): ReadonlySet<string> {
    const installation = this.#registry.installation(app, project);
    if (!installation) return NO_GRANT;
    let grant = this.#sets.get(installation);
    if (!grant) this.#sets.set(installation, (grant = new Set(installation.grant)));
    return grant;
  }

  /** The `namespace.method` names a frame may call now. */
  capabilities(frame: Pick<FrameSession, 'app' | 'project' | 'manifest'>): string[] {
    return this.#router.capabilities(this.of(frame.app, frame.project), frame.manifest.bridge);
  }
}
