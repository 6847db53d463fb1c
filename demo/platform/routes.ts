/** The demo's pages, addressed by the URL hash: `#/datasets/<id>`, `#/items/<id>`, `#/marketplace`, `#/apps/<name>`. */
export type Route =
  { page: 'datasets'; dataset?: string } | { page: 'item'; item: string } | { page: 'marketplace' } | { page: 'apps'; app?: string };

export function parseRoute(hash: string): Route {
  const [page, id] = hash
    .replace(/^#\/?/, '')
    .split('/')
    .map((part) => decodeURIComponent(part));
  switch (page) {
    case 'items':
      return id ? { page: 'item', item: id } : { page: 'datasets' };
    case 'marketplace':
      return { page: 'marketplace' };
    case 'apps':
      return id ? { page: 'apps', app: id } : { page: 'apps' };
    default:
      return id ? { page: 'datasets', dataset: id } : { page: 'datasets' };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'item':
      return `#/items/${encodeURIComponent(route.item)}`;
    case 'marketplace':
      return '#/marketplace';
    case 'apps':
      return route.app ? `#/apps/${encodeURIComponent(route.app)}` : '#/apps';
    default:
      return route.dataset ? `#/datasets/${encodeURIComponent(route.dataset)}` : '#/datasets';
  }
}
