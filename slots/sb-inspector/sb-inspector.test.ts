import { expect } from 'chai';
import '../index.js';
import { createHarness, type Harness } from '../../test/browser/bridge/harness.js';
import { axeViolations } from '../../test/browser/axe.js';
import type { SbInspector } from './sb-inspector.js';

describe('<sb-inspector>', () => {
  let h: Harness;
  let inspector: SbInspector;

  beforeEach(async () => {
    h = await createHarness({ apps: ['app-a', 'app-b'] });
    inspector = document.createElement('sb-inspector');
    inspector.host = h.host;
    h.container.append(inspector);
    await inspector.updateComplete;
  });

  afterEach(() => {
    inspector.remove();
    h.destroy();
  });

  const rows = () =>
    [...inspector.shadowRoot!.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent!.trim()),
    );

  it('shows calls and state changes with app, panel, duration and outcome', async () => {
    await h.mountGuest('a');
    await h.command('a', 'call', { method: 'items.get', args: ['x'] });
    await h.command('a', 'call', { method: 'items.remove', args: ['x'] });
    await inspector.updateComplete;
    const all = rows();
    expect(all.find((r) => r[2] === 'call items.get')).to.deep.include.members(['app-a', 'remote', 'ok']);
    expect(all.find((r) => r[2] === 'call items.remove')![4]).to.equal('PERMISSION_DENIED');
    expect(all.some((r) => r[2] === 'state ready')).to.equal(true);
    expect(all.find((r) => r[2] === 'call items.get')![3]).to.match(/ms$/);
  });

  it('lists the newest entry first', async () => {
    await h.mountGuest('a');
    await h.command('a', 'call', { method: 'items.get', args: ['first'] });
    await h.command('a', 'call', { method: 'items.remove', args: ['last'] });
    await inspector.updateComplete;
    const what = rows().map((r) => r[2]);
    expect(what.indexOf('call items.remove')).to.be.below(what.indexOf('call items.get'));
    // Rows in the order of the log, read from the end.
    expect(what).to.deep.equal(inspector.entries.map((e) => `${e.kind} ${e.name}`).reverse());
  });

  it('filters by app and by outcome', async () => {
    await h.mountGuest('a');
    await h.mountGuest('b', { app: 'app-b' });
    await h.command('b', 'call', { method: 'items.remove', args: ['x'] });
    await inspector.updateComplete;
    const [appSelect, outcomeSelect] = [...inspector.shadowRoot!.querySelectorAll('select')];
    appSelect!.value = 'app-b';
    appSelect!.dispatchEvent(new Event('change'));
    await inspector.updateComplete;
    expect(rows().every((r) => r[0] === 'app-b')).to.equal(true);
    outcomeSelect!.value = 'error';
    outcomeSelect!.dispatchEvent(new Event('change'));
    await inspector.updateComplete;
    expect(rows().map((r) => r[4])).to.deep.equal(['PERMISSION_DENIED']);
  });

  it('pauses, resumes and clears', async () => {
    await h.mountGuest('a');
    const pause = [...inspector.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Pause')!;
    pause.click();
    await inspector.updateComplete;
    expect(pause.getAttribute('aria-pressed')).to.equal('true');
    const before = inspector.entries.length;
    await h.command('a', 'call', { method: 'items.get', args: ['x'] });
    expect(inspector.entries.length).to.equal(before);
    pause.click();
    await h.command('a', 'call', { method: 'items.get', args: ['y'] });
    expect(inspector.entries.length).to.be.greaterThan(before);
    [...inspector.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Clear')!.click();
    await inspector.updateComplete;
    expect(rows()).to.deep.equal([]);
  });

  it('keeps at most max-entries entries, the newest', async () => {
    inspector.maxEntries = 5;
    await h.mountGuest('a');
    for (let i = 0; i < 10; i++) await h.command('a', 'call', { method: 'items.get', args: [`i${i}`] });
    expect(inspector.entries.length).to.equal(5);
    expect(inspector.entries.at(-1)!.name).to.equal('probe.record');
  });

  it('stops listening when it leaves the document', async () => {
    await h.mountGuest('a');
    inspector.remove();
    const count = inspector.entries.length;
    await h.command('a', 'call', { method: 'items.get', args: ['z'] });
    expect(inspector.entries.length).to.equal(count);
  });

  it('has no accessibility violations (axe-core), empty and filled', async () => {
    expect(await axeViolations(inspector)).to.deep.equal([]);
    await h.mountGuest('a');
    await inspector.updateComplete;
    expect(await axeViolations(inspector)).to.deep.equal([]);
  });
});
