/**
 * Sandbox escapes: a panel tries every way out of its frame. Where the
 * manifest can grant a token, the same attempt from a panel granted it
 * (`allowances`) shows that the check would see an escape.
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { createHarness, type Harness } from '../browser/bridge/harness.js';
import { waitForAsync } from '../browser/wait-for.js';
import { attacks, honestStillWorks } from './attack.js';

describe('security: sandbox escapes', () => {
  let h: Harness;
  const attack = attacks('sandbox escape', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
    await h.mountGuest('evil');
  });

  afterEach(() => h.destroy());

  const escape = async (tag: string, kind: string) => (await h.command(tag, 'escape', { kind })).value as { blocked?: string; result?: unknown };

  /** Runs the escape in the hostile panel, then in a granted one; resolves with what the browser saw of each. */
  async function againstControl(kind: string, seen: 'dialogs' | 'popups' | 'downloads') {
    await executeServerCommand('browser-watch', { op: 'start' });
    try {
      const hostile = await escape('evil', kind);
      await h.mountGuest('granted', { panel: 'allowances' });
      const granted = await escape('granted', kind);
      // The granted attempt shows up in the browser; by then the hostile one would have too.
      const counts = await waitForAsync(async () => {
        const read = (await executeServerCommand('browser-watch', { op: 'read' })) as Record<string, number>;
        return read[seen]! > 0 ? read : undefined;
      }, `the granted panel's ${kind}`);
      return { hostile, granted, counts };
    } finally {
      await executeServerCommand('browser-watch', { op: 'stop' });
    }
  }

  attack('navigates the top window: SecurityError, the page stays', async () => {
    const before = location.href;
    expect(await escape('evil', 'topNavigation')).to.deep.equal({ blocked: 'SecurityError' });
    expect(location.href).to.equal(before);
  });

  attack('navigates its parent with location.replace: SecurityError', async () => {
    const before = location.href;
    expect(await escape('evil', 'parentNavigation')).to.deep.equal({ blocked: 'SecurityError' });
    expect(location.href).to.equal(before);
  });

  attack('opens a popup without allow-popups: window.open gives null, no window opens', async () => {
    const { hostile, granted, counts } = await againstControl('popup', 'popups');
    expect(hostile).to.deep.equal({ result: 'refused' });
    expect(granted).to.deep.equal({ result: 'opened' });
    expect(counts.popups).to.equal(1, 'only the granted panel opened one');
  });

  attack('starts a download without allow-downloads: the browser starts none', async () => {
    const { granted, counts } = await againstControl('download', 'downloads');
    expect(granted).to.deep.equal({ result: 'clicked' });
    expect(counts.downloads).to.equal(1, 'only the granted panel started one');
  });

  attack('submits a form without allow-forms: no submission', async () => {
    expect(await escape('evil', 'form')).to.deep.equal({ result: 'refused' });
    await h.mountGuest('granted', { panel: 'allowances' });
    expect(await escape('granted', 'form')).to.deep.equal({ result: 'submitted' });
  });

  attack('shows alert, confirm and prompt without allow-modals: none is shown', async () => {
    const { hostile, counts } = await againstControl('modals', 'dialogs');
    expect(hostile).to.deep.equal({ result: { confirm: false, prompt: null } });
    // The granted panel's alert, confirm and prompt, each dismissed by the watch; none of the hostile panel's.
    expect(counts.dialogs).to.equal(3);
    return { tried: 3 };
  });

  attack('reads parent.document: SecurityError', async () => {
    expect(await escape('evil', 'parentDocument')).to.deep.equal({ blocked: 'SecurityError' });
  });

  attack("reads the host's location and globals: SecurityError", async () => {
    (window as unknown as Record<string, unknown>)['sbHostSecret'] = 'do not leak';
    try {
      expect(await escape('evil', 'parentLocation')).to.deep.equal({ blocked: 'SecurityError' });
      expect(await escape('evil', 'parentGlobals')).to.deep.equal({ blocked: 'SecurityError' });
    } finally {
      delete (window as unknown as Record<string, unknown>)['sbHostSecret'];
    }
  });

  attack('reaches for an opener: there is none', async () => {
    expect(await escape('evil', 'opener')).to.deep.equal({ result: { opener: null, topOpener: null } });
  });

  attack("reads another panel's document through parent.frames: SecurityError", async () => {
    expect(await escape('evil', 'siblingDocument')).to.deep.equal({ blocked: 'SecurityError' });
  });

  attack("reads the user's cookies, localStorage and IndexedDB: SecurityError (an opaque origin has none)", async () => {
    document.cookie = 'sb-session=secret; SameSite=Strict';
    localStorage.setItem('sb-host-secret', 'secret');
    try {
      for (const kind of ['cookies', 'localStorage', 'indexedDB']) expect(await escape('evil', kind), kind).to.deep.equal({ blocked: 'SecurityError' });
    } finally {
      document.cookie = 'sb-session=; Max-Age=0';
      localStorage.removeItem('sb-host-secret');
    }
    return { tried: 3 };
  });
});
