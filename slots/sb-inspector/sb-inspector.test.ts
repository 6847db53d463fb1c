import { expect } from 'chai';
import '../index.js';
import { createHarness, type Harness } from '../../test/browser/bridge/harness.js';
import { axeViolations } from '../../test/browser/axe.js';
import { waitFor } from '../../test/browser/wait-for.js';
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

  /** Each row's App, Panel, What, Duration, Outcome (What without its count); detail rows left out. */
  const rows = () =>
    [...inspector.shadowRoot!.querySelectorAll('tbody tr:not(.detail)')].map((tr) =>
      [...tr.querySelectorAll('td')].slice(1).map((td) => (td.querySelector('button') ?? td).textContent.trim()),
    );
  const rowOf = (what: string) =>
    [...inspector.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr:not(.detail)')].find(
      (tr) => tr.querySelector('td.what button')!.textContent.trim() === what,
    )!;
  /** Opens a row; returns its detail as [term, value] pairs. */
  const open = async (what: string) => {
    rowOf(what).querySelector<HTMLButtonElement>('td.what button')!.click();
    await inspector.updateComplete;
    const detail = rowOf(what).nextElementSibling!;
    expect(detail.classList.contains('detail')).to.equal(true);
    return [...detail.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent]);
  };

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
    // Rows in the order of the log, read from the end (a run of the same entry is one row).
    const logged = inspector.entries.map((e) => `${e.kind} ${e.name}`).reverse();
    expect(what).to.deep.equal(logged.filter((w, i) => w !== logged[i - 1]));
  });

  it('filters by app and by outcome', async () => {
    await h.mountGuest('a');
    await h.mountGuest('b', { app: 'app-b' });
    await h.command('b', 'call', { method: 'items.remove', args: ['x'] });
    await inspector.updateComplete;
    const [appSelect, outcomeSelect] = [...inspector.shadowRoot!.querySelectorAll('select')];
    appSelect.value = 'app-b';
    appSelect.dispatchEvent(new Event('change'));
    await inspector.updateComplete;
    expect(rows().every((r) => r[0] === 'app-b')).to.equal(true);
    outcomeSelect.value = 'error';
    outcomeSelect.dispatchEvent(new Event('change'));
    await inspector.updateComplete;
    expect(rows().map((r) => r[4])).to.deep.equal(['PERMISSION_DENIED']);
  });

  it('opens a row to its detail: the arguments and result of a call, the code and message of a refusal', async () => {
    await h.mountGuest('a');
    await h.command('a', 'call', { method: 'items.get', args: ['photo-1'] });
    await h.command('a', 'call', { method: 'items.remove', args: ['photo-2'] });
    await inspector.updateComplete;
    const got = await open('call items.get');
    expect(got, JSON.stringify(got)).to.deep.include(['Arguments', '["photo-1"]']);
    expect(got.find(([k]) => k === 'Result')![1]).to.match(/photo-1/);
    const refused = await open('call items.remove');
    expect(refused).to.deep.include(['Arguments', '["photo-2"]']);
    expect(refused.find(([k]) => k === 'Error')![1]).to.match(/^PERMISSION_DENIED: items\.remove needs the permission/);
    rowOf('call items.get').querySelector<HTMLButtonElement>('td.what button')!.click();
    await inspector.updateComplete;
    expect(rowOf('call items.get').nextElementSibling?.classList.contains('detail') ?? false).to.equal(false);
  });

  it('folds a flood of the same refusal into one row with its count, and filters by code', async () => {
    await h.mountGuest('a');
    for (let i = 0; i < 6; i++) await h.command('a', 'call', { method: 'items.remove', args: ['x'] });
    await h.command('a', 'call', { method: 'no.such', args: [] });
    await inspector.updateComplete;
    const flood = rowOf('call items.remove');
    expect(flood.querySelector('.count')!.textContent).to.equal('×6');
    expect(rows().filter((r) => r[2] === 'call items.remove')).to.have.length(1);
    expect(await open('call items.remove')).to.deep.include([
      'Repeated',
      flood
        .querySelector('.count')!
        .getAttribute('title')!
        .replace(/^6 times since /, '6 times, from '),
    ]);
    const code = [...inspector.shadowRoot!.querySelectorAll('select')][2];
    expect([...code.options].map((o) => o.value)).to.include.members(['', 'PERMISSION_DENIED', 'METHOD_NOT_FOUND']);
    code.value = 'METHOD_NOT_FOUND';
    code.dispatchEvent(new Event('change'));
    await inspector.updateComplete;
    expect(rows().map((r) => [r[2], r[4]])).to.deep.equal([['call no.such', 'METHOD_NOT_FOUND']]);
  });

  it('shows the lines an app prints or logs, as they come', async () => {
    await h.mountGuest('a');
    await h.command('a', 'call', { method: 'report.log', args: ['dividing 1 by 2'] });
    await waitFor(() => rows().some((r) => r[2] === 'log dividing 1 by 2'), 'the printed line');
    const line = rows().find((r) => r[2] === 'log dividing 1 by 2')!;
    expect(line.slice(0, 2)).to.deep.equal(['app-a', 'remote']);
    expect(await open('log dividing 1 by 2')).to.deep.equal([['Printed', 'dividing 1 by 2']]);
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
