/**
 * Capability interfaces the flows call. Connectors implement them against vendor APIs; flows see only
 * these types. ErpPort, ProcurementPort, ExpensePort and DirectoryPort follow with the connectors.
 */
import type { JsonValue } from '../canonical/strict-json.js';

/** A generic HTTP endpoint that receives documents: the built-in echo flow's target. */
export interface EchoSinkPort {
  /** The ID the sink gave the document posted with this reference, or null if there is none. */
  findByReference(reference: string): Promise<string | null>;
  /** Posts the payload with its reference; returns the sink's ID for it. */
  post(reference: string, payload: JsonValue, correlationId: string): Promise<string>;
}
