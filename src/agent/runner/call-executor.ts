/**
 * Makes one call the hub handed over, from inside the network: only to a system the agent's
 * configuration names and only on that system's origin (the agent is not an open proxy into the
 * network), past the same URL guard as the hub's connectors, with the credentials the agent holds
 * for that system (any credential the hub sent is dropped). Redirects are answered, not followed:
 * the hub's HTTP client follows them, each hop again through this check.
 */
import type { AgentAnswer, AgentCall } from '../wire-protocol.js';
import { HOP_HEADERS } from '../wire-protocol.js';
import { refusalReason } from '../../connectors/http/url-guard.js';
import { resolveAgentSecret, type AgentSettings, type AgentSystem } from './agent-config.js';

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization'];
/** Socket errors that mean the request never left: safe to report as not sent. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function socketCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

async function authorizationFor(
  system: AgentSystem,
  env: NodeJS.ProcessEnv,
  name: string,
): Promise<string | undefined> {
  const auth = system.auth;
  if (auth === undefined || auth.kind === 'none') return undefined;
  if (auth.kind === 'bearer')
    return `Bearer ${await resolveAgentSecret(auth.token, env, `systems.${name}.auth.token`)}`;
  const user = await resolveAgentSecret(auth.user, env, `systems.${name}.auth.user`);
  const password = await resolveAgentSecret(auth.password, env, `systems.${name}.auth.password`);
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export class CallExecutor {
  readonly #settings: AgentSettings;
  readonly #env: NodeJS.ProcessEnv;

  constructor(settings: AgentSettings, env: NodeJS.ProcessEnv = process.env) {
    this.#settings = settings;
    this.#env = env;
  }

  /** The exchange's answer; never throws. */
  async execute(call: AgentCall): Promise<AgentAnswer> {
    const refused = (message: string): AgentAnswer => ({ id: call.id, failure: { kind: 'refused', message } });
    const system = this.#settings.systems[call.system];
    if (system === undefined) return refused(`system ${call.system} is not in the agent's configuration`);
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      return refused('not an absolute URL');
    }
    const base = new URL(system.baseUrl);
    if (url.origin !== base.origin)
      return refused(`${url.origin} is not the origin of ${call.system} (${base.origin})`);
    const reason = refusalReason(url, { allowInsecureHttp: system.allowPrivateNetwork === true, system: call.system });
    if (reason !== undefined) return refused(reason);
    if (call.timeoutMs <= 0) return { id: call.id, failure: { kind: 'not_sent', message: 'the deadline had passed' } };

    const headers = new Headers();
    for (const [name, value] of call.headers) if (!HOP_HEADERS.has(name.toLowerCase())) headers.append(name, value);
    let authorization: string | undefined;
    try {
      authorization = await authorizationFor(system, this.#env, call.system);
    } catch (error) {
      return refused(error instanceof Error ? error.message : String(error));
    }
    if (authorization !== undefined) {
      for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      headers.set('authorization', authorization);
    }
    const timeout = AbortSignal.timeout(call.timeoutMs);
    try {
      const res = await fetch(url, {
        method: call.method,
        headers,
        body: call.body,
        redirect: 'manual',
        signal: timeout,
      });
      const body = await res.text();
      const answerHeaders: [string, string][] = [];
      res.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name) && name !== 'set-cookie') answerHeaders.push([name, value]);
      });
      for (const cookie of res.headers.getSetCookie()) answerHeaders.push(['set-cookie', cookie]);
      return { id: call.id, status: res.status, headers: answerHeaders, body };
    } catch (error) {
      const code = socketCode(error);
      const message = `${error instanceof Error ? error.message : String(error)}${code === undefined ? '' : ` (${code})`}`;
      const kind = !timeout.aborted && code !== undefined && NOT_SENT_CODES.has(code) ? 'not_sent' : 'unknown';
      return {
        id: call.id,
        failure: { kind, message: timeout.aborted ? `no answer within ${call.timeoutMs} ms` : message },
      };
    }
  }
}
