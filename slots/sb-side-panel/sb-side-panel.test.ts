import { expect } from 'chai';
import '../index.js';
import { createHarness, type Harness } from '../../test/browser/bridge/harness.js';
import { axeViolations } from '../../test/browser/axe.js';
import type { SbSidePanel } from './sb-side-panel.js';

describe('<sb-side-panel>', () => {
  let h: Harness;
  let side: SbSidePanel;

  beforeEach(async () => {
    h = await createHarness({ apps: ['app-a'] });
    side = document.createElement('sb-side-panel');
    side.host = h.host;
    side.context = { tag: 's' };
    h.container.append(side);
    await side.updateComplete;
  });

  afterEach(() => {
    side.remove();
    h.destroy();
  });

  const tabs = () => [...side.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')];

  it('shows one tab per itemSidePanel panel and starts only the shown one (lazy)', async () => {
    expect(tabs().map((t) => t.textContent.trim())).to.deep.equal(['app-a: forms', 'app-a: autosize']);
    expect(side.selected).to.equal('app-a/forms');
    await side.updateComplete;
    expect(side.handleOf('app-a/forms')).to.not.equal(undefined);
    expect(side.handleOf('app-a/autosize')).to.equal(undefined, 'a hidden tab is not started');
    tabs()[1].click();
    await side.updateComplete;
    expect(side.handleOf('app-a/autosize')).to.not.equal(undefined);
    expect(side.handleOf('app-a/forms')).to.equal(undefined, 'without keep-alive, leaving a tab closes it');
  });

  it('keeps a left tab running with keep-alive, and moves between tabs with the arrow keys', async () => {
    side.keepAlive = true;
    await side.updateComplete;
    const forms = side.handleOf('app-a/forms')!;
    tabs()[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await side.updateComplete;
    await side.updateComplete;
    expect(side.selected).to.equal('app-a/autosize');
    expect(side.shadowRoot!.activeElement).to.equal(tabs()[1]);
    expect(forms.state).to.not.equal('closed');
    expect(side.shadowRoot!.querySelector<HTMLElement>('[data-panel="app-a/forms"]')!.hidden).to.equal(true);
  });

  it("keeps the platform's own content (its children) as the first tab and the default; each app's panel is a tab beside it", async () => {
    side.innerHTML = '<dl id="own"><dt>Size</dt><dd>640 × 480</dd></dl>';
    side.defaultLabel = 'Item details';
    side.selected = '';
    await side.updateComplete;
    await side.updateComplete;
    expect(tabs().map((t) => t.textContent.trim())).to.deep.equal(['Item details', 'app-a: forms', 'app-a: autosize']);
    expect(side.selected).to.equal('');
    expect(side.querySelector('#own')!.checkVisibility()).to.equal(true);
    expect(side.handleOf('app-a/forms')).to.equal(undefined, 'no app panel starts while the platform content shows');
    tabs()[1].click();
    await side.updateComplete;
    expect(side.querySelector('#own')!.checkVisibility()).to.equal(false);
    expect(side.handleOf('app-a/forms')).to.not.equal(undefined);
    tabs()[0].click();
    await side.updateComplete;
    expect(side.querySelector('#own')!.checkVisibility()).to.equal(true);
    expect(tabs()[0].getAttribute('aria-selected')).to.equal('true');
  });

  it('shows its children when no app fills it', async () => {
    side.innerHTML = '<p id="empty">No side panels</p>';
    await h.host.registry.uninstall('app-a');
    await side.updateComplete;
    expect(tabs()).to.deep.equal([]);
    expect(side.querySelector('#empty')!.checkVisibility()).to.equal(true);
  });

  it('has no accessibility violations (axe-core)', async () => {
    await side.updateComplete;
    expect(await axeViolations(side)).to.deep.equal([]);
  });
});
