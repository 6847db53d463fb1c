/**
 * Runs declared functions: checks and maps their inputs, runs them in the
 * app's browser module (a hidden sandboxed frame, started on first use) or
 * on the platform's executor, and maps their outputs into an `Execution`.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { fromWireError, toWireError } from '../errors/wire.js';
import { codeOf, messageOf } from '../errors/caught.js';
import { withTimeout } from '../bridge/deadlines.js';
import { hasStringId } from '../manifest/io-values.js';
import { resolveUrl } from '../manifest/urls.js';
import type { ArtifactTypeDefinition } from '../manifest/schema.js';
import type { Manifest, Module } from '../manifest/normalize.js';
import { artifactTypeOf } from '../manifest/vocabulary.js';
import type { Registry } from '../registry/registry.js';
import type { FramePool } from './frame-pool.js';
import { installedApp } from './installed-app.js';
import type { Execution, ExecutionStage, FunctionExecutor } from '../bridge/execution.js';
import type { Frame } from './frame.js';
import { mapInputs, mapOutputs } from './function-io.js';
import { pythonFrameUrl, pythonIndexUrl, runsAsPython, type PythonOptions } from './python-modules.js';
import { artifactInputs, decodeArtifact, encodeArtifact, type ArtifactInput } from './artifact-io.js';
import { randomUuid } from '../bridge/random-id.js';
import { INTERPRETER_LOST } from '../python/worker-messages.js';
import { runsOn } from '../manifest/runs-on.js';

export interface FunctionRunnerDeps {
  registry: Registry;
  /** Where module frames are made. */
  frames: FramePool;
  project(): string;
  executor: FunctionExecutor | undefined;
  entities: Partial<Record<string, (value: unknown) => boolean>>;
  timeout: number;
  /** Announces a report a function made elsewhere (on the service's queue), as the registry announces its own. */
  heard: (report: unknown) => void;
  /** Where Python modules run in the browser; without it, they go to the executor. */
  python: PythonOptions | undefined;
}

export class FunctionRunner {
  readonly #modules = new Map<string, Promise<Frame>>();
  /** The module frames that run Python. */
  readonly #python = new WeakSet<Frame>();
  /** Calls of ours running in each module frame: one not answering its heartbeat while none runs is restarted. */
  readonly #running = new Map<Frame, number>();
  /** When each module frame's last call ended: a module that has just computed answers its heartbeat a moment later. */
  readonly #ended = new WeakMap<Frame, number>();
  /** Modules (by `moduleKey`) whose frame has answered a call: started, interpreter loaded. */
  readonly #warm = new Set<string>();
  readonly #deps: FunctionRunnerDeps;
  #container: HTMLElement | undefined;

  constructor(deps: FunctionRunnerDeps) {
    this.#deps = deps;
  }

