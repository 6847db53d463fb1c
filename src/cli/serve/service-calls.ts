/** Calls the CLI makes of a registry service it started in-process (`slotbridge demo`, `slotbridge dev`): as its admin. */

/** The service's `api.request` (Hono's), or anything that answers a request the same way. */
export interface ServiceApi {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

/** A JSON request with a bearer token. */
export function jsonRequest(token: string, body: unknown, method = 'POST'): RequestInit {
  return { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A token of `namespace`, made by its admin: for publishing, or for a runner. */
export async function makeToken(api: ServiceApi, admin: string, namespace: string, kind: 'publish' | 'runner'): Promise<string> {
  const made = await api.request('/v1/tokens', jsonRequest(admin, { namespace, days: 1, kind, description: `the CLI's ${kind}` }));
  if (!made.ok) throw new Error(`the registry made no ${kind} token (${(await made.text()).slice(0, 200)})`);
  return ((await made.json()) as { token: string }).token;
}
