import { expect } from 'chai';
import * as z from 'zod/mini';
import { connect } from '../../../src/guest/index.js';
import { createMockHost } from '../../../src/testing/index.js';
import { defineApi, method, ErrorCode, SlotbridgeError } from '../../../src/index.js';
import { waitFor } from '../wait-for.js';

const api = defineApi({
  items: {
    get: method({ input: z.tuple([z.string()]), permission: 'items:read' }, (id) => ({ id })),
    remove: method({ input: z.tuple([z.string()]), permission: 'items:write' }, () => true),
  },
});

describe('createMockHost (slotbridge/guest/testing)', () => {
  it('lets an extension unit-test against the real protocol, without a platform', async () => {
    const mock = createMockHost({
      context: { item: { id: 'i1' } },
      api,
      grant: ['items:read'],
      settings: { configuration: { threshold: 0.5 } },
    });
    const host = await connect<typeof api>({ port: mock.port, functions: { double: ({ n }) => n * 2 } });
    expect(host.context).to.include({ app: 'mock-app', project: 'mock-project' });
    expect(host.context['item']).to.deep.equal({ id: 'i1' });
    expect(await host.api.items.get('i1')).to.deep.equal({ id: 'i1' });
    const denied = await host.api.items.remove('i1').then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(denied?.code).to.equal(ErrorCode.PERMISSION_DENIED);
    expect(host.supports('items.remove')).to.equal(false);
    await host.ui.notify({ message: 'Saved', level: 'success' });
    expect(mock.notifications).to.deep.equal([{ message: 'Saved', level: 'success' }]);
    await host.storage.set('k', [1, 2]);
    expect(mock.storage.get('k')).to.deep.equal([1, 2]);
    expect(await host.settings.get()).to.deep.equal({ hyperparams: {}, configuration: { threshold: 0.5 } });
    await host.report.scalar('loss', 'train', 1, 0.5);
    expect(mock.reports).to.deep.equal([{ kind: 'scalar', metric: 'loss', variant: 'train', iteration: 1, value: 0.5 }]);
    const events: unknown[] = [];
    host.on('context', (c) => events.push(c));
    await mock.setContext({ item: { id: 'i2' } });
    await waitFor(() => events.length === 1, 'the context event');
    expect(host.context['item']).to.deep.equal({ id: 'i2' });
    expect(await mock.invoke('double', { n: 4 })).to.equal(8);
    const missing = await mock.invoke('nope').then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(missing?.code).to.equal(ErrorCode.FUNCTION_NOT_FOUND);
    const badArgs = await host.ui.notify({ message: 42 } as never).then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(badArgs?.code).to.equal(ErrorCode.INVALID_ARGUMENTS, 'the same validation as a real host');
    host.destroy();
    mock.destroy();
  });

  it('serves the artifacts it was given to artifacts.list and artifacts.read, and ARTIFACT_NOT_FOUND for others', async () => {
    const record = {
      id: 'art-1',
      type: 'mask',
      app: 'mock-app',
      project: 'mock-project',
      execution: 'exec-1',
      mediaType: 'application/octet-stream',
      size: 2,
      createdAt: 1,
      encoding: 'bytes' as const,
    };
    const mock = createMockHost({ artifacts: [{ record, data: new Uint8Array([7, 8]) }] });
    const host = await connect({ port: mock.port });
    expect(await host.artifacts.list()).to.deep.equal([record]);
    expect(await host.artifacts.list({ execution: 'exec-2' })).to.deep.equal([]);
    expect([...(await host.artifacts.read('art-1'))]).to.deep.equal([7, 8]);
    const missing = await host.artifacts.read('art-2').then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(missing?.code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
    host.destroy();
    mock.destroy();
  });

  it('holds an event the guest does not listen to yet, and delivers it in order once it does', async () => {
    const mock = createMockHost();
    const host = await connect({ port: mock.port });
    const seen: unknown[] = [];
    await mock.emit('refresh', 1);
    await mock.emit('refresh', 2);
    host.on('refresh', (p) => seen.push(p));
    await waitFor(() => seen.length === 2, 'both events');
    expect(seen).to.deep.equal([1, 2]);
    host.destroy();
    mock.destroy();
  });
});
