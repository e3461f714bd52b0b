/**
 * The payload codec the engine is given when a master key is configured (record-protection.ts's
 * PayloadCodec): values are sealed as `lle1:` envelopes under the keyring's current key, with the
 * record id as associated data. Reading opens envelopes under any key in the ring and passes values
 * written before encryption was on through as they are, so old rows keep working.
 *
 * With `seal: false` (security.encryptPayloads: false) new values are stored in clear, and envelopes
 * written earlier still open.
 */
import { decryptEnvelopeText, encryptToEnvelope, isEnvelope } from './envelope-encryption.js';
import type { Keyring } from './master-keys.js';

export interface EnvelopePayloadCodecOptions {
  /** Seal new values (default true); when false only existing envelopes are opened. */
  readonly seal?: boolean;
}

export class EnvelopePayloadCodec {
  readonly #keyring: Keyring;
  readonly #seal: boolean;

  constructor(keyring: Keyring, options: EnvelopePayloadCodecOptions = {}) {
    this.#keyring = keyring;
    this.#seal = options.seal ?? true;
  }

  get keyring(): Keyring {
    return this.#keyring;
  }

  seal(recordId: string, plaintext: string): string {
    return this.#seal ? encryptToEnvelope(this.#keyring, recordId, plaintext) : plaintext;
  }

  open(recordId: string, stored: string): string {
    return isEnvelope(stored) ? decryptEnvelopeText(this.#keyring, recordId, stored) : stored;
  }
}
