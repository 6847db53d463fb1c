/**
 * `slotbridge runner`: works runs from a registry service's queues, each in
 * a fresh Python process, until stopped (SIGINT, SIGTERM).
 */
import { CliError } from './app-files.js';
import type { Output } from './output.js';
import { parseRegistryArgs } from './registry-client.js';
import { untilStopped } from './serve/serve-args.js';

const RUNNER =
  'Usage: slotbridge runner --registry <url> --token <sbr_…> [--queues default,gpu] [--python python3] [--name <name>] [--timeout <s>] [--memory <MB>]';

export async function runnerCommand(args: readonly string[], out: Output): Promise<number> {
  const { registry, token, rest, options } = parseRegistryArgs(
    'runner',
    args,
    ['--queues', '--python', '--name', '--timeout', '--memory'],
    RUNNER,
  );
  if (rest.length > 0) throw new CliError(`runner: unexpected ${rest.join(' ')}. ${RUNNER}`, 2);
  if (!token?.startsWith('sbr_'))
    throw new CliError(
      `runner: it needs a runner token (sbr_…), from slotbridge token create --kind runner (or SLOTBRIDGE_TOKEN). ${RUNNER}`,
      2,
    );
  const positive = (name: string, scale: number) => {
    const raw = options.get(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new CliError(`runner: --${name} is a positive number; got ${raw}. ${RUNNER}`, 2);
    return value * scale;
  };
  const timeoutMs = positive('timeout', 1000);
  const memoryBytes = positive('memory', 1024 * 1024);
  const { startRunner } = await import('../../server/runner/runner.js');
  const runner = startRunner({
    url: registry,
    token,
    queues: (options.get('queues') ?? 'default').split(',').filter(Boolean),
    python: options.get('python') ?? 'python3',
    ...(options.get('name') ? { name: options.get('name')! } : {}),
    limits: { ...(timeoutMs ? { timeoutMs, cpuSeconds: Math.ceil(timeoutMs / 1000) } : {}), ...(memoryBytes ? { memoryBytes } : {}) },
    onRun: ({ run, status, message }) => out.stdout(`${run} ${status}${message ? `: ${message}` : ''}`),
  });
  out.stdout(
    `slotbridge runner ${runner.name}: working ${registry}'s queues ${(options.get('queues') ?? 'default').split(',').join(', ')}`,
  );
  return untilStopped(() => runner.stop());
}
