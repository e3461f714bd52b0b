/** A generic HTTP endpoint that receives documents: the built-in echo flow's target. */
import type { JsonValue } from '../../canonical/strict-json.js';

export interface EchoSinkPort {
  /** The ID the sink gave the document posted with this reference, or null if there is none. */
  findByReference(reference: string): Promise<string | null>;
  /** Posts the payload with its reference; returns the sink's ID for it. */
  post(reference: string, payload: JsonValue, correlationId: string): Promise<string>;
}
