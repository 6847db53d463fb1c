/**
 * Resource abuse through what a guest makes the host keep: every byte it
 * writes to storage and reports counts against its app's quota in the
 * project (`limits.maxStorageBytes`, `limits.maxReportBytes`), so one app
 * cannot fill the origin's storage for the others and the platform, nor the
 * page's heap with reports.
 */
import { expect } from 'chai';
import { createHarness, type Harness } from '../browser/bridge/harness.js';
import { ErrorCode } from '../../src/index.js';
import { attacks, honestStillWorks } from './attack.js';

const MB = 1024 * 1024;

describe('security: quotas', () => {
  let h: Harness;
  const attack = attacks('resource abuse', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({
      apps: ['app-a', 'app-b'],
      limits: { maxStorageBytes: 4 * MB, maxReportBytes: 2 * MB },
      timeouts: { handshake: 5000, call: 5000 },
    });
    await h.mountGuest('honest');
    await h.mountGuest('evil', { app: 'app-b' });
  });

  afterEach(() => h.destroy());

  const call = (tag: string, method: string, args: unknown[]) => h.command(tag, 'call', { method, args });

  attack('fills its storage with 1 MB values: STORAGE_FULL at its quota, other apps and the platform still store', async () => {
    const value = 'x'.repeat(MB / 2);
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await call('evil', 'storage.set', [`k${i}`, value]));
    const refused = answers.filter((a) => a.code === ErrorCode.STORAGE_FULL).length;
    expect(answers.filter((a) => a.ok)).to.have.length(3, 'three values of 1 MB and their keys fit in 4 MB');
    expect(refused).to.equal(5);
    expect(answers.at(-1)!.message).to.match(/remove some first/);
    // Overwriting a key with a smaller value, and removing one, make room again.
    expect((await call('evil', 'storage.set', ['k0', 'small'])).ok).to.equal(true);
    expect((await call('evil', 'storage.set', ['k3', value])).ok).to.equal(true);
    // The other app, and the platform, are not held by it.
    expect((await call('honest', 'storage.set', ['mine', value])).ok).to.equal(true);
    await h.host.registry.saveSettings('app-a', { note: 'still saves' });
    return { tried: 8, refused };
  });

  attack('reports 100,000-character log lines without end: STORAGE_FULL at its report quota, the page holds no more than it', async () => {
    const line = 'y'.repeat(100_000);
    const answers = [];
    for (let i = 0; i < 16; i++) answers.push(await call('evil', 'report.log', [line]));
    const refused = answers.filter((a) => a.code === ErrorCode.STORAGE_FULL).length;
    expect(refused).to.be.greaterThan(0);
    const kept = (await h.host.registry.reportSeries('app-b')).flatMap((s) => s.points);
    const bytes = kept.reduce((sum, point) => sum + 2 * String(point['text']).length, 0);
    expect(bytes).to.be.at.most(2 * MB);
    expect(kept.length).to.equal(16 - refused);
    // The other app still reports.
    expect((await call('honest', 'report.log', ['fine'])).ok).to.equal(true);
    return { tried: 16, refused };
  });
});
