/** Hash routes (`#/exceptions/<id>?status=open`): the hub serves one page, and links work as links. */
import { useEffect, useState } from 'react';

export interface Route {
  /** Path segments after `#/`, e.g. ['exceptions', 'exc_1']. */
  readonly segments: readonly string[];
  readonly params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = text.split('?');
  return {
    segments: path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent),
    params: new URLSearchParams(search),
  };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function href(path: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return `#/${path}${text === '' ? '' : `?${text}`}`;
}

export function navigate(path: string, params: Readonly<Record<string, string | undefined>> = {}): void {
  window.location.hash = href(path, params);
}