  /**
   * Refusals before anything runs (unknown function, bad inputs, no executor)
   * reject; failures while running resolve to a `failed` Execution.
   */
  async execute(
    app: string,
    fn: string,
    inputs: Record<string, unknown>,
    context: Record<string, unknown>,
    progress?: (stage: ExecutionStage) => void,
  ): Promise<Execution> {
    if (typeof fn !== 'string') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'execute names its function as "module.function".');
    const { manifest } = this.#installed(app);
    const parts = fn.split('.');
    const [moduleName, fnName] = parts.slice(-2);
    const module = parts.length >= 2 && parts.length <= 3 ? manifest.components.modules.find((m) => m.name === moduleName) : undefined;
    const declared = module?.functions.find((f) => f.name === fnName);
    if (!module || !declared) {
      const available = manifest.components.modules.flatMap((m) => m.functions.map((f) => `${m.name}.${f.name}`));
      throw new SlotbridgeError(
        ErrorCode.FUNCTION_NOT_FOUND,
        `${app} declares no function "${fn}"; it declares: ${available.join(', ') || '(none)'}.`,
      );
    }
    const name = `${module.name}.${declared.name}`;
    const entityCheck = (type: string, value: unknown) => (this.#deps.entities[type] ?? hasStringId)(value);
    const mapped = mapInputs(name, declared.input, inputs, entityCheck);
    if (!this.#inBrowser(app, module, declared) && !this.#deps.executor) throw noExecutor(app, module);
    const project = this.#deps.project();
    const artifacts = await artifactInputs(name, app, project, declared.input, mapped, (id) => this.#deps.registry.artifacts.get(id));
    const id = `exec-${randomUuid()}`;
    const startedAt = Date.now();
    const t0 = performance.now();
    const record = (status: Execution['status'], outputs: Record<string, unknown>, error?: SlotbridgeError): Execution => ({
      id,
      app,
      function: name,
      project,
      status,
      inputs: mapped,
      outputs,
      error: error ? toWireError(error) : undefined,
      startedAt,
      duration: performance.now() - t0,
    });
    try {
      const received = await this.#decodeInputs(app, manifest, mapped, artifacts, context);
      const result = await this.#run(app, module, declared.name, received, context, progress);
      const outputs = mapOutputs(name, declared.output, result, entityCheck);
      const item = itemOfRun(declared.input, mapped, artifacts, context);
      return record(
        'success',
        await this.#storeOutputs(app, manifest, { project, execution: id, item }, declared.output, outputs, context),
      );
    } catch (err) {
      const error =
        err instanceof SlotbridgeError
          ? err
          : new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (error.code === ErrorCode.FUNCTION_NOT_FOUND || error.code === ErrorCode.DESTROYED) throw error;
      return record('failed', {}, error);
    }
  }

  /** The inputs a function receives: each artifact reference replaced by its type's `deserialize` of the stored bytes. */
  async #decodeInputs(
    app: string,
    manifest: Manifest,
    inputs: Record<string, unknown>,
    artifacts: readonly ArtifactInput[],
    context: Record<string, unknown>,
  ) {
    if (artifacts.length === 0) return inputs;
    const received = { ...inputs };
    for (const { name, record } of artifacts) {
      const type = artifactType(manifest, record.type);
      const data = decodeArtifact(record, await this.#deps.registry.artifacts.read(record.id));
      received[name] = await this.#codec(
        app,
        manifest,
        type,
        'deserialize',
        { data, mediaType: record.mediaType, type: record.type },
        context,
      );
    }
    return received;
  }

  /** Outputs of artifact types serialized and stored, all together; the Execution keeps `{ artifact: id }` for each. */
  async #storeOutputs(
    app: string,
    manifest: Manifest,
    made: { project: string; execution: string; item: string | undefined },
    declared: Module['functions'][number]['output'],
    outputs: Record<string, unknown>,
    context: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const typed = declared.flatMap((param) => {
      const name = artifactTypeOf(param.type);
      return name === undefined ? [] : [{ output: param.name, type: artifactType(manifest, name) }];
    });
    if (typed.length === 0) return outputs;
    const encoded = [];
    for (const { output, type } of typed) {
      const value = await this.#codec(app, manifest, type, 'serialize', { value: outputs[output] }, context);
      encoded.push({
        type: type.name,
        app,
        project: made.project,
        execution: made.execution,
        ...(made.item === undefined ? {} : { item: made.item }),
        mediaType: type.mediaType,
        ...encodeArtifact(type.name, value),
      });
    }
    const records = await this.#deps.registry.artifacts.add(encoded);
    const stored = { ...outputs };
    typed.forEach(({ output }, i) => (stored[output] = { artifact: records[i].id }));
    return stored;
  }

