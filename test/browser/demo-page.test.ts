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

  it('mounts the sample panel in a sandboxed iframe with an opaque origin', async () => {
    const doc = await waitFor(() => page.contentDocument?.querySelector('#status[data-state="ready"]') && page.contentDocument, 'the panel to report ready');
    const frame = doc.querySelector<HTMLIFrameElement>('#item-viewer iframe')!;
    expect(frame.getAttribute('sandbox')).to.equal('allow-scripts');
    expect(frame.src).to.match(/\/demo\/apps\/hello\/panels\/hello\/index\.html$/);
    const status = doc.querySelector('#status')!.textContent!;
    expect(status).to.contain('origin null');
    expect(status).to.contain('host page out of reach');
  });

  it('shows the manifest check of the sample app', async () => {
    const report = await waitFor(() => page.contentDocument?.querySelector('#manifest-report li')?.textContent, 'the manifest report');
    expect(report).to.match(/^Hello panel 1\.0\.0: valid/);
  });
});
