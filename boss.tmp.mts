import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from './server/server.ts';
const t = performance.now();
const s = await createServer({ data: mkdtempSync(join(tmpdir(), 'x-')), auth: { userKey: 'k'.repeat(40) } });
console.log('created', performance.now() - t);
await s.close();
console.log('closed');