  /** Runs an artifact type's codec; a failure names the type and the function. */
  async #codec(
    app: string,
    manifest: Manifest,
    type: ArtifactTypeDefinition,
    codec: 'serialize' | 'deserialize',
    inputs: Record<string, unknown>,
    context: Record<string, unknown>,
  ): Promise<unknown> {
    try {
      const module = manifest.components.modules.find((m) => m.name === type.module)!;
      return await this.#run(app, module, type[codec], inputs, context);
    } catch (err) {
      throw new SlotbridgeError(
        codeOf(err) ?? ErrorCode.EXECUTION_FAILED,
        `Artifact:${type.name}, ${codec} (${type.module}.${type[codec]}): ${messageOf(err)}`,
        err instanceof SlotbridgeError ? err.details : undefined,
      );
    }
  }

  /** Runs a function of a module: in its frame, or on the platform's executor. */
  #run(
    app: string,
    module: Module,
    fnName: string,
    inputs: Record<string, unknown>,
    context: Record<string, unknown>,
    progress?: (stage: ExecutionStage) => void,
  ): Promise<unknown> {
    const fn = module.functions.find((f) => f.name === fnName);
    if (this.#inBrowser(app, module, fn)) return this.#runInModule(app, module, fnName, inputs, progress);
    if (!this.#deps.executor) throw noExecutor(app, module);
    if (runsOn(module, fn, { python: true }).on === 'queue') progress?.('queued');
    return this.#runOnPlatform(app, module.name, fnName, inputs, { ...context });
  }

  /** Whether a module runs in a frame of this page (its own page, or Python's runner) rather than on the platform's executor. */
  #inBrowser(app: string, module: Module, fn: object | undefined): boolean {
    // A computeConfig (Dataloop) or a queue (ClearML) sends a function to the service's queue (docs/runs.md).
    if (runsOn(module, fn, { python: true }).on === 'queue') return false;
    return module.url !== undefined || runsAsPython(this.#deps.python, app, module);
  }

  #installed(app: string) {
    return installedApp(this.#deps.registry, app, this.#deps.project());
  }

  /** A module frame closed: the next call starts a new one. */
  #forget(frame: Frame): void {
    this.#running.delete(frame);
    const key = moduleKey(frame.app, frame.project, frame.panel);
    this.#modules.delete(key);
    this.#warm.delete(key);
  }

  destroy(): void {
    this.#modules.clear();
    this.#warm.clear();
    this.#container?.remove();
    this.#container = undefined;
  }

  async #moduleFrame(app: string, moduleName: string): Promise<Frame> {
    const key = moduleKey(app, this.#deps.project(), moduleName);
    let pending = this.#modules.get(key);
    if (!pending) {
      pending = (async () => {
        const { manifest, baseUrl } = this.#installed(app);
        const module = manifest.components.modules.find((m) => m.name === moduleName)!;
        if (!this.#container) {
          this.#container = document.createElement('div');
          this.#container.hidden = true;
          this.#container.dataset['slotbridgeModules'] = '';
          document.body.append(this.#container);
        }
        const url =
          module.url !== undefined
            ? resolveUrl(module.url, baseUrl)
            : pythonFrameUrl(pythonIndexUrl(this.#deps.python)!, manifest, module, baseUrl);
        const title = `${manifest.displayName}: module ${moduleName}`;
        const frame = this.#deps.frames.open(
          {
            kind: 'module',
            app,
            panel: moduleName,
            slot: 'module',
            project: this.#deps.project(),
            manifest,
            url,
            sandbox: [],
            context: {},
            title,
          },
          this.#container,
        );
        frame.once('closed', () => this.#forget(frame));
        if (module.url === undefined) this.#python.add(frame);
        return frame;
      })();
      this.#modules.set(key, pending);
    }
    const frame = await pending;
    try {
      await frame.ready;
    } catch (err) {
      // A module that failed to start is started afresh next time.
      frame.close();
      throw err;
    }
    // Not answering its heartbeat with no call of ours running: it is busy with something of its own (a background
    // loop) or gone; a call would only wait for its timeout. It goes, and this call starts it afresh.
    if (!frame.responding && !this.#running.has(frame) && performance.now() - (this.#ended.get(frame) ?? 0) > QUIET_MS) {
      frame.close();
      return this.#moduleFrame(app, moduleName);
    }
    return frame;
  }

  async #runInModule(
    app: string,
    module: Module,
    fnName: string,
    inputs: Record<string, unknown>,
    progress?: (stage: ExecutionStage) => void,
  ): Promise<unknown> {
    const moduleName = module.name;
    const key = moduleKey(app, this.#deps.project(), moduleName);
    // A module none of whose calls has ended yet is starting: its page, or (no page of its own) Python's interpreter, in seconds.
    if (!this.#warm.has(key)) progress?.(module.url === undefined ? 'starting-python' : 'starting-module');
    const frame = await this.#moduleFrame(app, moduleName);
    if (!frame.functions.has(fnName)) {
      throw new SlotbridgeError(
        ErrorCode.FUNCTION_NOT_FOUND,
        `Module ${app}/${moduleName} did not register "${fnName}"; pass it in connect({ functions }).`,
      );
    }
    const timeout = this.#deps.timeout;
    this.#running.set(frame, (this.#running.get(frame) ?? 0) + 1);
    try {
      return await withTimeout(frame.invoke(fnName, inputs), timeout, () => {
        // An interpreter cannot be interrupted: its frame (and the worker running it) goes, and the next call starts afresh.
        if (this.#python.has(frame)) frame.close();
        return new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `${moduleName}.${fnName} did not finish within ${timeout} ms.`);
      });
    } catch (err) {
      const error = fromWireError(err, `${moduleName}.${fnName}`, timeout, ErrorCode.EXECUTION_FAILED);
      if (this.#python.has(frame) && error.message.startsWith(INTERPRETER_LOST)) frame.close();
      throw error;
    } finally {
      const left = (this.#running.get(frame) ?? 1) - 1;
      if (left > 0) this.#running.set(frame, left);
      else this.#running.delete(frame);
      this.#ended.set(frame, performance.now());
      if (frame.state !== 'closed') this.#warm.add(key);
    }
  }

  #runOnPlatform(
    app: string,
    moduleName: string,
    fnName: string,
    inputs: Record<string, unknown>,
    context: Record<string, unknown>,
  ): Promise<unknown> {
    const controller = new AbortController();
    const timeout = this.#deps.timeout;
    const project = this.#deps.project();
    const run = Promise.resolve().then(() =>
      this.#deps.executor!.execute({
        app,
        module: moduleName,
        function: fnName,
        inputs,
        project,
        context,
        signal: controller.signal,
        call: this.#deps.frames.runCaller(app, moduleName, this.#installed(app).manifest, project, context),
        report: this.#deps.heard,
      }),
    );
    return withTimeout(run, timeout, () => {
      const error = new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `${moduleName}.${fnName} did not finish within ${timeout} ms.`);
      controller.abort(error);
      return error;
    });
  }
}

/** How long after its last call a module frame that does not answer its heartbeat is taken for stuck, ms. */
const QUIET_MS = 1000;

function noExecutor(app: string, module: Module): SlotbridgeError {
  return new SlotbridgeError(
    ErrorCode.FUNCTION_NOT_FOUND,
    `${app}'s module "${module.name}" runs on the platform (entryPoint ${String(module.entryPoint)}), and this host has no executor; pass createHost({ functions: { execute } }).`,
  );
}

function artifactType(manifest: Manifest, name: string) {
  // Publishing checked that every Artifact:<name> names a declared type.
  return manifest.components.artifacts.find((a) => a.name === name)!;
}

function moduleKey(app: string, project: string, module: string): string {
  return `${project}\u0000${app}\u0000${module}`;
}

/** The item a run was for: an `Item` input's id, else the item an artifact input was made for, else the context's item. */
function itemOfRun(
  declared: readonly { name: string; type: string }[],
  inputs: Record<string, unknown>,
  artifacts: readonly ArtifactInput[],
  context: Record<string, unknown>,
): string | undefined {
  const idOf = (value: unknown) =>
    value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : undefined;
  for (const p of declared) {
    const id = p.type === 'Item' ? idOf(inputs[p.name]) : undefined;
    if (id !== undefined) return id;
  }
  return artifacts.find((a) => a.record.item !== undefined)?.record.item ?? idOf(context['item']);
}
