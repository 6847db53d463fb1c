/**
 * The dataloop adapter with a panel built on the real `@dataloop-ai/jssdk`:
 * CRUD changes pushed to the panels that may read them, reads of the
 * active entity, and the events Dataloop gives a meaning.
 */
import { expect } from 'chai';
import * as z from 'zod/mini';
import { executeServerCommand } from '@web/test-runner-commands';
import { createHost, defineApi, ErrorCode, method, MemoryStore, SlotbridgeError, type Host, type PanelHandle } from '../../../src/index.js';
import { dataloopBridge } from '../../../src/dataloop/index.js';
import { crossOriginFixtures } from '../bridge/harness.js';
import { waitFor, waitForAsync } from '../wait-for.js';

const frameText = async (app: string) =>
  (await executeServerCommand<string | null, { url: string }>('frame-text', { url: `jssdk-guest.html?app=${app}` })) ?? '';
const reads: unknown[] = [];
const items: Record<string, { id: string; name: string }> = { i1: { id: 'i1', name: 'Shapes #01' } };
const api = defineApi({
  item: {
    read: method({ input: z.tuple([z.object({ id: z.string(), options: z.optional(z.unknown()) })]), permission: 'items:read' }, (ref) => {
      reads.push(ref);
      return items[ref.id] ?? null;
    }),
  },
});
const manifest = (name: string) => ({
  name,
  version: '1.0.0',
  components: { panels: [{ name: 'main', url: `jssdk-guest.html?app=${name}`, supportedSlots: [{ type: 'itemViewer' }] }] },
});

describe('the dataloop adapter with the real jssdk', () => {
  let host: Host;
  let container: HTMLElement;
  const notices: string[] = [];

  beforeEach(() => {
    reads.length = 0;
    notices.length = 0;
    container = document.body.appendChild(document.createElement('div'));
    host = createHost({
      project: 'p1',
      user: { id: 'u1', name: 'Ada' },
      store: new MemoryStore(),
      bridges: { dataloop: dataloopBridge({ api }) },
    });
    host.on('notify', (n) => notices.push(`${n.app} ${n.level} ${n.message}`));
  });

  afterEach(() => {
    host.destroy();
    container.remove();
  });

  /** Publishes and installs a jssdk app with `permissions`, and mounts its panel with the item i1 as context. */
  async function mount(name: string, permissions: string[]): Promise<PanelHandle> {
    await host.registry.publish(manifest(name), { baseUrl: crossOriginFixtures, bridge: 'dataloop', permissions });
    await host.registry.install(name);
    const panel = host.mount(name, 'main', container.appendChild(document.createElement('div')), { context: { item: { id: 'i1' } } });
    await panel.ready;
    await waitForAsync(async () => (await frameText(name)).includes('ready') || undefined, `${name} to be ready`, 10_000);
    return panel;
  }

  it('pushes a CRUD change to the panels that may read its scope, and to no other', async () => {
    await mount('reader', ['items:read']);
    await mount('blind', []);
    host.emit('data', { scope: 'item', crud: 'updated', data: { id: 'i1', name: 'Renamed' } });
    // Both hear a later event: by then the change would have reached both.
    host.emit('ping', 1);
    await waitForAsync(
      async () =>
        ((await frameText('blind')).includes('event ping 1') && (await frameText('reader')).includes('event ping 1')) || undefined,
      'both panels to hear the ping',
      10_000,
    );
    expect(await frameText('reader')).to.include('data {"scope":"item","crud":"updated","data":{"id":"i1","name":"Renamed"}}');
    expect(await frameText('blind')).not.to.include('data ');
  });

  it('refuses a data event of another shape before any panel hears it', async () => {
    await mount('reader', ['items:read']);
    for (const bad of [
      { scope: 'item', crud: 'read', data: {} },
      { crud: 'created', data: {} },
      { scope: 'item two', crud: 'created' },
      'item updated',
      null,
    ]) {
      expect(() => host.emit('data', bad))
        .to.throw(SlotbridgeError)
        .with.property('code', ErrorCode.BAD_INPUT);
    }
    host.emit('ping', 2);
    await waitForAsync(async () => (await frameText('reader')).includes('event ping 2') || undefined, 'the ping', 10_000);
    expect(await frameText('reader')).not.to.include('data ');
  });

  it("reads the active item for dl.items.get() with no id, from the panel's context", async () => {
    await mount('reader', ['items:read']);
    host.emit('do', 'item');
    await waitForAsync(async () => (await frameText('reader')).includes('item {') || undefined, 'the item', 10_000);
    expect(await frameText('reader')).to.include('item {"id":"i1","name":"Shapes #01"}');
    expect(reads).to.deep.equal([{ id: 'i1', options: {} }]);
  });

  it('makes app:toastMessage a notification of the platform', async () => {
    await mount('reader', ['items:read']);
    host.emit('do', 'toast');
    await waitFor(() => notices.length > 0, 'the notification', 10_000);
    expect(notices).to.deep.equal(['reader success Saved']);
  });
});
