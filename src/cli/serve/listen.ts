import type { Server } from 'node:http';
import { CliError } from '../app-files.js';

/** Listens on `host:port` (0: any free port); resolves with the port. A port in use is a clear error. */
export function listen(server: Server, port: number, host: string, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'is already in use'
          : err.code === 'EACCES'
            ? 'needs privileges to open'
            : `cannot be opened (${err.code ?? err.message})`;
      reject(new CliError(`Port ${port} on ${host} ${why}. Stop what uses it, or choose another with ${flag} <port>.`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Parses a port option's value: 0 (any free port) to 65535. */
export function parsePort(value: string | undefined, flag: string, usage: string): number {
  const port = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`${flag} takes a port from 0 to 65535 (0: any free port), not "${value ?? ''}". ${usage}`, 2);
  }
  return port;
}
