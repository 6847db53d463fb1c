import { expect } from 'chai';
import { createHarness } from '../bridge/harness.js';
import { Frame } from '../../../src/host/frame.js';

describe('profile execute', () => {
  it('splits the time', async () => {
    const h = await createHarness();
    const times = { invoke: 0, runner: 0 };
    const invoke = Frame.prototype.invoke;
    Frame.prototype.invoke = function (this: Frame, ...a: [string, Record<string, unknown>]) {
      const t0 = performance.now();
      return invoke.apply(this, a).finally(() => (times.invoke += performance.now() - t0));
    };
    for (let i = 0; i < 20; i++) await h.host.execute('app-a', 'worker.double', { n: 1 });
    times.invoke = 0;
    const N = 300;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await h.host.execute('app-a', 'worker.double', { n: 1 });
    const total = (performance.now() - t0) / N;
    const out = { totalUs: total * 1000, invokeUs: (times.invoke / N) * 1000 };
    Frame.prototype.invoke = invoke;
    h.destroy();
    expect(JSON.stringify(out)).to.equal('show');
  });
});
