/**
 * The agent's configuration file and its command: secrets from the agent's environment or files,
 * TLS files read up front (certificate and key together), every bad input LL_ERR_CONFIG_INVALID;
 * `ledgerlink agent` without a configuration is a usage error, and with one it runs (retrying a hub
 * it cannot reach) until SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { agentSettingsFrom } from '../../src/agent/runner/agent-config.js';
import { assertCoded } from '../helpers/coded-errors.js';

const dir = mkdtempSync(join(tmpdir(), 'll-agent-config-'));
const passwordFile = join(dir, 'erp-password');
writeFileSync(passwordFile, 's3cret\n');
const base = [
  'name: onprem',
  'hub: https://hub.example.com',
  'token: { env: AGENT_TOKEN }',
  'systems:',
  '  erp:',
  '    baseUrl: https://s4.corp.example:44300',
  `    auth: { kind: basic, user: { env: ERP_USER }, password: { file: ${passwordFile} } }`,
];
const env = { AGENT_TOKEN: 'llt_x', ERP_USER: 'ERPUSER' };

describe('agent configuration', () => {
  test('reads the token from the environment; system secrets stay references until a call needs them', async () => {
    const settings = await agentSettingsFrom(base.join('\n'), 'agent.yaml', env);
    assert.equal(settings.name, 'onprem');
    assert.equal(settings.token, 'llt_x');
    assert.equal(settings.hub.origin, 'https://hub.example.com');
    assert.equal(settings.concurrency, 32);
    assert.deepEqual(settings.systems['erp']?.auth, {
      kind: 'basic',
      user: { env: 'ERP_USER' },
      password: { file: passwordFile },
    });
  });

  test('bad input is LL_ERR_CONFIG_INVALID', async () => {
    await assertCoded(agentSettingsFrom(base.join('\n'), 'agent.yaml', {}), 'LL_ERR_CONFIG_INVALID');
    await assertCoded(agentSettingsFrom([...base, 'extra: 1'].join('\n'), 'agent.yaml', env), 'LL_ERR_CONFIG_INVALID');
    await assertCoded(
      agentSettingsFrom(base.join('\n').replace('name: onprem', 'name: On Prem'), 'agent.yaml', env),
      'LL_ERR_CONFIG_INVALID',
    );
    await assertCoded(
      agentSettingsFrom([...base, `tls: { cert: ${passwordFile} }`].join('\n'), 'agent.yaml', env),
      'LL_ERR_CONFIG_INVALID',
    );
    await assertCoded(
      agentSettingsFrom([...base, `tls: { ca: ${join(dir, 'missing.pem')} }`].join('\n'), 'agent.yaml', env),
      'LL_ERR_CONFIG_INVALID',
    );
    await assertCoded(agentSettingsFrom('name: [', 'agent.yaml', env), 'LL_ERR_CONFIG_INVALID');
  });

  test('ledgerlink agent without a configuration: exit 2', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'agent'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LEDGERLINK_AGENT_CONFIG: '' },
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
  });

  test('ledgerlink agent runs against an unreachable hub and stops on SIGTERM', { timeout: 30_000 }, async () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, base.join('\n').replace('https://hub.example.com', 'http://127.0.0.1:9'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'agent', '--config', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, LEDGERLINK_LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(child, 'exit');
    for (let i = 0; i < 200 && !stdout.includes('running'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(stdout, /agent onprem running: polling http:\/\/127\.0\.0\.1:9 for erp/);
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  });
});
