/**
 * The host's open frames: it makes them (sandbox, adapter, services), keeps
 * them, runs the one heartbeat timer they share while any is open, and turns
 * what each frame tells into host events.
 */
import type EventEmitter from 'eventemitter3';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { BridgeAdapter } from '../bridge/adapter.js';
import type { BridgeLog } from '../bridge/call-log.js';
import { CAPABILITIES_EVENT } from '../bridge/protocol.js';
import type { CallRouter } from '../bridge/router.js';
import { WindowHub } from '../bridge/window-hub.js';
import type { Registry } from '../registry/registry.js';
import type { Installation } from '../registry/types.js';
import type { FrameBridge } from './frame-channel.js';
import type { Grants } from './grants.js';
import type { GuestContext } from './guest-context.js';
import { FocusGuard } from './focus-guard.js';
import { Frame, type FrameOptions } from './frame.js';
import type { ResolvedLimits } from './host-options.js';
import { OnDemand } from './on-demand.js';
import { sandboxTokens } from './sandbox.js';
import { RunSession } from './run-session.js';
import type { Manifest } from '../manifest/normalize.js';

/** What a frame is made of; the pool gives it its id and works out its sandbox from the manifest's extras. */
export type NewFrame = Omit<FrameOptions, 'id' | 'sandbox'> & { sandbox: readonly string[] };

/** What the host gives its pool: its collaborators, each an object of its own. */
export interface PoolParts {
  router: CallRouter;
  log: BridgeLog;
  registry: Registry;
  grants: Grants;
  context: GuestContext;
  /** The host's event bus: the pool tells it of each frame's changes (`panel:*`). */
  events: EventEmitter;
  /** The built-ins, loaded with the first frame. */
  runtime: OnDemand<unknown>;
  bridges: ReadonlyMap<string, BridgeAdapter>;
  limits: ResolvedLimits;
  /** The host's own sandbox extras. */
  sandbox: readonly string[];
}

export class FramePool implements Iterable<Frame> {
  readonly #frames = new Set<Frame>();
  /** Per adapter: what its frames share (loaded once). */
  readonly #bridges = new Map<string, FrameBridge>();
  readonly #parts: PoolParts;
  readonly #hub: WindowHub;
  readonly #focus: FocusGuard;
  #heartbeat: ReturnType<typeof setTimeout> | undefined;
  #nextId = 0;
  /** An adapter whose guests obey any window with a real origin, if the host has one. */
  readonly #trustingAdapter: string | undefined;

