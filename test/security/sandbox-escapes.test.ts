/**
 * Sandbox escapes: a panel tries every way out of its frame. Where the
 * manifest can grant a token, the same attempt from a panel granted it
 * (`allowances`) shows that the check would see an escape.
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { createHarness, type Harness } from '../browser/bridge/harness.js';
import { waitForAsync } from '../browser/wait-for.js';
import { attacks, honestStillWorks, refusedWhen } from './attack.js';

describe('security: sandbox escapes', () => {
  let h: Harness;
  const attack = attacks('sandbox escape', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
    await h.mountGuest('evil');
  });

  afterEach(() => h.destroy());

  const escape = async (tag: string, kind: string) =>
    (await h.command(tag, 'escape', { kind })).value as { blocked?: string; result?: unknown };

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
        return read[seen] > 0 ? read : undefined;
      }, `the granted panel's ${kind}`);
      return { hostile, granted, counts };
    } finally {
      await executeServerCommand('browser-watch', { op: 'stop' });
    }
  }

  attack('navigates the top window: SecurityError, the page stays', async () => {
    const before = location.href;
    const seen = await escape('evil', 'topNavigation');
    expect(seen).to.deep.equal({ blocked: 'SecurityError' });
    expect(location.href).to.equal(before);
    return { refused: refusedWhen(seen.blocked === 'SecurityError' && location.href === before) };
  });

  attack('navigates its parent with location.replace: SecurityError', async () => {
    const before = location.href;
    const seen = await escape('evil', 'parentNavigation');
    expect(seen).to.deep.equal({ blocked: 'SecurityError' });
    expect(location.href).to.equal(before);
    return { refused: refusedWhen(seen.blocked === 'SecurityError' && location.href === before) };
  });

  attack('opens a popup without allow-popups: window.open gives null, no window opens', async () => {
    const { hostile, granted, counts } = await againstControl('popup', 'popups');
    expect(hostile).to.deep.equal({ result: 'refused' });
    expect(granted).to.deep.equal({ result: 'opened' });
    expect(counts.popups).to.equal(1, 'only the granted panel opened one');
    return { refused: refusedWhen(hostile.result === 'refused' && counts.popups === 1) };
  });

  attack('starts a download without allow-downloads: the browser starts none', async () => {
    const { granted, counts } = await againstControl('download', 'downloads');
    expect(granted).to.deep.equal({ result: 'clicked' });
    expect(counts.downloads).to.equal(1, 'only the granted panel started one');
    return { refused: refusedWhen(counts.downloads === 1) };
  });

  attack('submits a form without allow-forms: no submission', async () => {
    const hostile = await escape('evil', 'form');
    expect(hostile).to.deep.equal({ result: 'refused' });
    await h.mountGuest('granted', { panel: 'allowances' });
    expect(await escape('granted', 'form')).to.deep.equal({ result: 'submitted' });
    return { refused: refusedWhen(hostile.result === 'refused') };
  });

  attack('shows alert, confirm and prompt without allow-modals: none is shown', async () => {
    const { hostile, counts } = await againstControl('modals', 'dialogs');
    expect(hostile).to.deep.equal({ result: { confirm: false, prompt: null } });
    // The granted panel's alert, confirm and prompt, each dismissed by the watch; none of the hostile panel's.
    expect(counts.dialogs).to.equal(3);
    // Three dialogs tried; none of the hostile panel's was shown, and each answered as dismissed.
    const answers = hostile.result as { confirm: unknown; prompt: unknown } | undefined;
    return {
      tried: 3,
      refused: counts.dialogs === 3 ? 1 + refusedWhen(answers?.confirm === false) + refusedWhen(answers?.prompt === null) : 0,
    };
  });

  attack('reads parent.document: SecurityError', async () => {
    const seen = await escape('evil', 'parentDocument');
    expect(seen).to.deep.equal({ blocked: 'SecurityError' });
    return { refused: refusedWhen(seen.blocked === 'SecurityError') };
  });

  attack("reads the host's location and globals: SecurityError", async () => {
    (window as unknown as Record<string, unknown>)['sbHostSecret'] = 'do not leak';
    try {
      const seen = [await escape('evil', 'parentLocation'), await escape('evil', 'parentGlobals')];
      for (const one of seen) expect(one).to.deep.equal({ blocked: 'SecurityError' });
      return { tried: 2, refused: seen.filter((one) => one.blocked === 'SecurityError').length };
    } finally {
      delete (window as unknown as Record<string, unknown>)['sbHostSecret'];
    }
  });

  attack('reaches for an opener: there is none', async () => {
    const seen = await escape('evil', 'opener');
    expect(seen).to.deep.equal({ result: { opener: null, topOpener: null } });
    const openers = seen.result as { opener: unknown; topOpener: unknown };
    return { tried: 2, refused: refusedWhen(openers.opener === null) + refusedWhen(openers.topOpener === null) };
  });

  attack("reads another panel's document through parent.frames: SecurityError", async () => {
    const seen = await escape('evil', 'siblingDocument');
    expect(seen).to.deep.equal({ blocked: 'SecurityError' });
    return { refused: refusedWhen(seen.blocked === 'SecurityError') };
  });

  attack("reads the user's cookies, localStorage and IndexedDB: SecurityError (an opaque origin has none)", async () => {
    document.cookie = 'sb-session=secret; SameSite=Strict';
    localStorage.setItem('sb-host-secret', 'secret');
    try {
      let refused = 0;
      for (const kind of ['cookies', 'localStorage', 'indexedDB']) {
        const seen = await escape('evil', kind);
        expect(seen, kind).to.deep.equal({ blocked: 'SecurityError' });
        refused += refusedWhen(seen.blocked === 'SecurityError');
      }
      return { tried: 3, refused };
    } finally {
      document.cookie = 'sb-session=; Max-Age=0';
      localStorage.removeItem('sb-host-secret');
    }
  });
});
