// Function runs on the service's queue (pg-boss) worked by real runners
// (startRunner) in real Python children (Debian's python3 with numpy and
// pandas), on the embedded PGlite and on PostgreSQL: the seeds' numpy plugins
// give the numbers native Python gives, hostile functions end as failed runs
// with their reason while the runner keeps serving, and a run whose runner is
// gone runs again elsewhere.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { startRunner, type Runner } from '../../server/runner/runner.js';
import { canIsolate } from '../../server/runner/python-child.js';
import { admin, DATABASES, member, publish, publishToken, startRegistry, type TestRegistry } from './support/registry-server.js';

const PYTHON = process.env['SLOTBRIDGE_TEST_PYTHON'] ?? '/usr/bin/python3';
const conformance = (path: string) => readFileSync(new URL(`../../../shared/conformance/python/${path}`, import.meta.url), 'utf8');
const lib = new URL('../../src/python/py/', import.meta.url).pathname;

const HOSTILE = `
import os, socket, sys, time

def echo(a, b):
    return (a + b, a * b, "left over")

def allocate():
    block = bytearray(4 * 1024 ** 3)
    return len(block)

def spin():
    while True:
        pass

def flood():
    line = "x" * 1000
    for _ in range(200_000):
        print(line)

def big_report():
    import slotbridge
    for i in range(100_000):
        slotbridge.report_log("y" * 10_000)

def leave():
    os._exit(3)

def kill_parent():
    os.kill(os.getppid(), 9)
    return "alive"

def fork():
    if os.fork() == 0:
        time.sleep(600)
        os._exit(0)
    return "forked"

def connect(port):
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        return "connected"

def nap(seconds):
    print("napping", flush=True)
    time.sleep(seconds)
    return seconds

def fail(reason):
    raise ValueError("bad reason: " + reason)

async def call_home():
    import slotbridge
    project = await slotbridge.api.projects.get("p1")
    try:
        await slotbridge.storage.get("nope")
    except slotbridge.HostError as err:
        return (project["name"], err.code)

async def peek(other):
    import uuid
    import slotbridge
    me = slotbridge.context()
    own = await slotbridge.service("GET", f"/v1/runs/{me['run']}/inputs")
    kept = await slotbridge.service(
        "PUT",
        f"/v1/projects/{me['project']}/apps/{me['app']}/artifacts/art-{uuid.uuid4()}?type=text&execution={me['run']}&mediaType=text/plain&encoding=bytes",
        b"peeked",
    )
    refused = []
    for method, path in (("GET", f"/v1/runs/{other}/inputs"), ("POST", "/v1/projects/p1/apps/other-app/reports")):
        try:
            await slotbridge.service(method, path, {"reports": []} if method == "POST" else None)
            refused.append("allowed")
        except slotbridge.HostError as err:
            refused.append(err.code)
    runner_token = any(v.startswith("sbr_") for v in os.environ.values())
    return (own["inputs"]["other"], kept["id"], " ".join(refused), os.environ["SLOTBRIDGE_RUN_TOKEN"], str(runner_token))
`;

const fn = (name: string, input: object[] = [], output: object[] = []) => ({ name, input, output });
const int = (name: string, value?: number) => ({ name, type: 'Integer', ...(value !== undefined ? { value } : {}) });

function runnerApp(): Uint8Array {
  const manifest = {
    name: 'numbers',
    version: '1.0.0',
    components: {
      modules: [
        {
          name: 'tasks',
          entryPoint: 'sample_and_transform.py',
          functions: [
            fn('sample_normal_distribution', [int('random_seed', 0), int('sample_size', 100)], [{ name: 'draws', type: 'Float[]' }]),
          ],
        },
        { name: 'report', entryPoint: 'scalar_reporting.py', functions: [fn('__main__')] },
        {
          name: 'artifacts',
          entryPoint: 'artifacts_tasks.py',
          functions: [fn('StringArtifactTask', [{ name: 'value', type: 'String' }], [{ name: 'data', type: 'Json' }])],
        },
        { name: 'text', entryPoint: 'text_reporting.py', queue: 'default', functions: [fn('__main__')] },
        {
          name: 'hostile',
          entryPoint: 'hostile.py',
          computeConfig: 'default',
          functions: [
            fn('echo', [int('a'), int('b')], [int('sum'), int('product')]),
            fn('allocate'),
            fn('spin'),
            fn('flood'),
            fn('big_report'),
            fn('leave'),
            fn('kill_parent'),
            fn('fork'),
            fn('connect', [int('port')]),
            fn('nap', [{ name: 'seconds', type: 'Float' }], [{ name: 'slept', type: 'Float' }]),
            fn('fail', [{ name: 'reason', type: 'String' }]),
            fn(
              'call_home',
              [],
              ['name', 'refused'].map((name) => ({ name, type: 'String' })),
            ),
            fn(
              'peek',
              [{ name: 'other', type: 'String' }],
              ['own', 'artifact', 'refused', 'token', 'runnerToken'].map((name) => ({ name, type: 'String' })),
            ),
          ],
        },
      ],
    },
  };
  return zipSync({
    'app.json': strToU8(JSON.stringify(manifest)),
    'sample_and_transform.py': strToU8(conformance('dioptra/sample_and_transform.py')),
    'scalar_reporting.py': strToU8(conformance('clearml/scalar_reporting.py')),
    'artifacts_tasks.py': strToU8(conformance('dioptra/artifacts_tasks.py')),
    'text_reporting.py': strToU8(conformance('clearml/text_reporting.py')),
    'hostile.py': strToU8(HOSTILE),
  });
}

