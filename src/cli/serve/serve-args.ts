import { CliError } from '../app-files.js';
import { parsePort } from './listen.js';

export interface ServeArgs {
  positional: string[];
  port: number;
  appsPort: number;
  /** The name the platform page is served under (it resolves to this machine): `localhost`, or a dev name such as `platform.test`. */
  host: string;
}

/** A host name: letters, digits, dots and hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `[positional...] [--port 8000] [--apps-port 8001] [--host localhost]` */
export function parseServeArgs(command: string, args: readonly string[], usage: string): ServeArgs {
  const out: ServeArgs = { positional: [], port: 8000, appsPort: 8001, host: 'localhost' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--host') {
      const host = args.at(++i);
      if (host === undefined || !HOST_NAME.test(host))
        throw new CliError(`${command}: --host takes a host name that resolves to this machine, such as platform.test. ${usage}`, 2);
      out.host = host.toLowerCase();
    } else if (arg === '--port') out.port = parsePort(args[++i], arg, usage);
    else if (arg === '--apps-port') out.appsPort = parsePort(args[++i], arg, usage);
    else if (arg.startsWith('-')) throw new CliError(`${command}: unknown option ${arg}. ${usage}`, 2);
    else out.positional.push(arg);
  }
  if (out.port !== 0 && out.port === out.appsPort)
    throw new CliError(`${command}: --port and --apps-port must differ (the apps need an origin of their own). ${usage}`, 2);
  return out;
}

/** Resolves on Ctrl+C or SIGTERM, after `close`. */
export function untilStopped(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
