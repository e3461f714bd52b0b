/**
 * Behind a proxy that terminates TLS (`server.trustProxy`): a login the proxy forwards with
 * `X-Forwarded-Proto: https` gets Secure session and CSRF cookies, and so does the logout that clears
 * them; the header is ignored unless the proxy is trusted, and a list trusts only its addresses.
 * Cookies do not depend on the store: SQLite only.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { request, startApp, type AppFixture } from './app-fixture.js';

const fixtures: AppFixture[] = [];
after(async () => {
  for (const f of fixtures) await f.close();
});

async function app(trustProxy: boolean | string[] | undefined): Promise<AppFixture> {
  const f = await startApp('sqlite', 'trusted_proxy', {
    config: trustProxy === undefined ? {} : { server: { shutdownGraceMs: 2_000, trustProxy } },
  });
  fixtures.push(f);
  return f;
}

async function loginCookies(f: AppFixture, headers: Record<string, string>): Promise<string[]> {
  const answer = await request(`${f.url}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token: await f.tokenFor(['operator']) }),
  });
  assert.equal(answer.status, 200, answer.text);
  return answer.headers.getSetCookie();
}

const secure = (cookies: string[]) => cookies.map((c) => /; Secure(;|$)/.test(c));
const HTTPS = { 'x-forwarded-proto': 'https' };

describe('Secure cookies behind a TLS-terminating proxy', () => {
  test('trustProxy true: X-Forwarded-Proto https makes both cookies Secure, login and logout', async () => {
    const f = await app(true);
    assert.deepEqual(secure(await loginCookies(f, HTTPS)), [true, true]);
    assert.deepEqual(secure(await loginCookies(f, {})), [false, false], 'plain HTTP through the proxy');
    const cookies = await loginCookies(f, HTTPS);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    const csrf = cookies
      .find((c) => c.startsWith('ll_csrf='))!
      .split(';')[0]!
      .split('=')[1]!;
    const logout = await request(`${f.url}/v1/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrf, ...HTTPS },
    });
    assert.ok(logout.status < 300, logout.text);
    assert.deepEqual(secure(logout.headers.getSetCookie()), [true, true]);
  });

  test('not trusted (the default): the header is ignored', async () => {
    const f = await app(undefined);
    assert.deepEqual(secure(await loginCookies(f, HTTPS)), [false, false]);
  });

  test('a list of proxies: trusted only from those addresses', async () => {
    const elsewhere = await app(['10.9.8.7']);
    assert.deepEqual(secure(await loginCookies(elsewhere, HTTPS)), [false, false]);
    const local = await app(['127.0.0.1']);
    assert.deepEqual(secure(await loginCookies(local, HTTPS)), [true, true]);
  });
});
