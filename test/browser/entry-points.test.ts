import { expect } from 'chai';

describe('the built package in the browser', () => {
  it('loads the slotbridge entry point with its error class and codes', async () => {
    const root = await import('/dist/index.js' as string);
    const error = new root.SlotbridgeError(root.ErrorCode.PERMISSION_DENIED, 'ask for items:read', { method: 'items.get' });
    expect(error).to.be.instanceOf(Error);
    expect(root.SlotbridgeError.fromJSON(structuredClone(error.toJSON())).code).to.equal('PERMISSION_DENIED');
  });

  it('loads slotbridge/manifest and validates a real Dataloop manifest with it', async () => {
    const { validateManifest } = await import('/dist/manifest.js' as string);
    const text = await (await fetch('/__shared/conformance/dataloop/example-panel-toolbar__example-panel-toolbar__dataloop.json')).text();
    const result = validateManifest(text);
    expect(result.errors).to.deep.equal([]);
    expect(result.manifest.components.panels[0].url).to.equal('panels/model_configurator/index.html');
  });

  it('refuses a Dataloop fragment with an error at name, in the browser too', async () => {
    const { validateManifest } = await import('/dist/manifest.js' as string);
    const text = await (
      await fetch('/__shared/conformance/dataloop-fragments/reference-viewer__panels__referenceViewer__dataloop.json')
    ).text();
    expect(validateManifest(text).errors.map((e: { path: string }) => e.path)).to.include('name');
  });

  it('connects a guest page built on dist/guest.js to a host built from dist/index.js', async () => {
    const { createHost, defineApi, method, MemoryStore } = await import('/dist/index.js' as string);
    const z = await import('zod/mini');
    const records: { value: { app: string } }[] = [];
    const host = createHost({
      project: 'p1',
      user: { id: 'u1' },
      store: new MemoryStore(),
      api: defineApi({
        probe: { record: method({ input: z.tuple([z.unknown()]), permission: 'probe:write' }, (r: never) => void records.push(r)) },
      }),
    });
    await host.registry.publish(
      {
        name: 'built',
        version: '1.0.0',
        permissions: ['probe:write'],
        components: { panels: [{ name: 'p', url: 'built-guest.html', supportedSlots: [{ type: 'itemViewer' }] }] },
      },
      { baseUrl: new URL('/test/fixtures/', location.href).href },
    );
    await host.registry.install('built');
    const panel = host.mount('built', 'p', document.body);
    await panel.ready;
    for (let i = 0; i < 500 && records.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(records[0]?.value.app).to.equal('built');
    host.destroy();
  });

  it('loads slotbridge/guest/testing and connects the built guest to its mock host', async () => {
    const { createMockHost } = await import('/dist/guest-testing.js' as string);
    const { connect } = await import('/dist/guest.js' as string);
    const mock = createMockHost({ context: { item: { id: 'i1' } } });
    const guest = await connect({ port: mock.port });
    expect(guest.context.item).to.deep.equal({ id: 'i1' });
    await guest.ui.notify({ message: 'hi' });
    expect(mock.notifications).to.deep.equal([{ message: 'hi', level: 'info' }]);
    guest.destroy();
    mock.destroy();
  });

  it('serves the JSON Schema next to the bundles', async () => {
    const schema = await (await fetch('/dist/manifest.schema.json')).json();
    expect(schema.title).to.equal('slotbridge app manifest');
    expect(schema.required).to.include('name');
  });
});
