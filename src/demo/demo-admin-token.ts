/**
 * The demo prints an admin token. Tokens are stored hashed, so the demo keeps the one it issued in a
 * file next to the database (mode 0600) and reuses it on the next start while it is still valid.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from '../store/port.js';
import { TokenStore } from '../security/api-tokens.js';

export async function demoAdminToken(store: Store, file: string): Promise<{ token: string; reused: boolean }> {
  const tokens = new TokenStore(store);
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    const check = await tokens.authenticate(saved);
    if (check.ok) return { token: saved, reused: true };
  }
  const issued = await tokens.create({ name: 'demo-admin', roles: ['admin'] });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${issued.secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token: issued.secret, reused: false };
}

/** A service token for the traffic generator's webhook deliveries to one system. */
export async function demoServiceToken(store: Store, system: string): Promise<string> {
  const issued = await new TokenStore(store).create({
    name: `demo-traffic-${system}`,
    roles: [`service:${system}`],
    expiresAt: Date.now() + 24 * 3_600_000,
  });
  return issued.secret;
}
