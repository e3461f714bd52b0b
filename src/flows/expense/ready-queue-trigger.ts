/**
 * How the expense report and cash advance posting flows are triggered, alike: a poller on the expense
 * platform's READY queue of one document type, and webhook events naming the document. Both give the
 * run key `<flow>:<system>:<documentId>:<version>` (the report's revision, "1" when none is given),
 * so a document delivered twice, or by both channels, makes one run per version.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { ExpenseDocType, ExpensePort } from '../../connectors/port.js';
import type { FlowDefinition, PollerDefinition } from '../../engine/step-api.js';
import { payloadText } from './expense-posting-steps.js';

const DEFAULT_POLL_MS = 60_000;

export interface ReadyQueueTriggerOptions {
  /** Poll the READY queue this often (default 60 s), or at these times of day; none when `poll` is false. */
  readonly pollIntervalMs?: number;
  readonly schedule?: readonly string[];
  readonly poll?: boolean;
  /** Accept webhook events (default true). */
  readonly webhook?: boolean;
}

export interface ReadyQueueTrigger {
  readonly flow: string;
  readonly docType: ExpenseDocType;
  readonly eventType: string;
  /** What the document is called in messages ("FIS document", "FIS cash advance document"). */
  readonly what: string;
}

/** The flow's `route`: the platform's event for this document type, by document id and version. */
export function readyQueueRoute(
  expense: { readonly system: string },
  trigger: ReadyQueueTrigger,
  options: ReadyQueueTriggerOptions,
): FlowDefinition['route'] {
  return (event) => {
    if (event.system !== expense.system || event.eventType !== trigger.eventType) return null;
    if (options.webhook === false && payloadText(event.payload, ['source']) !== 'poll') return null;
    const documentId = payloadText(event.payload, ['documentId', 'docId']);
    if (documentId === undefined) {
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `A ${trigger.eventType} event from ${event.system} names no documentId; the sender must name the ${trigger.what}`,
        {
          details: [{ path: 'documentId', message: 'required' }],
        },
      );
    }
    return {
      documentId,
      version: payloadText(event.payload, ['version', 'revisionNumber']) ?? '1',
      input: event.payload,
    };
  };
}

/**
 * The poller on the READY queue, as the flow's `pollers`. Documents are listed by id and revision
 * only: one the hub cannot read becomes its own run's exception instead of stopping the poll.
 */
export function readyQueuePollers(
  expense: { readonly system: string; readonly port: ExpensePort },
  trigger: ReadyQueueTrigger,
  options: ReadyQueueTriggerOptions,
): { pollers?: PollerDefinition[] } {
  if (options.poll === false) return {};
  const poller: PollerDefinition = {
    name: `${trigger.flow}:ready`,
    system: expense.system,
    ...(options.schedule === undefined || options.schedule.length === 0
      ? { intervalMs: options.pollIntervalMs ?? DEFAULT_POLL_MS }
      : { schedule: options.schedule }),
    async poll() {
      const ready = await expense.port.readyDocumentRefs(trigger.docType);
      return {
        cursor: null,
        events: ready.map((d) => {
          const version = d.revision ?? '1';
          return {
            eventType: trigger.eventType,
            dedupeKey: `${expense.system}:${trigger.docType}:${d.documentId}:${version}`,
            payload: { type: trigger.eventType, documentId: d.documentId, version, source: 'poll' },
          };
        }),
      };
    },
  };
  return { pollers: [poller] };
}
