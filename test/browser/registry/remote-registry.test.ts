/**
 * `createHost({ registry: remoteRegistry(...) })` against a real registry
 * service (the built slotbridge/server, started by the test runner): two
 * users of one project, each with a host of their own, see one install, one
 * storage write and one uninstall of the other; the service's rules hold for
 * the page (a member grants nothing); the marketplace works on it unchanged.
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { strToU8, zipSync } from 'fflate';
import '../../../slots/index.js';
import * as z from 'zod/mini';
import { createHost, defineApi, ErrorCode, method, remoteRegistry, type Host, type SlotbridgeError } from '../../../src/index.js';
import type { SbMarketplace } from '../../../slots/sb-marketplace/sb-marketplace.js';
import { waitFor } from '../wait-for.js';

interface User {
  id: string;
  org: string;
  projects: string[];
  role: 'member' | 'admin';
}

const ada: User = { id: 'ada', org: 'acme', projects: ['p1'], role: 'admin' };
const bob: User = { id: 'bob', org: 'acme', projects: ['p1'], role: 'member' };
const tokenFor = (user: User) => executeServerCommand('registry-service', { op: 'token', user }) as Promise<string>;

function appZip(name: string, permissions: string[] = []): Uint8Array {
  const manifest = {
    name,
    version: '1.0.0',
    displayName: `Remote ${name}`,
    permissions,
    components: { panels: [{ name: 'main', supportedSlots: [{ type: 'itemViewer' }] }] },
  };
  return zipSync({ 'app.json': strToU8(JSON.stringify(manifest)), 'panels/main/index.html': strToU8('<!doctype html><p>remote</p>') });
}

describe('remoteRegistry: the registry on a registry service', () => {
  let url: string;
  const hosts: Host[] = [];
  const app = `remote-${Math.random().toString(36).slice(2, 8)}`;

  before(async () => {
    ({ url } = (await executeServerCommand('registry-service', { op: 'start', origin: location.origin })) as { url: string });
    const made = await fetch(`${url}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(ada)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: `ns-${app}` }),
    });
    const { token } = (await made.json()) as { token: string };
    for (const [name, permissions] of [
      [app, []],
      [`${app}-reader`, ['items:read']],
    ] as const) {
      const published = await fetch(`${url}/v1/packages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' },
        body: appZip(name, [...permissions]) as unknown as BodyInit,
      });
      expect(published.status, await published.clone().text()).to.equal(201);
    }
  });

  afterEach(() => {
    for (const host of hosts.splice(0)) host.destroy();
    for (const el of document.querySelectorAll('sb-marketplace')) el.remove();
  });

  const hostFor = async (user: User, api?: ReturnType<typeof defineApi>) => {
    let calls = 0;
    const host = createHost({
      project: 'p1',
      user: { id: user.id },
      registry: remoteRegistry({ url, token: () => (calls++, tokenFor(user)) }),
      ...(api ? { api } : {}),
    });
    hosts.push(host);
    await host.ready;
    return { host, calls: () => calls };
  };

  it("shows one user's install, storage write and uninstall to the other user's host within a second", async () => {
    const { host: a } = await hostFor(ada);
    const { host: b } = await hostFor(bob);
    expect(b.registry.app(app)?.baseUrl).to.match(new RegExp(`^http://${app}--1-0-0\\.apps\\.localhost:\\d+/$`));
    expect(b.registry.installation(app)).to.equal(undefined);
    const installed = new Promise<number>((resolve) => b.on('app:installed', (i) => i.app === app && resolve(performance.now())));
    const started = performance.now();
    await a.registry.install(app);
    const seen = await installed;
    expect(seen - started, 'ms until the other host had it').to.be.below(1000);
    expect(b.registry.installation(app)?.version).to.equal('1.0.0');
    await a.registry.storage(app, 'p1').set('shared', { by: 'ada' });
    expect(await b.registry.storage(app, 'p1').get('shared')).to.deep.equal({ by: 'ada' });
    expect(await b.registry.storage(app, 'p1').get('never-set')).to.equal(undefined);
    const gone = new Promise<void>((resolve) => b.on('app:uninstalled', (i) => i.app === app && resolve()));
    await a.registry.uninstall(app);
    await gone;
    expect(b.registry.installation(app)).to.equal(undefined);
  });

  it("keeps reports and artifacts on the service: one user's are the other's", async () => {
    const { host: a } = await hostFor(ada);
    const { host: b } = await hostFor(bob);
    await a.registry.install(app);
    await waitFor(() => b.registry.installation(app), 'the installation on the other host');
    await a.registry.addReport({
      app,
      project: 'p1',
      panel: 'main',
      kind: 'scalar',
      time: 1,
      metric: 'loss',
      variant: 'train',
      iteration: 1,
      value: 0.5,
    });
    const reports = await b.registry.reports(app, 'p1');
    expect(reports.map((r) => [r.kind, r['metric'], r['value']])).to.deep.equal([['scalar', 'loss', 0.5]]);
    const [stored] = await a.artifacts.add([
      {
        type: 'mask',
        app,
        project: 'p1',
        execution: 'exec-remote',
        mediaType: 'image/png',
        encoding: 'bytes',
        data: new Uint8Array([9, 8, 7]),
      },
    ]);
    expect([...(await b.artifacts.read(stored.id))]).to.deep.equal([9, 8, 7]);
    expect((await b.artifacts.list({ app })).map((r) => r.id)).to.deep.equal([stored.id]);
    await a.registry.uninstall(app);
  });

  it("enforces the service's rules on the page: a member grants no permission, nor publishes", async () => {
    const { host: b } = await hostFor(bob);
    const denied = await b.registry.install(`${app}-reader`).then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(denied?.code).to.equal(ErrorCode.PERMISSION_DENIED);
    expect(denied?.message).to.match(/only an org admin may grant/);
    expect(b.registry.installation(`${app}-reader`), 'the mirror was not changed').to.equal(undefined);
    const publishing = await b.registry.publish({ name: 'x', version: '1.0.0' }, { baseUrl: 'https://x.example/' }).then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(publishing?.code).to.equal(ErrorCode.FORBIDDEN);
  });

  it('asks for a fresh token when the service answers 401, once', async () => {
    let first = true;
    const host = createHost({
      project: 'p1',
      user: { id: 'bob' },
      registry: remoteRegistry({ url, token: async () => (first ? ((first = false), 'expired.token.here') : tokenFor(bob)) }),
    });
    hosts.push(host);
    await host.ready;
    expect(host.registry.app(app)).to.not.equal(undefined);
  });

  it('lists and installs from <sb-marketplace> unchanged', async () => {
    const { host } = await hostFor(ada);
    const market = document.createElement('sb-marketplace') as SbMarketplace;
    market.host = host;
    document.body.append(market);
    const install = await waitFor(
      () => market.shadowRoot?.querySelector<HTMLButtonElement>(`button[aria-label="Install Remote ${app}"]`),
      'the install button',
    );
    install.click();
    const confirm = await waitFor(
      () => market.shadowRoot?.querySelector<HTMLButtonElement>('dialog[open] button[value="install"]'),
      'the consent dialog',
    );
    confirm.click();
    await waitFor(() => host.registry.installation(app), 'the installation');
    await waitFor(() => market.shadowRoot?.querySelector(`button[aria-label="Uninstall Remote ${app}"]`), 'the uninstall button');
    await host.registry.uninstall(app);
  });

  it('starts the next page on the mirror it kept, then catches up with the service at once', async () => {
    const { host: first } = await hostFor(ada);
    expect(first.registry.installation(app)).to.equal(undefined);
    first.destroy();
    // Installed behind the page's back, between two visits.
    const put = await fetch(`${url}/v1/projects/p1/installations/${app}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await tokenFor(ada)}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(put.status, await put.clone().text()).to.be.oneOf([200, 201]);
    const { host: next } = await hostFor(ada);
    expect(next.registry.installation(app), 'ready on the kept mirror').to.equal(undefined);
    await waitFor(() => next.registry.installation(app), "the service's install, within the revalidation", 1000);
    // Another user of the same browser starts on their own, never on the first's mirror.
    const carol: User = { id: 'carol', org: 'acme', projects: ['p1'], role: 'member' };
    const { host: other } = await hostFor(carol);
    expect(other.registry.installation(app)?.version).to.equal('1.0.0');
    // Without the cache, ready waits for the service.
    const uncached = createHost({
      project: 'p1',
      user: { id: 'ada' },
      registry: remoteRegistry({ url, token: () => tokenFor(ada), cache: false }),
    });
    hosts.push(uncached);
    await uncached.ready;
    expect(uncached.registry.installation(app)?.version).to.equal('1.0.0');
    await next.registry.uninstall(app);
  });

  it("runs a function on the service's queue through host.execute: a module with a computeConfig, worked by a runner", async () => {
    const adaToken = await tokenFor(ada);
    const made = async (kind: string) =>
      (
        (await (
          await fetch(`${url}/v1/tokens`, {
            method: 'POST',
            headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ namespace: `ns-${app}`, kind }),
          })
        ).json()) as { token: string }
      ).token;
    const name = `${app}-queued`;
    const manifest = {
      name,
      version: '1.0.0',
      components: {
        modules: [
          {
            name: 'maths',
            entryPoint: 'maths.py',
            functions: [
              {
                name: 'divide',
                computeConfig: 'default',
                input: [
                  { name: 'a', type: 'Integer' },
                  { name: 'b', type: 'Integer' },
                ],
                output: [
                  { name: 'quotient', type: 'Float' },
                  { name: 'rest', type: 'Integer' },
                ],
              },
              {
                name: 'greet',
                computeConfig: 'default',
                input: [{ name: 'who', type: 'String' }],
                output: [
                  { name: 'said', type: 'String' },
                  { name: 'refused', type: 'String' },
                ],
              },
            ],
          },
        ],
      },
      permissions: ['greetings:read'],
    };
    const source = [
      'import slotbridge',
      '',
      'def divide(a, b):',
      '    slotbridge.report_scalar("divided", "a", 0, a)',
      '    print("dividing", a, "by", b)',
      '    return (a / b, a % b)',
      '',
      'async def greet(who):',
      '    said = await slotbridge.api.greetings.say(who)',
      '    try:',
      '        await slotbridge.api.greetings.shout(who)',
      '    except slotbridge.HostError as err:',
      '        return (said, err.code)',
      '',
    ].join('\n');
    const published = await fetch(`${url}/v1/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await made('publish')}`, 'content-type': 'application/zip' },
      body: zipSync({ 'app.json': strToU8(JSON.stringify(manifest)), 'maths.py': strToU8(source) }) as unknown as BodyInit,
    });
    expect(published.status, await published.clone().text()).to.equal(201);
    const { runner } = (await executeServerCommand('registry-service', { op: 'runner', token: await made('runner') })) as {
      runner: string;
    };
    // The platform's API is its page's: a runner's Python calling it is answered here, as the app, with its grant.
    const api = defineApi({
      greetings: {
        say: method({ input: z.tuple([z.string()]), permission: 'greetings:read' }, (who, call) => `hello ${who}, from ${call.app}'s page`),
        shout: method({ input: z.tuple([z.string()]), permission: 'greetings:write' }, (who) => who.toUpperCase()),
      },
    });
    const { host } = await hostFor(ada, api);
    await waitFor(() => host.registry.app(name), 'the published app in the mirror');
    await host.registry.install(name);
    const heard: Record<string, unknown>[] = [];
    host.on('report', (report) => heard.push(report as unknown as Record<string, unknown>));
    const stages: string[] = [];
    const run = await host.execute(name, 'maths.divide', { a: 7, b: 2 }, { progress: (stage) => stages.push(stage) });
    expect(run.error, run.error?.message).to.equal(undefined);
    expect(stages).to.deep.equal(['queued'], 'the page heard it went to the queue');
    expect(run.outputs).to.deep.equal({ quotient: 3.5, rest: 1 });
    const reports = await host.registry.reports(name);
    expect(reports.filter((r) => r.kind === 'scalar').map((r) => r['value'])).to.deep.equal([7]);
    const logs = reports.filter((r) => r.kind === 'log').map((r) => String(r['text']));
    expect(logs).to.deep.equal([
      `[slotbridge] runner ${runner}: maths.divide, run ${logs[0]?.match(/run (run_\S+),/)?.[1]}, attempt 1`,
      'dividing 7 by 2',
    ]);
    // Each reached the page as it was kept: the host announced it (the dashboard's live feed).
    expect(heard.map((r) => String(r['text'] ?? r['value'])).sort()).to.deep.equal([logs[0], '7', 'dividing 7 by 2'].sort());
    const failed = await host.execute(name, 'maths.divide', { a: 1, b: 0 });
    expect(failed.status).to.equal('failed');
    expect(failed.error?.message).to.equal('ZeroDivisionError: division by zero (maths.py, line 6, in divide)');
    const greeted = await host.execute(name, 'maths.greet', { who: 'Ada' });
    expect(greeted.error, greeted.error?.message).to.equal(undefined);
    expect(greeted.outputs).to.deep.equal({ said: `hello Ada, from ${name}'s page`, refused: ErrorCode.PERMISSION_DENIED });
    expect(runner).to.be.a('string');
    await host.registry.uninstall(name);
  });

  it('refuses bad options by name', () => {
    expect(() => remoteRegistry({ url: 'ftp://x', token: 't' })).to.throw(/http\(s\) URL/);
    expect(() => remoteRegistry({ url, token: 7 as never })).to.throw(/token/);
    expect(() =>
      createHost({
        project: 'p1',
        user: { id: 'u' },
        registry: remoteRegistry({ url, token: 't' }),
        store: remoteRegistry({ url, token: 't' }),
      }),
    ).to.throw(/not both/);
  });
});
