/**
 * The agent process: polls the hub for calls (one long poll at a time, asking for no more than it has
 * free slots for), makes each call inside the network, and posts each answer back as soon as it is
 * there. A new session id at every start tells the hub that calls handed to an earlier process are
 * lost. When the hub cannot be reached the agent waits with backoff (0.5 s doubling to 10 s) and
 * tries again; it never accepts a connection itself.
 */
import { randomBytes } from 'node:crypto';
import type { AgentAnswer, AgentCall } from '../wire-protocol.js';
import type { AgentSettings } from './agent-config.js';
import { CallExecutor } from './call-executor.js';
import { HubChannel } from './hub-channel.js';

export interface AgentLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface AgentRunnerOptions {
  readonly version: string;
  readonly log: AgentLog;
  readonly env?: NodeJS.ProcessEnv;
}

const ANSWER_RETRY_LIMIT = 5;

export class AgentRunner {
  readonly session = randomBytes(12).toString('base64url');
  readonly #settings: AgentSettings;
  readonly #options: AgentRunnerOptions;
  readonly #channel: HubChannel;
  readonly #executor: CallExecutor;
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<void>>();
  #loop: Promise<void> | undefined;
  #connected = false;

  constructor(settings: AgentSettings, options: AgentRunnerOptions) {
    this.#settings = settings;
    this.#options = options;
    this.#channel = new HubChannel(settings);
    this.#executor = new CallExecutor(settings, options.env);
  }

  start(): void {
    this.#loop ??= this.#pollLoop();
  }

  /** Stops polling, lets calls in progress finish and answer, closes the connection. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop?.catch(() => undefined);
    await Promise.allSettled([...this.#running]);
    this.#channel.close();
  }

  async #pollLoop(): Promise<void> {
    let backoffMs = 500;
    while (!this.#stop.signal.aborted) {
      const free = this.#settings.concurrency - this.#running.size;
      if (free <= 0) {
        await Promise.race(this.#running);
        continue;
      }
      try {
        const reply = await this.#channel.post(
          'poll',
          { session: this.session, version: this.#options.version, waitMs: this.#settings.pollWaitMs, max: free },
          this.#settings.pollWaitMs + 10_000,
          this.#stop.signal,
        );
        if (reply.status !== 200) throw new Error(`the hub answered ${reply.status}: ${describe(reply.body)}`);
        if (!this.#connected) this.#options.log.info({ hub: this.#settings.hub.origin }, 'agent connected to the hub');
        this.#connected = true;
        backoffMs = 500;
        const calls = (reply.body as { calls?: AgentCall[] }).calls ?? [];
        for (const call of calls) this.#track(this.#handle(call));
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        this.#connected = false;
        this.#options.log.warn(
          { err: error instanceof Error ? error.message : String(error), retryInMs: backoffMs },
          'agent cannot poll the hub',
        );
        await sleep(backoffMs, this.#stop.signal);
        backoffMs = Math.min(10_000, backoffMs * 2);
      }
    }
  }

  #track(work: Promise<void>): void {
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
  }

  async #handle(call: AgentCall): Promise<void> {
    const deadline = Date.now() + call.timeoutMs;
    const answer = await this.#executor.execute(call);
    await this.#answer(answer, deadline);
  }

  /** Posts one answer, retrying while the call's deadline allows. */
  async #answer(answer: AgentAnswer, deadline: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.#channel.post('answers', { session: this.session, answers: [answer] }, 30_000);
        if (reply.status === 200) return;
        throw new Error(`the hub answered ${reply.status}: ${describe(reply.body)}`);
      } catch (error) {
        if (attempt >= ANSWER_RETRY_LIMIT || Date.now() >= deadline) {
          this.#options.log.warn(
            { err: error instanceof Error ? error.message : String(error), call: answer.id },
            'agent could not deliver an answer; the hub settles the call as an unknown outcome',
          );
          return;
        }
        await sleep(200 * attempt);
      }
    }
  }
}

function describe(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.slice(0, 300);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
