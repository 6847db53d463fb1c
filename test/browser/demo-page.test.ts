import { expect } from 'chai';
import { waitFor } from './wait-for.js';

describe('the demo page', () => {
  let page: HTMLIFrameElement;

  beforeEach(() => {
    page = document.createElement('iframe');
    page.style.width = '900px';
    page.style.height = '700px';
    page.src = '/demo/index.html';
    document.body.append(page);
  });

  afterEach(() => page.remove());

  const doc = () => page.contentDocument!;

  it('mounts the sample panel in a sandboxed iframe, connected through the bridge', async () => {
    await waitFor(() => page.contentDocument?.querySelector('#status[data-state="ready"]'), 'the panel to be ready');
    const frame = doc().querySelector('sb-item-viewer')!.shadowRoot!.querySelector<HTMLIFrameElement>('iframe')!;
    expect(frame.getAttribute('sandbox')).to.equal('allow-scripts');
    expect(frame.src).to.match(/\/demo\/apps\/hello\/panels\/hello\/index\.html#sb-secret=[0-9a-f]{32}/);
  });

  it('shows the panel\'s own report: an opaque origin and no reach into the host page', async () => {
    const line = await waitFor(() => doc()?.querySelector('#notifications li')?.textContent, 'the panel\'s first notification');
    expect(line).to.equal('hello: Panel ready: origin null, host page out of reach');
  });

  it('lists the sample app in the marketplace as installed', async () => {
    const card = await waitFor(() => doc()?.querySelector('sb-marketplace')?.shadowRoot?.querySelector('[data-app="hello"] .installed'), 'the marketplace card');
    expect(card.textContent).to.equal('Installed');
  });

  it('shows the manifest check of the sample app', async () => {
    const report = await waitFor(() => page.contentDocument?.querySelector('#manifest-report li')?.textContent, 'the manifest report');
    expect(report).to.match(/^Hello panel 1\.1\.0: valid/);
  });

  it('opens the panel in a floating window from its toolbar button', async () => {
    await waitFor(() => page.contentDocument?.querySelector('#status[data-state="ready"]'), 'the panel to be ready');
    const button = await waitFor(() => doc().querySelector('sb-toolbar')?.shadowRoot?.querySelector<HTMLButtonElement>('[part="button"]'), 'the toolbar button');
    expect(button.textContent!.trim()).to.equal('Open in a window');
    button.click();
    const windows = doc().querySelector('sb-floating-windows')!;
    await waitFor(() => windows.shadowRoot!.querySelector('section iframe'), 'the window');
  });
});
