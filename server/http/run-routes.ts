/**
 * The runs' routes: a user asks for a run, reads it and cancels it; a runner
 * (a runner token) claims one, fetches its package, reports its progress
 * (renewing its lease) and finishes it; the run's own token (its child's)
 * reads its inputs.
 */
import * as z from 'zod/mini';
import { QUEUE_NAME } from '../../src/manifest/runs-on.js';
import {
  MAX_CLAIM_WAIT_MS,
  cancelRun,
  claimRun,
  createRun,
  finishRun,
  getRun,
  runInputs,
  runPackage,
  runProgress,
  type RunContext,
} from '../runs/runs.js';
import { Id, Name, noNul, ProjectApp, ReportIn } from './atoms.js';
import { route, type Route } from './route.js';
import { answerCall, askCall, callAnswer, MAX_ANSWER_WAIT_MS, waitingCalls } from '../runs/run-calls.js';
import { MAX_ARGS } from '../../src/bridge/protocol.js';

const RunParams = z.object({ run: Id });
const Lease = z.string().check(z.minLength(1), z.maxLength(100), noNul);
const RunBody = z.object({
  module: Name,
  function: Name,
  inputs: z.optional(z.record(z.string().check(z.maxLength(200)), z.unknown())),
});
const ClaimBody = z.object({
  queues: z
    .array(z.string().check(z.regex(QUEUE_NAME, { error: 'a queue name: letters, digits, _ . -' })))
    .check(z.minLength(1), z.maxLength(20)),
  runner: Name,
  /** How long to wait at the service for a run when none waits, ms (a long poll). */
  wait: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(MAX_CLAIM_WAIT_MS))),
});
const ProgressBody = z.object({
  lease: Lease,
  log: z.optional(z.string().check(z.maxLength(1024 * 1024))),
  reports: z.optional(z.array(ReportIn).check(z.maxLength(1000))),
});
const Failure = z.object({
  code: z.string().check(z.regex(/^[A-Z_]{1,40}$/)),
  message: z.string().check(z.maxLength(100_000)),
  traceback: z.optional(z.string().check(z.maxLength(1024 * 1024))),
});
const CallParams = z.object({ run: Id, n: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)) });
const CallBody = z.object({
  method: z.string().check(z.maxLength(200), z.regex(/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*){1,2}$/, { error: 'a method: namespace.method' })),
  args: z.array(z.unknown()).check(z.maxLength(MAX_ARGS)),
});
const Answer = z.union([
  z.object({ ok: z.literal(true), value: z.optional(z.unknown()) }),
  z.object({ ok: z.literal(false), code: z.string().check(z.regex(/^[A-Z_]{1,40}$/)), message: z.string().check(z.maxLength(10_000)) }),
]);
const FinishBody = z.object({
  lease: Lease,
  outcome: z.union([
    z.object({ status: z.literal('succeeded'), result: z.unknown(), exit: z.number().check(z.int()) }),
    z.object({ status: z.literal('failed'), error: Failure, exit: z.nullable(z.number().check(z.int())) }),
  ]),
});

