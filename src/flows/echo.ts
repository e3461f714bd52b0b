/**
 * The built-in echo flow, for tests and smoke runs: every event of the configured systems becomes one
 * run whose single step posts the payload to an HTTP sink through the effect ledger. The document is
 * the payload's `id` (or the event's own id), its version the payload's `version` (or "1").
 */
import { ECHO_FLOW } from '../canonical/processes.js';
import { ownText } from '../canonical/strict-json.js';
import type { EchoSinkPort } from '../connectors/port.js';
import type { FlowDefinition, InboundEvent } from '../engine/step-api.js';

export interface EchoFlowOptions {
  /** Systems whose events the flow takes; all when omitted. */
  readonly systems?: readonly string[];
  readonly maxAttempts?: number;
}

export function echoFlow(sink: EchoSinkPort, options: EchoFlowOptions = {}): FlowDefinition {
  return {
    name: ECHO_FLOW,
    firstStep: 'post',
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    route(event: InboundEvent) {
      if (options.systems !== undefined && !options.systems.includes(event.system)) return null;
      return {
        documentId: ownText(event.payload, ['id']) ?? event.id,
        version: ownText(event.payload, ['version']) ?? '1',
        input: event.payload,
      };
    },
    steps: {
      post: async (ctx) => {
        const result = await ctx.effect({
          system: 'echo',
          name: 'post',
          lookup: (key) => sink.findByReference(key),
          create: (key) => sink.post(key, ctx.run.input, ctx.run.correlationId),
        });
        return {
          done: true,
          state: { remoteId: result.remoteId, reference: result.idempotencyKey, reused: result.reused },
        };
      },
    },
  };
}
