/**
 * Real, published Dataloop panels (the shared conformance corpus), unchanged,
 * in sandbox="allow-scripts" frames on another origin, through the dataloop
 * adapter, answering from the demo platform's data: what each shows, and
 * which CRUD calls and events crossed.
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { createHost, MemoryStore, type BridgeLogEntry, type Host } from '../../../src/index.js';
import { dataloopBridge } from '../../../src/dataloop/index.js';
import { DataStore, demoSeed } from '../../../demo/platform/data-store.js';
import { dataloopApi } from '../../../demo/platform/dataloop-api.js';
import { waitFor, waitForAsync } from '../wait-for.js';
import '../../../slots/index.js';

/** Each app's panels/ folder is served at the root of this origin (test/web-test-runner.config.mjs). */
const panelsOrigin = `${location.origin.replace('//localhost:', '//127.0.0.1:')}/`;
const manifestOf = async (app: string) => (await fetch(`/__shared/conformance/dataloop-panels/${app}/dataloop.json`)).json();
const frameText = (url: string) => executeServerCommand<string | null, { url: string }>('frame-text', { url });

describe('real Dataloop panels, unchanged', () => {
  let host: Host;
  let container: HTMLElement;
  let log: BridgeLogEntry[];
  const events: { name: string; payload: unknown }[] = [];

  let data: DataStore;
  // The demo platform's data and its answers to Dataloop panels.
  before(async () => {
    data = await DataStore.open('slotbridge-test-dataloop-panels', () => demoSeed(new URL('/demo/images/', location.href), 'demo'));
  });
  after(() => data.close());

  beforeEach(() => {
    log = [];
    events.length = 0;
    container = document.body.appendChild(document.createElement('div'));
    container.style.height = '600px';
    host = createHost({
      project: 'vision',
      user: { id: 'u1', name: 'Ada Lovelace', email: 'ada@example.com' },
      store: new MemoryStore(),
      bridges: { dataloop: dataloopBridge({ api: dataloopApi(data, (event, payload) => host.emit(event, payload)) }) },
      log: (entry) => log.push(entry),
    });
    host.on('panel:event', (_panel, event) => events.push(event));
  });

  afterEach(() => {
    host.destroy();
    container.remove();
  });

  const calls = () => log.filter((e) => e.kind === 'call').map((e) => `${e.name} ${e.outcome}${e.code ? ` ${e.code}` : ''}`);

  it('route-slot (Vue, jssdk bundled in) shows the user, the project and the theme, and follows theme changes', async () => {
    // A real dataloop.json names no permission: the publisher names what the app may ask for.
    await host.registry.publish(await manifestOf('example-route-slot'), {
      baseUrl: panelsOrigin,
      bridge: 'dataloop',
      permissions: ['datasets:read'],
    });
    await host.registry.install('route-slot-example');
    const panel = host.mount('route-slot-example', 'route-slot', container);
    expect(panel.slot).to.equal('route');
    expect(panel.element.getAttribute('sandbox')).to.equal('allow-scripts');
    expect(panel.element.src.startsWith(`${panelsOrigin}route-slot/index.html#`)).to.equal(true);
    await panel.ready;
    await waitForAsync(
      async () => /ada@example\.com/.test((await frameText('/route-slot/index.html')) ?? '') || undefined,
      'the panel to show its user',
      10_000,
    );
    const text = (await frameText('/route-slot/index.html'))!;
    expect(text).to.match(/User:\s+ada@example\.com\s+Project ID:\s+vision\s+Theme:\s+Light/);
    expect(calls()).to.deep.equal(['settings.read ok', 'project.read ok']);
    host.theme = 'dark';
    await waitForAsync(
      async () => /Theme:\s+Dark/.test((await frameText('/route-slot/index.html')) ?? '') || undefined,
      'the panel to follow the theme',
      10_000,
    );
    expect(log.filter((e) => e.kind === 'rejected')).to.deep.equal([]);
  });

  it("dataSplit (Vue, dlAppLib.js from Dataloop's servers) reads its settings, takes a pipeline node config, and sends its node config and height back", async () => {
    await host.registry.publish(await manifestOf('active-learning'), { baseUrl: panelsOrigin, bridge: 'dataloop' });
    await host.registry.install('active-learning');
    const panel = host.mount('active-learning', 'dataSplit', container);
    expect(panel.slot).to.equal('pipelineNodeConfig');
    await panel.ready;
    await waitFor(() => calls().includes('settings.read ok'), 'the panel to read its settings', 10_000);
    // A pipeline node as Dataloop's pipeline editor sends it: its ports, and no custom config yet.
    const node = {
      id: 'node-1',
      name: 'Data split',
      type: 'custom',
      projectId: 'vision',
      metadata: {},
      inputs: [{ portId: 'in-1', name: 'item', type: 'Item' }],
      outputs: [{ portId: 'out-1', name: 'item', type: 'Item' }],
    };
    // The panel listens for its node config once it has read its settings: the platform sends it until it answers, as a pipeline editor would on opening it.
    const update = await waitFor(
      () => {
        const found = events.find((e) => e.name === 'updateNodeConfig');
        // Until the panel answers, the platform sends the node again (the panel may have connected after the last send).
        if (!found) host.emit('nodeConfig', node);
        return found;
      },
      'the panel to send its node config',
      10_000,
    );
    expect(update.payload).to.have.nested.property('metadata.customNodeConfig');
    const groups = (update.payload as { metadata: { customNodeConfig: { groups: { name: string; distribution: number }[] } } }).metadata
      .customNodeConfig.groups;
    expect(groups.map((g) => `${g.name} ${g.distribution}`)).to.deep.equal(['train 80', 'validation 10', 'test 10']);
    expect(update.payload).to.include({ id: 'node-1', name: 'Data split' });
    const text = (await frameText('/dataSplit/index.html'))!;
    expect(text).to.match(/Subset Name\s+Distribution\s+train\s+80\s+%\s+validation\s+10\s+%\s+test\s+10/);
    // app:setHeight: the panel sizes its frame through ui.resize.
    await waitFor(() => calls().includes('ui.resize ok'), 'the panel to set its height');
    expect(panel.element.style.height).to.match(/^\d+px$/);
    expect(calls().filter((c) => !c.startsWith('ui.resize'))).to.deep.equal(['settings.read ok']);
    expect(log.filter((e) => e.kind === 'rejected')).to.deep.equal([]);
  });

  it('dataSplit opens as a dialog on a platform without a pipeline editor, and answers its node config there', async () => {
    const dialogs = container.appendChild(document.createElement('sb-dialogs'));
    dialogs.host = host;
    await host.registry.publish(await manifestOf('active-learning'), { baseUrl: panelsOrigin, bridge: 'dataloop' });
    await host.registry.install('active-learning');
    // No slot named: a pipelineNodeConfig panel's window-like slot is the dialog.
    const panel = host.openPanel('active-learning', 'dataSplit');
    expect(panel.slot).to.equal('dialog');
    expect(dialogs.shadowRoot!.querySelector('dialog[open] iframe')).to.equal(panel.element);
    await panel.ready;
    const node = { id: 'node-2', name: 'Split', type: 'custom', projectId: 'vision', metadata: {}, inputs: [], outputs: [] };
    const update = await waitFor(
      () => {
        const found = events.find((e) => e.name === 'updateNodeConfig');
        // Until the panel answers, the platform sends the node again (the panel may have connected after the last send).
        if (!found) host.emit('nodeConfig', node);
        return found;
      },
      'the panel to send its node config',
      10_000,
    );
    expect(update.payload).to.include({ id: 'node-2', name: 'Split' });
    // A panel that fills only its own slot types is refused a dialog it did not name.
    expect(() => host.openPanel('active-learning', 'dataSplit', { slot: 'floatingWindow' })).to.throw(
      /does not support the slot "floatingWindow"/,
    );
  });
});