export function runRoutes(rc: RunContext): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/projects/{project}/apps/{app}/runs',
      summary:
        "Run a function of an installed app on the service's queue (a module with a computeConfig or a queue, or a Python module): its inputs checked by the function's declaration, the run recorded and enqueued at once.",
      audience: ['user'],
      params: ProjectApp,
      body: RunBody,
      responses: { 201: 'Queued', 400: 'Not a queued function, or bad inputs', 404: 'Not installed' },
      handle: ({ params, body, caller }) => createRun(rc, caller, params.project, params.app, body),
    }),
    route({
      method: 'get',
      path: '/v1/runs/{run}',
      summary:
        'A run: its status, runner, attempts, start and end, exit, output or error, and its log; with `wait`, once it has ended or after `wait` ms.',
      audience: ['user'],
      params: RunParams,
      query: z.object({ wait: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(MAX_CLAIM_WAIT_MS))) }),
      responses: { 200: 'The run', 403: 'Not a member of its project' },
      handle: ({ params, query, caller, c }) => getRun(rc, caller, params.run, query.wait, c.req.raw.signal),
    }),
    route({
      method: 'get',
      path: '/v1/runs/{run}/inputs',
      summary: "A run's inputs: for its own token (its Python child reads no other run's), or a member of its project.",
      audience: ['user', 'run-token'],
      params: RunParams,
      responses: { 200: '{ inputs }', 403: "Another run's token, or not a member of its project" },
      handle: ({ params, caller }) => runInputs(rc, caller, params.run),
    }),
    route({
      method: 'post',
      path: '/v1/runs/{run}/calls',
      summary:
        "A running run's call to the platform (its Python's slotbridge.api, storage...), for the page that asked for the run to answer; by the run's own token.",
      audience: ['run-token'],
      params: RunParams,
      body: CallBody,
      responses: { 201: '{ call }: its number', 403: "Another run's token" },
      handle: ({ params, body, caller }) => askCall(rc, caller, params.run, body),
    }),
    route({
      method: 'get',
      path: '/v1/runs/{run}/calls/{n}',
      summary: `The answer to a run's call, waiting for it up to \`wait\` ms (at most ${MAX_ANSWER_WAIT_MS}); \`{ answer: null }\` when none came yet.`,
      audience: ['run-token'],
      params: CallParams,
      query: z.object({ wait: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(MAX_ANSWER_WAIT_MS))) }),
      responses: { 200: '{ answer }' },
      handle: ({ params, query, caller }) => callAnswer(rc, caller, params.run, params.n, query.wait ?? 0),
    }),
    route({
      method: 'get',
      path: '/v1/runs/{run}/calls',
      summary: "A run's calls waiting for their answer, for the user who asked for the run (their page answers them).",
      audience: ['user'],
      params: RunParams,
      responses: { 200: '{ calls }', 403: 'Not the user who asked for the run' },
      handle: ({ params, caller }) => waitingCalls(rc, caller, params.run),
    }),
    route({
      method: 'post',
      path: '/v1/runs/{run}/calls/{n}/answer',
      summary: "The page's answer to a run's call: `{ ok: true, value }` or `{ ok: false, code, message }`, once.",
      audience: ['user'],
      params: CallParams,
      body: Answer,
      maxBody: 4 * 1024 * 1024,
      responses: { 200: 'Answered', 409: 'Answered already' },
      handle: ({ params, body, caller }) => answerCall(rc, caller, params.run, params.n, body as never),
    }),
    route({
      method: 'post',
      path: '/v1/runs/{run}/cancel',
      summary: 'Cancel a run: a queued one at once; a running one at its runner’s next renewal, which stops its process.',
      audience: ['user'],
      params: RunParams,
      responses: { 200: 'Cancelled, or asked to stop' },
      handle: ({ params, caller }) => cancelRun(rc, caller, params.run),
    }),
    route({
      method: 'post',
      path: '/v1/runs/claim',
      summary:
        "A runner claims the next run on its queues (of its token's org, or its one app), with a lease, waiting for one up to `wait` ms; `{ claim: null }` when none came.",
      audience: ['runner-token'],
      body: ClaimBody,
      responses: { 200: '{ claim }' },
      handle: async ({ body, caller, c }) => ({ claim: (await claimRun(rc, caller, body, c.req.raw.signal)) ?? null }),
    }),
    route({
      method: 'get',
      path: '/v1/runs/{run}/package',
      summary: "The package of a claimed run's app version, for the lease's holder.",
      audience: ['runner-token'],
      params: RunParams,
      query: z.object({ lease: Lease }),
      responses: { 200: 'The zip', 409: 'The lease is not this runner’s' },
      handle: async ({ params, query, caller }) =>
        new Response((await runPackage(rc, caller, params.run, query.lease)) as unknown as BodyInit, {
          headers: { 'content-type': 'application/zip' },
        }),
    }),
    route({
      method: 'post',
      path: '/v1/runs/{run}/progress',
      summary: "A running run's log and reports; renews the lease, and answers `{ cancel }`.",
      audience: ['runner-token'],
      params: RunParams,
      body: ProgressBody,
      maxBody: 4 * 1024 * 1024,
      responses: { 200: '{ cancel, leaseMs }', 409: 'The lease lapsed', 413: 'Past the log cap' },
      handle: ({ params, body, caller }) => runProgress(rc, caller, params.run, body as never),
    }),
    route({
      method: 'post',
      path: '/v1/runs/{run}/finish',
      summary: 'Ends a run once: its result (mapped to the declared outputs) or its failure, and the exit status of its process.',
      audience: ['runner-token'],
      params: RunParams,
      body: FinishBody,
      maxBody: 4 * 1024 * 1024,
      responses: { 200: 'The ended run', 409: 'The lease lapsed, or it ended already' },
      handle: ({ params, body, caller }) => finishRun(rc, caller, params.run, body),
    }),
  ];
}