  constructor(parts: PoolParts) {
    this.#parts = parts;
    this.#trustingAdapter = trustingAdapter(parts.bridges);
    const stray = {
      kind: 'rejected',
      name: 'message from a window that is no frame of this host (not read; one line per window)',
      outcome: 'error',
      code: ErrorCode.ORIGIN_REJECTED,
    } as const;
    this.#hub = new WindowHub(() => parts.log.entry(undefined, stray));
    this.#focus = new FocusGuard((iframe) => {
      const frame = [...this.#frames].find((f) => f.element === iframe);
      parts.log.entry(frame, {
        kind: 'rejected',
        name: 'focus taken without the user sending it',
        outcome: 'error',
        code: ErrorCode.PERMISSION_DENIED,
      });
    });
  }

  /** Window routes held (for teardown checks). */
  get routes(): number {
    return this.#hub.size;
  }

  [Symbol.iterator](): Iterator<Frame> {
    return this.#frames[Symbol.iterator]();
  }

  get size(): number {
    return this.#frames.size;
  }

  /** Makes a frame, puts its iframe into `parent` (an element in the page) and starts it. */
  open(request: NewFrame, parent: Element): Frame {
    const { app, manifest, url } = request;
    const bridge = this.#bridgeFor(app, manifest.bridge);
    const origin = new URL(url).origin;
    const hostExtras = this.#parts.sandbox;
    const sharedWith = [...request.sandbox, ...hostExtras].includes('allow-same-origin')
      ? this.#parts.registry.appServedFrom(origin, app)
      : undefined;
    const sandbox = sandboxTokens({
      manifest: request.sandbox,
      host: hostExtras,
      frameOrigin: origin,
      hostOrigin: window.location.origin,
      sharedWith,
      realOriginsBarredBy: this.#trustingAdapter,
    });
    const frame = new Frame({ ...request, id: `${request.kind}-${++this.#nextId}`, sandbox }, bridge);
    const { events } = this.#parts;
    frame.on('state', () => events.emit('panel:state', frame.handle, frame.state));
    frame.on('responding', () => events.emit('panel:responding', frame.handle, frame.responding));
    frame.on('resize', (height) => events.emit('panel:resize', frame.handle, height));
    frame.on('context', () => events.emit('panel:context', frame.handle, frame.context));
    frame.on('event', (name, payload) => events.emit('panel:event', frame.handle, { name, payload }));
    frame.on('closed', () => {
      this.#frames.delete(frame);
      if (this.#frames.size === 0) this.#stopHeartbeat();
    });
    this.#frames.add(frame);
    this.#heartbeat ??= setTimeout(this.#beat, this.#parts.limits.heartbeat);
    parent.append(frame.element);
    frame.start();
    return frame;
  }

  /** How a function running on the service's queue calls the host: as its app's module, with the app's grant now. */
  runCaller(
    app: string,
    module: string,
    manifest: Manifest,
    project: string,
    context: Record<string, unknown>,
  ): (method: string, args: unknown[]) => Promise<unknown> {
    const session = new RunSession(app, module, manifest, project, this.#parts.grants.of(app, project), context, this.#parts.context);
    // The built-ins load with the first frame; a run may come before any.
    return async (method, args) => (await this.#parts.runtime.load(), this.#parts.router.handle(session, method, args));
  }

  /** Sends an event to the frames of one app in one project. */
  deliver(app: string, project: string, name: string, payload: unknown): void {
    for (const frame of this.#frames) if (frame.app === app && frame.project === project) frame.deliver(name, payload);
  }

  /**
   * A platform event for every frame that listens to it (or one app's). With
   * `transfer` the objects move to the guest, so exactly one ready frame may be listening.
   */
  emit(name: string, payload: unknown, options: { app?: string; transfer?: Transferable[] }): void {
    if (typeof name !== 'string' || name === '') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'An event name is a non-empty string.');
    const { app, transfer } = options;
    for (const adapter of this.#parts.bridges.values()) adapter.checkEvent?.(name, payload);
    // The fan-out path walks the set as it is: no list is made per event.
    if (transfer === undefined) {
      for (const frame of this.#frames) if (app === undefined || frame.app === app) frame.deliver(name, payload);
      return;
    }
    if (!Array.isArray(transfer))
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'transfer is a list of transferable objects (ArrayBuffer, MessagePort...).');
    const listening = [...this.#frames].filter((f) => (app === undefined || f.app === app) && f.state === 'ready' && f.listens(name));
    if (listening.length !== 1) {
      const why = `A transfer moves its objects to one frame, but ${listening.length} ready frames listen to "${name}"`;
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, `${why}; name the app with { app }, or send a copy without transfer.`);
    }
    listening[0].deliver(name, payload, transfer);
  }

  /** What the frames hear of the registry: a new grant (each guest's supports() follows it) and new settings. */
  registryEvent(event: string, payload: unknown): void {
    if (event === 'app:installed') {
      const { app, project } = payload as Installation;
      for (const frame of this.#frames)
        if (frame.app === app && frame.project === project) frame.deliver(CAPABILITIES_EVENT, this.#parts.grants.capabilities(frame));
    } else if (event === 'settings:changed') {
      const { app, project, settings } = payload as { app: string; project: string; settings: unknown };
      this.deliver(app, project, 'settings', settings);
    }
  }

  /** Closes the frames `which` picks. */
  close(which: (frame: Frame) => boolean): void {
    for (const frame of [...this.#frames]) if (which(frame)) frame.close();
  }

  destroy(): void {
    this.close(() => true);
    this.#stopHeartbeat();
    this.#hub.destroy();
    this.#focus.destroy();
  }

  /** What the frames of an adapter share; `BAD_INPUT` for an adapter this host was not given. */
  #bridgeFor(app: string, name: string): FrameBridge {
    let bridge = this.#bridges.get(name);
    if (bridge) return bridge;
    const adapter = this.#parts.bridges.get(name);
    if (!adapter) {
      const known = [...this.#parts.bridges.keys()].join(', ');
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        `${app} speaks the bridge "${name}", which this host was not given (it has: ${known}); pass createHost({ bridges: { ${name}: ... } }).`,
      );
    }
    const { router, log, runtime, limits, grants, context } = this.#parts;
    const loaded = new OnDemand(() => Promise.all([runtime.load(), adapter.load?.()]).then(() => true as const));
    bridge = { adapter, loaded, hub: this.#hub, router, log, grants, focus: this.#focus, context, limits };
    this.#bridges.set(name, bridge);
    return bridge;
  }

  /** One timer for every frame's heartbeat, running while any frame is open. */
  #beat = (): void => {
    for (const frame of this.#frames) frame.heartbeat();
    this.#heartbeat = setTimeout(this.#beat, this.#parts.limits.heartbeat);
  };

  #stopHeartbeat(): void {
    clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}

/** The name of an adapter whose guests trust any window with a real origin (Dataloop's), if there is one. */
function trustingAdapter(bridges: ReadonlyMap<string, BridgeAdapter>): string | undefined {
  for (const [name, adapter] of bridges) if (adapter.guestTrustsAnyWindow === true) return name;
  return undefined;
}
