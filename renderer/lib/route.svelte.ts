// Hash routes (#/folders, #/keys…): one page, any view reachable by link, the tray's "Rotate keys…" included.

export const ROUTES = ['folders', 'keys', 'history', 'conflicts', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(name ?? '') ? (name as Route) : 'folders';
}

export const route = $state({ current: routeOf(location.hash) });

window.addEventListener('hashchange', () => {
  route.current = routeOf(location.hash);
});

export function go(to: Route): void {
  location.hash = `#/${to}`;
}
