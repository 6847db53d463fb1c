// The bench's Python figures: cold start, warm calls, and the heap over module open/close cycles.
import { createHost, MemoryStore } from '/bench/.build/index.js';

const otherSite = new URL('/bench/fixtures/', location.href).href.replace('//localhost:', '//127.0.0.1:');
/** Pyodide's files and slotbridge's runner, as a platform serves them (bench/run.mjs copies them there). */
const indexURL = new URL('/bench/.build/python/', location.href).href.replace('//localhost:', '//127.0.0.1:');
const MODULES = {
  name: 'bench-modules',
  version: '1.0.0',
  scope: 'organization',
  components: {
    modules: [
      { name: 'py', entryPoint: 'noop.py', functions: [{ name: 'noop' }] },
      { name: 'js', url: 'js-module.html', functions: [{ name: 'noop' }] },
    ],
  },
};

async function pythonHost(projects = ['bench']) {
  const host = createHost({ project: projects[0], user: { id: 'bench' }, store: new MemoryStore(), python: { indexURL } });
  await host.registry.publish(MODULES, { baseUrl: otherSite });
  for (const project of projects) await host.registry.install(MODULES.name, { project });
  return host;
}

async function execute(host, fn) {
  const execution = await host.execute(MODULES.name, fn);
  if (execution.status !== 'success') throw new Error(`${fn}: ${execution.error?.message}`);
}

/** Bare Pyodide from nothing: a fresh worker imports it, loads it and calls a function (as slotbridge's worker must). */
const BARE_WORKER = `const { loadPyodide } = await import(${JSON.stringify(`${indexURL}pyodide.mjs`)});
const py = await loadPyodide({ indexURL: ${JSON.stringify(indexURL)}, packageBaseUrl: ${JSON.stringify(indexURL)} });
py.runPython('def noop():\\n    return None\\n');
py.globals.get('noop')();
postMessage('done');`;

async function bareColdStart() {
  const worker = new Worker(`data:text/javascript,${encodeURIComponent(BARE_WORKER)}`, { type: 'module' });
  await new Promise((resolve, reject) => {
    worker.onmessage = resolve;
    worker.onerror = (event) => reject(new Error(`the bare Pyodide worker failed: ${event.message}`));
  });
  worker.terminate();
}

/** From nothing to a Python function's answer: bare Pyodide in a fresh worker, and slotbridge (frame, worker, module), in turn. */
async function coldStarts(rounds) {
  const bare = [];
  const slotbridge = [];
  // The first of each only warms what a browser keeps between loads.
  for (let r = 0; r <= rounds; r++) {
    let t0 = performance.now();
    await bareColdStart();
    const b = performance.now() - t0;
    t0 = performance.now();
    const host = await pythonHost();
    await execute(host, 'py.noop');
    const s = performance.now() - t0;
    host.destroy();
    if (r > 0) {
      bare.push(b);
      slotbridge.push(s);
    }
  }
  return { bare, slotbridge };
}

/**
 * A warm call: slotbridge's Python function, a JavaScript module's no-op, and a bare Pyodide call in this page, in
 * turn, call by call, so that whatever the machine does meanwhile weighs on each alike. Each sample is a batch's mean
 * of each: a page without cross-origin isolation reads the clock in 100 µs steps, which average out over a batch. The
 * bare call the budget adds is the one made right after the native round trip, as a call that arrives by message finds
 * the interpreter; the bare call in a loop is kept as a figure.
 */
async function warmCalls(batches, batch = 20) {
  const host = await pythonHost();
  await execute(host, 'py.noop');
  await execute(host, 'js.noop');
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  const py = await loadPyodide({ indexURL, packageBaseUrl: indexURL });
  py.runPython('def noop():\n    return None\n');
  const bareNoop = py.globals.get('noop');
  const samples = { python: [], native: [], bare: [], bareInLoop: [] };
  for (let r = 0; r < batches + 2; r++) {
    const sums = { python: 0, native: 0, bare: 0 };
    for (let i = 0; i < batch; i++) {
      let t0 = performance.now();
      await execute(host, 'py.noop');
      sums.python += performance.now() - t0;
      t0 = performance.now();
      await execute(host, 'js.noop');
      sums.native += performance.now() - t0;
      t0 = performance.now();
      bareNoop();
      sums.bare += performance.now() - t0;
    }
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) bareNoop();
    const inLoop = (performance.now() - t0) / batch;
    if (r >= 2) {
      for (const kind of ['python', 'native', 'bare']) samples[kind].push(sums[kind] / batch);
      samples.bareInLoop.push(inLoop);
    }
  }
  host.destroy();
  return samples;
}

/** The page's heap after the 1st and the 10th time a Python module is opened (a call) and closed (a project switch). */
async function moduleCycles(footprint, cycles = 10) {
  const host = await pythonHost(['a', 'b']);
  let afterFirst;
  for (let c = 0; c < cycles; c++) {
    host.project = 'a';
    await execute(host, 'py.noop');
    // Switching project closes the modules of the last one: the interpreter's frame and worker go.
    host.project = 'b';
    if (c === 0) afterFirst = await footprint();
  }
  const afterAll = await footprint();
  host.destroy();
  return { afterFirst, afterAll };
}

export async function pythonFigures(phase, footprint) {
  phase('Python: cold starts');
  const cold = await coldStarts(5);
  phase('Python: warm calls');
  const warm = await warmCalls(30);
  phase('Python: module open/close cycles');
  const cycles = await moduleCycles(footprint);
  return { cold, warm, cycles };
}