interface RunView {
  id: string;
  status: string;
  attempt: number;
  runner: string | null;
  output: Record<string, unknown> | null;
  error: { code: string; message: string; traceback?: string } | null;
  log: string;
}

for (const kind of DATABASES) {
  describe(`runs on a queue, on ${kind.name}`, { timeout: 300_000 }, () => {
    let r: TestRegistry;
    let url: string;
    let runnerToken: string;
    const runners: Runner[] = [];

    before(async () => {
      r = await startRegistry(kind, { runs: { leaseMs: 3000 } });
      ({ url } = await r.server.listen({ port: 0, appsPort: 0 }));
      const publishing = await publishToken(r);
      const published = await publish(r, runnerApp(), publishing);
      assert.equal(published.status, 201, await published.text());
      const installed = await r.request('/v1/projects/p1/installations/numbers', { method: 'PUT', token: await admin(), json: {} });
      assert.ok(installed.ok, await installed.text());
      runnerToken = await publishToken(r, 'acme-apps', undefined, 'runner');
    });
    after(async () => {
      await Promise.all(runners.splice(0).map((x) => x.stop()));
      await r?.close();
    });

    const runner = (limits = {}) => {
      const started = startRunner({ url, token: runnerToken, python: PYTHON, pollMs: 50, limits: { timeoutMs: 20_000, ...limits } });
      runners.push(started);
      return started;
    };
    const ask = async (module: string, fn: string, inputs: object = {}) => {
      const res = await r.request('/v1/projects/p1/apps/numbers/runs', {
        method: 'POST',
        token: await member(),
        json: { module, function: fn, inputs },
      });
      const body = (await res.json()) as RunView & { code?: string; message?: string };
      return { status: res.status, body };
    };
    const ended = async (id: string, timeout = 60_000): Promise<RunView> => {
      const until = Date.now() + timeout;
      for (;;) {
        const run = (await (await r.request(`/v1/runs/${id}`, { token: await member() })).json()) as RunView;
        if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
        if (Date.now() > until) throw new Error(`run ${id} is still ${run.status}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const run = async (module: string, fn: string, inputs: object = {}) => {
      const { status, body } = await ask(module, fn, inputs);
      assert.equal(status, 201, JSON.stringify(body));
      return ended(body.id);
    };

    it("runs Dioptra's numpy plugin on a runner with the numbers native Python gives", async () => {
      runner();
      const done = await run('tasks', 'sample_normal_distribution', { random_seed: 7, sample_size: 50 });
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error) + done.log);
      const native = JSON.parse(
        execFileSync(PYTHON, [
          '-c',
          `import sys, json; sys.path[:0] = [${JSON.stringify(lib)}]; ns = {}; exec(open(sys.argv[1]).read(), ns); print(json.dumps(ns["sample_normal_distribution"](random_seed=7, sample_size=50).tolist()))`,
          new URL('../../../shared/conformance/python/dioptra/sample_and_transform.py', import.meta.url).pathname,
        ]).toString(),
      ) as number[];
      assert.equal(native.length, 50);
      assert.deepEqual(done.output, { draws: native });
      assert.match(done.runner ?? '', /:/);
      // Dioptra's artifact tasks (numpy and pandas imported at the top): a string's codec, its bytes as they leave Python.
      const codec = await run('artifacts', 'StringArtifactTask', { value: 'héllo' });
      assert.equal(codec.status, 'succeeded', JSON.stringify(codec.error) + codec.log);
      assert.deepEqual(codec.output, { data: { $bytes: Buffer.from('héllo').toString('base64') } });
    });

    it("runs ClearML's scalar reporting script: every scalar and print reaches the app's reports and the run's log", async () => {
      runner();
      const done = await run('report', '__main__');
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error) + done.log);
      const { reports } = (await (await r.request('/v1/projects/p1/apps/numbers/reports', { token: await member() })).json()) as {
        reports: { kind: string; metric?: string; variant?: string; value?: number; text?: string }[];
      };
      const scalars = reports.filter((x) => x.kind === 'scalar');
      assert.equal(scalars.length, 402);
      const series = (metric: string, variant: string) => scalars.filter((x) => x.metric === metric && x.variant === variant);
      assert.deepEqual(
        series('unified graph', 'series A')
          .slice(0, 3)
          .map((x) => x.value),
        [1, 0.5, 1 / 3],
      );
      assert.equal(series('Summary', 'metric B')[0]?.value, 305.95);
      assert.match(done.log, /We are done reporting, have a great day :\)/);
      // ClearML's text reporting example, as it is: its plain text and its prints in the log.
      const text = await run('text', '__main__');
      assert.equal(text.status, 'succeeded', JSON.stringify(text.error) + text.log);
      assert.match(text.log, /loguru not installed, skipping loguru test/);
      const logs = (await (await r.request('/v1/projects/p1/apps/numbers/reports', { token: await member() })).json()) as {
        reports: { kind: string; text?: string }[];
      };
      assert.ok(
        logs.reports.some((x) => x.kind === 'log' && x.text === 'hello, this is plain text'),
        'report_text reached the reports',
      );
    });

    it('maps outputs and checks inputs by the rules the browser applies', async () => {
      runner();
      assert.deepEqual((await run('hostile', 'echo', { a: 3, b: 4 })).output, { sum: 7, product: 12 });
      const refused = await ask('hostile', 'echo', { a: 'three', b: 4 });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.code, 'INVALID_ARGUMENTS');
      const failed = await run('hostile', 'fail', { reason: 'none' });
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.code, 'EXECUTION_FAILED');
      assert.match(failed.error?.message ?? '', /^ValueError: bad reason: none \(hostile\.py, line \d+, in fail\)$/);
      // The traceback is the app's: its file and line, none of slotbridge's own frames.
      assert.match(failed.error?.traceback ?? '', /hostile\.py", line \d+, in fail/);
      assert.doesNotMatch(failed.error?.traceback ?? '', /_slotbridge/);
    });

    it("gives each run's child its own run's token: its inputs and its app's artifacts, no other run's, dead once it ends", async () => {
      runner();
      const other = await run('hostile', 'echo', { a: 5, b: 6 });
      const done = await run('hostile', 'peek', { other: other.id });
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error) + done.log);
      const out = done.output as Record<string, string>;
      // It read its own inputs, kept an artifact of its app, and was refused another run's inputs and another app's reports.
      assert.equal(out['own'], other.id);
      assert.equal(out['refused'], 'FORBIDDEN FORBIDDEN');
      assert.equal(out['runnerToken'], 'False');
      const { artifacts } = (await (await r.request('/v1/projects/p1/artifacts?app=numbers', { token: await member() })).json()) as {
        artifacts: { id: string; size: number }[];
      };
      assert.equal(artifacts.find((a) => a.id === out['artifact'])?.size, 6);
      // Once its run ended the token opens nothing, its own run's inputs included.
      const late = await fetch(`${url}/v1/runs/${done.id}/inputs`, { headers: { authorization: `Bearer ${out['token']}` } });
      assert.equal(late.status, 401);
      assert.match(out['token'] ?? '', /^sbx_/);
    });

    it('has the user who asked for a run answer its calls to the platform, each once, and nobody else', async () => {
      runner();
      const { body } = await ask('hostile', 'call_home');
      const waiting = async () => {
        for (;;) {
          const res = await r.request(`/v1/runs/${body.id}/calls`, { token: await member() });
          assert.equal(res.status, 200, await res.clone().text());
          const { calls } = (await res.json()) as { calls: { n: number; method: string; args: unknown[] }[] };
          if (calls.length) return calls;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const [first] = await waiting();
      assert.deepEqual(first, { n: 1, method: 'projects.get', args: ['p1'] });
      // Another user does not answer it, and a user's token does not ask in a run's name.
      assert.equal((await r.request(`/v1/runs/${body.id}/calls`, { token: await admin() })).status, 403);
      const asked = await r.request(`/v1/runs/${body.id}/calls`, {
        method: 'POST',
        token: await member(),
        json: { method: 'x.y', args: [] },
      });
      assert.equal(asked.status, 403);
      const answer = async (n: number, json: object) =>
        r.request(`/v1/runs/${body.id}/calls/${n}/answer`, { method: 'POST', token: await member(), json });
      assert.equal((await answer(1, { ok: true, value: { name: 'Vision' } })).status, 200);
      assert.equal((await answer(1, { ok: true, value: { name: 'again' } })).status, 409);
      const [second] = await waiting();
      assert.deepEqual({ n: second?.n, method: second?.method }, { n: 2, method: 'storage.get' });
      await answer(2, { ok: false, code: 'PERMISSION_DENIED', message: 'not granted' });
      const done = await ended(body.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error) + done.log);
      assert.deepEqual(done.output, { name: 'Vision', refused: 'PERMISSION_DENIED' });
    });

    it('answers a waiting claim as soon as a run is queued and a waiting read as soon as it ends (long polls); a claim that waits for none with null', async () => {
      await Promise.all(runners.splice(0).map((x) => x.stop()));
      const claim = (wait: number) =>
        fetch(`${url}/v1/runs/claim`, {
          method: 'POST',
          headers: { authorization: `Bearer ${runnerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ queues: ['default'], runner: 'by-hand', wait }),
        }).then((res) => res.json() as Promise<{ claim: { run: { id: string }; lease: string } | null }>);
      const started = Date.now();
      assert.deepEqual(await claim(300), { claim: null });
      assert.ok(Date.now() - started >= 290, 'it waited');
      const waiting = claim(10_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const asked = Date.now();
      const { body } = await ask('hostile', 'echo', { a: 1, b: 1 });
      const { claim: got } = await waiting;
      assert.equal(got?.run.id, body.id);
      assert.ok(Date.now() - asked < 1000, `answered ${Date.now() - asked} ms after the run was queued`);
      // Its asker waits with the run's own long poll, answered when it ends (ended by hand here: nobody runs it).
      const watching = r.request(`/v1/runs/${body.id}?wait=10000`, { token: await member() });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const finished = await fetch(`${url}/v1/runs/${body.id}/finish`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runnerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          lease: got.lease,
          outcome: { status: 'failed', error: { code: 'CANCELLED', message: 'by hand' }, exit: null },
        }),
      });
      assert.equal(finished.status, 200);
      const endedAt = Date.now();
      assert.equal(((await (await watching).json()) as RunView).status, 'failed');
      assert.ok(Date.now() - endedAt < 1000, 'the waiting read answered when the run ended');
    });

    it('keeps the run of a function that sleeps past its lease: the runner renews the lease while it sleeps', async () => {
      runner();
      const done = await run('hostile', 'nap', { seconds: 4 });
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error) + done.log);
      assert.deepEqual({ attempt: done.attempt, output: done.output }, { attempt: 1, output: { slept: 4 } });
      assert.doesNotMatch(done.log, /stopped renewing its lease/);
    });

    it('ends every hostile function as a failed run with its reason, and the runner keeps serving', async () => {
      await Promise.all(runners.splice(0).map((x) => x.stop()));
      const one = runner({ timeoutMs: 3000, memoryBytes: 1024 ** 3, logBytes: 256 * 1024, messageBytes: 4 * 1024 * 1024 });
      const reasons: Record<string, RegExp> = {
        allocate: /MemoryError|memory/,
        spin: /longer than its 3 s|CPU/,
        flood: /printed more than/,
        big_report: /more than \d+ bytes of reports/,
        leave: /without a result/,
      };
      for (const [name, reason] of Object.entries(reasons)) {
        const done = await run('hostile', name);
        assert.equal(done.status, 'failed', name);
        assert.match(done.error?.message ?? '', reason, `${name}: ${done.error?.message}`);
      }
      // What a function forks dies with its run: the run ends at once, not when the fork would.
      const started = Date.now();
      const forked = await run('hostile', 'fork');
      assert.equal(forked.status, 'succeeded', JSON.stringify(forked.error));
      assert.ok(Date.now() - started < 3000, `the forking run took ${Date.now() - started} ms`);
      // The runner is alive and serves the next run.
      assert.deepEqual((await run('hostile', 'echo', { a: 1, b: 2 })).output, { sum: 3, product: 2 });
      assert.ok(runners.includes(one));
    });

    it(
      'gives the child no way to its parent nor to the database',
      { skip: !canIsolate() && 'only a root runner isolates its children (unshare, setpriv)' },
      async () => {
        runner();
        const killer = await run('hostile', 'kill_parent');
        assert.equal(killer.status, 'failed');
        assert.match(killer.error?.message ?? '', /PermissionError|ProcessLookupError/);
        const port = kind.name === 'postgres' ? 5432 : Number(new URL(url).port);
        const reach = await run('hostile', 'connect', { port });
        assert.equal(reach.status, 'failed');
        assert.match(reach.error?.message ?? '', /OSError|ConnectionRefused|Network is unreachable|PermissionError/);
        assert.deepEqual((await run('hostile', 'echo', { a: 2, b: 2 })).output, { sum: 4, product: 4 });
      },
    );

    it('runs again elsewhere a run whose runner was stopped mid-run, once to completion', async () => {
      await Promise.all(runners.splice(0).map((x) => x.stop()));
      const first = runner();
      const { body } = await ask('hostile', 'nap', { seconds: 2 });
      // Wait until the first runner holds it, then stop that runner (its child killed, no finish sent).
      for (;;) {
        const now = (await (await r.request(`/v1/runs/${body.id}`, { token: await member() })).json()) as RunView;
        if (now.status === 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await first.stop();
      runners.splice(runners.indexOf(first), 1);
      const second = runner();
      const done = await ended(body.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done));
      assert.equal(done.attempt, 2);
      assert.equal(done.runner, second.name);
      assert.match(done.log, /attempt 1: the runner stopped renewing its lease/);
    });

    it('runs again on another runner a run whose runner process was killed (SIGKILL) mid-run, and its Python child dies with it', async () => {
      await Promise.all(runners.splice(0).map((x) => x.stop()));
      const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
      const killed = spawn(process.execPath, [cli, 'runner', '--registry', url, '--python', PYTHON, '--name', 'doomed'], {
        env: { ...process.env, SLOTBRIDGE_TOKEN: runnerToken },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const { body } = await ask('hostile', 'nap', { seconds: 3 });
        // Until its Python child runs the function (its first line reached the run's log).
        for (;;) {
          const now = (await (await r.request(`/v1/runs/${body.id}`, { token: await member() })).json()) as RunView;
          if (now.log.includes('napping')) break;
          assert.ok(['queued', 'running'].includes(now.status), now.status);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        killed.kill('SIGKILL');
        await new Promise((resolve) => killed.once('exit', resolve));
        // Its warm interpreter and the run's process it forked (three seconds of sleep ahead of it) notice that the runner is gone, and end.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        const left = execFileSync('ps', ['-eo', 'args'])
          .toString()
          .split('\n')
          .filter((line) => /_slotbridge_(native|zygote)/.test(line));
        assert.deepEqual(left, []);
        const second = runner();
        const done = await ended(body.id);
        assert.equal(done.status, 'succeeded', JSON.stringify(done));
        assert.deepEqual(
          { attempt: done.attempt, runner: done.runner, output: done.output },
          { attempt: 2, runner: second.name, output: { slept: 3 } },
        );
        // Each attempt's reports are kept and marked with it: the lost one's line, then the last one's.
        const { reports } = (await (await r.request('/v1/projects/p1/apps/numbers/reports', { token: await member() })).json()) as {
          reports: { kind: string; text?: string; execution?: string; attempt?: number }[];
        };
        assert.deepEqual(
          reports.filter((x) => x.execution === body.id && x.text === 'napping').map((x) => x.attempt),
          [1, 2],
        );
      } finally {
        killed.kill('SIGKILL');
      }
    });

    it('completes 200 runs queued at once on 3 runners, each once', async () => {
      await Promise.all(runners.splice(0).map((x) => x.stop()));
      runner();
      runner();
      runner();
      const asked = await Promise.all(Array.from({ length: 200 }, (_, i) => ask('hostile', 'echo', { a: i, b: 1 })));
      assert.deepEqual(
        asked.filter((a) => a.status !== 201),
        [],
      );
      // One at a time: 200 askers polling at once would measure the polling.
      const done: RunView[] = [];
      for (const a of asked) done.push(await ended(a.body.id, 120_000));
      assert.deepEqual(
        done.map((d) => d.status),
        done.map(() => 'succeeded'),
        JSON.stringify(done.filter((d) => d.status !== 'succeeded').map((d) => ({ error: d.error, log: d.log.slice(-500) }))),
      );
      assert.deepEqual(
        done.map((d) => d.attempt),
        done.map(() => 1),
      );
      assert.deepEqual(
        done.map((d) => d.output),
        asked.map((_, i) => ({ sum: i + 1, product: i })),
      );
      assert.ok(new Set(done.map((d) => d.runner)).size >= 2, 'the runs were shared');
    });
  });
}
