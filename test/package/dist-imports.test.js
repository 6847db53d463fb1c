// The built entry points in a browser with native ES modules only: bare imports resolved as any
// tool resolves them, no plugin, alias or CommonJS interop (see web-test-runner.config.mjs here).
import { expect } from 'chai';
import { createHost, MemoryStore, SlotbridgeError } from '../../dist/index.js';
import { connect } from '../../dist/guest.js';
import { createMockHost } from '../../dist/guest-testing.js';
import { validateManifest } from '../../dist/manifest.js';
import '../../dist/slots.js';
import '../../dist/dataloop.js';

const TAGS = ['sb-host', 'sb-marketplace', 'sb-item-viewer', 'sb-side-panel', 'sb-data-browser', 'sb-route', 'sb-floating-windows', 'sb-dialogs', 'sb-toolbar', 'sb-inspector', 'sb-app-settings', 'sb-app-dashboard'];

describe('the built package in native-ESM tooling', () => {
  it('mounts a panel that connects through the built guest SDK and reaches the host', async () => {
    const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    const states = [];
    host.on('panel:state', (panel) => states.push(panel.state));
    const manifest = { name: 'pkg-app', version: '1.0.0', components: { panels: [{ name: 'main', url: 'panel.html', supportedSlots: [{ type: 'itemViewer' }] }] } };
    await host.registry.publish(manifest, { baseUrl: new URL('./', import.meta.url).href });
    await host.registry.install('pkg-app');
    const element = document.body.appendChild(document.createElement('div'));
    try {
      await host.mount('pkg-app', 'main', element, { context: { item: { id: 'i1' } } }).ready;
      const storage = host.registry.storage('pkg-app', 'p1');
      for (let i = 0; i < 100 && (await storage.get('seen')) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await storage.get('seen')).to.deep.equal({ app: 'pkg-app', item: 'i1' });
      expect(states).to.include('ready');
    } finally {
      host.destroy();
      element.remove();
    }
  });

  it('connects a guest to the built mock host', async () => {
    const mock = createMockHost({ context: { item: { id: 'i1' } } });
    const guest = await connect({ port: mock.port });
    await guest.ui.notify({ message: 'Saved' });
    expect(mock.notifications).to.deep.equal([{ message: 'Saved', level: 'info' }]);
    guest.destroy();
    mock.destroy();
  });

  it('defines every slot element, validates manifests and throws SlotbridgeError', () => {
    expect(TAGS.filter((tag) => !customElements.get(tag))).to.deep.equal([]);
    expect(validateManifest({ name: 'ok', version: '1.0.0' }).ok).to.equal(true);
    expect(() => createHost({})).to.throw(SlotbridgeError);
  });
});
