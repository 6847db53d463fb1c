/**
 * A route is declared once: its method and path, who may call it, the zod
 * schemas of its path, query and body, and its handler. The same declaration
 * mounts it on Hono (credentials, then every input parsed, before the
 * handler runs) and describes it in the OpenAPI document.
 */
import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { admit, type Audience, type Caller } from './caller.js';

type Schema = z.ZodMiniType;

export interface Route<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema | 'zip' = Schema> {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  /** OpenAPI style: `/v1/apps/{app}`. */
  path: string;
  summary: string;
  audience: readonly Audience[];
  params?: P;
  query?: Q;
  /** A JSON body's schema, or `'zip'` for a package's bytes. */
  body?: B;
  /** Largest body taken, bytes (default 1 MB); past it `PAYLOAD_TOO_LARGE` before it is read whole. */
  maxBody?: number;
  /** Statuses it answers with, and what each means (errors are `{ code, message }`). */
  responses: Record<number, string>;
  handle(input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: B extends 'zip' ? Uint8Array : B extends Schema ? z.infer<B> : never;
    caller: Caller;
    c: Context;
  }): Promise<unknown>;
}

export function route<P extends Schema, Q extends Schema, B extends Schema | 'zip'>(spec: Route<P, Q, B>): Route<P, Q, B> {
  return spec;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

export function mount(
  app: Hono,
  routes: readonly Route<Schema, Schema, Schema | 'zip'>[],
  callerOf: (header: string | undefined) => Promise<Caller>,
): void {
  for (const r of routes) {
    app.on(r.method.toUpperCase(), r.path.replace(/\{(\w+)\}/g, ':$1'), async (c) => {
      const caller = await callerOf(c.req.header('authorization'));
      admit(caller, r.audience);
      const params = parse(r.params, c.req.param(), 'path');
      const query = parse(r.query, c.req.query(), 'query');
      const body = r.body === undefined ? undefined : await readBody(c, r.body, r.maxBody ?? DEFAULT_MAX_BODY);
      const out = await r.handle({ params, query, body, caller, c });
      if (out instanceof Response) return out;
      return c.json(out ?? null, r.method === 'post' && 201 in r.responses ? 201 : 200);
    });
  }
}

function parse<S extends Schema>(schema: S | undefined, value: unknown, where: string): z.infer<S> | undefined {
  if (!schema) return undefined;
  // PostgreSQL's text holds no NUL: a path or query that carries one is refused here, by name, not by the database.
  if (where !== 'body' && Object.values(value as Record<string, string>).some((v) => typeof v === 'string' && v.includes('\0'))) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `The request's ${where} holds a NUL character; names, keys and ids cannot.`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new SlotbridgeError(
    ErrorCode.BAD_INPUT,
    `The request's ${where}${issue.path.length ? ` ${issue.path.join('.')}` : ''} is not valid: ${issue.message}.`,
    { issues: result.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })) },
  );
}

async function readBody(c: Context, schema: Schema | 'zip', max: number): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';', 1)[0].trim().toLowerCase();
  const wanted = schema === 'zip' ? ['application/zip', 'application/octet-stream'] : ['application/json'];
  if (!wanted.includes(type))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Send this body as ${wanted[0]}; it came as ${type || 'no content type'}.`);
  const bytes = await readBounded(c.req.raw, max);
  if (schema === 'zip') return bytes;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'The body is not JSON (UTF-8); send JSON.');
  }
  return parse(schema, json, 'body');
}

/** The request's body, counted as it arrives: past `max` bytes it stops reading and answers `PAYLOAD_TOO_LARGE`. */
export async function readBounded(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > max) throw tooLarge(max);
  if (!request.body) return new Uint8Array(0);
  // Node's HTTP parser stops a body at its declared length: that one is read whole, in one piece.
  if (Number.isSafeInteger(declared) && declared >= 0) return new Uint8Array(await request.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function tooLarge(max: number): SlotbridgeError {
  return new SlotbridgeError(ErrorCode.PAYLOAD_TOO_LARGE, `The body is larger than this route takes (${max} bytes); send less.`);
}

/** The OpenAPI 3.1 document of `routes`, from the same schemas that check their input. */
export function openApi(
  routes: readonly Route<Schema, Schema, Schema | 'zip'>[],
  info: { title: string; version: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const json = (schema: Schema) =>
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  const error = { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const doc = json(schema);
      for (const [name, property] of Object.entries(doc.properties ?? {}))
        parameters.push({ name, in: where, required: where === 'path' || (doc.required ?? []).includes(name), schema: property });
    }
    const requestBody =
      r.body === undefined
        ? undefined
        : r.body === 'zip'
          ? { required: true, content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } }
          : { required: true, content: { 'application/json': { schema: json(r.body) } } };
    const responses = Object.fromEntries(
      Object.entries(r.responses).map(([status, description]) => [
        status,
        Number(status) < 400 ? { description } : { ...error, description },
      ]),
    );
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      'x-audience': r.audience,
      ...(r.audience.includes('anyone') ? {} : { security: [{ bearer: [] }] }),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A publish token (sbp_…), a runner token (sbr_…), a run's own token (sbx_…), or a user token the platform signed (a JWT).",
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string', enum: Object.values(ErrorCode) }, message: { type: 'string' }, details: {} },
        },
      },
    },
  };
}
