/** The wizard and the reports as a guest sees them, through the real bridge. */
import { expect } from 'chai';
import '../../../slots/index.js';
import { ErrorCode, IndexedDbStore } from '../../../src/index.js';
import type { SbAppSettings } from '../../../slots/sb-app-settings/sb-app-settings.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../bridge/harness.js';

const wizardApp = {
  ...fixtureManifest('wiz'),
  wizard: {
    entries: [
      {
        name: 'enabled',
        title: 'Enabled',
        type: 'checkbox',
        default: false,
        target: { field: 'hyperparams', section: 'General', name: 'enabled', format: 'json' },
      },
      { name: 'label', title: 'Label', type: 'string', conditional: { entries: [{ name: 'enabled', value: true }] } },
    ],
  },
};

describe('settings and reports through the bridge', () => {
  let h: Harness;
  const call = (tag: string, method: string, args: unknown[] = []) => h.command(tag, 'call', { method, args });

  afterEach(() => {
    h?.destroy();
    document.querySelectorAll('sb-app-settings').forEach((e) => e.remove());
  });

  it('a guest gets a settings event with the saved values when the user saves the form', async () => {
    h = await createHarness({ apps: [] });
    await h.host.registry.publish(wizardApp, { baseUrl: fixtures });
    await h.host.registry.install('wiz');
    await h.mountGuest('g', { app: 'wiz' });
    await h.command('g', 'listen', { event: 'settings' });
    const form = document.createElement('sb-app-settings') as SbAppSettings;
    form.host = h.host;
    form.app = 'wiz';
    document.body.append(form);
    await form.updateComplete;
    const box = form.shadowRoot!.querySelector<HTMLInputElement>('[data-field="enabled"] input')!;
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    await form.updateComplete;
    const label = form.shadowRoot!.querySelector<HTMLInputElement>('[data-field="label"] input')!;
    label.value = 'from the form';
    label.dispatchEvent(new Event('input'));
    await form.updateComplete;
    form.shadowRoot!.querySelector('form')!.requestSubmit();
    const event = await h.record('g', 'event:settings');
    const expected = { hyperparams: { General: { enabled: true } }, configuration: { label: 'from the form' } };
    expect(event.value).to.deep.equal(expected);
    expect((await call('g', 'settings.get')).value).to.deep.equal(expected);
  });

  it('keeps each series within its limit, oldest dropped first, and says how many went, across a reload', async () => {
    const db = `slotbridge-reports-${Date.now()}`;
    h = await createHarness({ store: new IndexedDbStore(db), reportLimits: { scalar: 5, log: 3 } });
    await h.mountGuest('a');
    for (let i = 1; i <= 8; i++) await call('a', 'report.scalar', ['loss', 'train', i, i / 10]);
    await call('a', 'report.scalar', ['loss', 'eval', 1, 0.5]);
    for (let i = 1; i <= 4; i++) await call('a', 'report.log', [`line ${i}`]);
    const check = async (series: Awaited<ReturnType<typeof h.host.registry.reportSeries>>) => {
      const byName = Object.fromEntries(series.map((s) => [`${s.kind}/${s.variant ?? ''}`, s]));
      expect(byName['scalar/train'].points.map((p) => p['iteration'])).to.deep.equal([4, 5, 6, 7, 8]);
      expect(byName['scalar/train'].dropped).to.equal(3);
      expect(byName['scalar/eval'].dropped).to.equal(0);
      expect(byName['log/'].points.map((p) => p['text'])).to.deep.equal(['line 2', 'line 3', 'line 4']);
      expect(byName['log/'].dropped).to.equal(1);
    };
    await check(await h.host.registry.reportSeries('app-a'));
    h.destroy();
    h = await createHarness({ store: new IndexedDbStore(db), reportLimits: { scalar: 5, log: 3 }, apps: [] });
    await h.host.ready;
    await check(await h.host.registry.reportSeries('app-a'));
  });

  it('a report promise settles once the report is stored; a refused image URL stores nothing', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await Promise.all([1, 2, 3].map((i) => call('a', 'report.scalar', ['m', 'v', i, i])));
    expect((await h.host.registry.reports('app-a')).length).to.equal(3);
    for (const url of ['javascript:alert(1)', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:text/html,<script>']) {
      expect((await call('a', 'report.image', ['m', 'v', 1, url])).code, url).to.equal(ErrorCode.INVALID_ARGUMENTS);
    }
    expect((await call('a', 'report.image', ['m', 'v', 1, 'https://images.example.com/a.png'])).code).to.equal(undefined);
    expect((await h.host.registry.reports('app-a')).filter((r) => r.kind === 'image').length).to.equal(1);
  });
});
