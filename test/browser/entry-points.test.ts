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
    const text = await (await fetch('/test/conformance/dataloop/example-panel-toolbar__example-panel-toolbar__dataloop.json')).text();
    const result = validateManifest(text);
    expect(result.errors).to.deep.equal([]);
    expect(result.manifest.components.panels[0].url).to.equal('panels/model_configurator/index.html');
  });

  it('refuses a Dataloop fragment with an error at name, in the browser too', async () => {
    const { validateManifest } = await import('/dist/manifest.js' as string);
    const text = await (await fetch('/test/conformance/dataloop-fragments/reference-viewer__panels__referenceViewer__dataloop.json')).text();
    expect(validateManifest(text).errors.map((e: { path: string }) => e.path)).to.include('name');
  });

  it('serves the JSON Schema next to the bundles', async () => {
    const schema = await (await fetch('/dist/manifest.schema.json')).json();
    expect(schema.title).to.equal('slotbridge app manifest');
    expect(schema.required).to.include('name');
  });
});
