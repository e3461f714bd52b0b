/**
 * ISO 13616 IBAN check digits (ISO 7064 MOD 97-10) for the seeded bank data, so the seed holds
 * IBANs that real validators (ibantools and the ERP) accept. Self-contained: simulators import
 * nothing outside their folder and the sim kit.
 */

/** Letters as two-digit numbers (A = 10 … Z = 35), digits as themselves. */
function numeric(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) {
    if (ch >= '0' && ch <= '9') out += ch;
    else if (ch >= 'A' && ch <= 'Z') out += (ch.charCodeAt(0) - 55).toString();
    else throw new RangeError(`not an IBAN character: ${JSON.stringify(ch)}`);
  }
  return out;
}

/** The remainder of a long decimal digit string divided by 97, digit by digit. */
export function mod97(digits: string): number {
  let remainder = 0;
  for (const ch of digits) remainder = (remainder * 10 + (ch.charCodeAt(0) - 48)) % 97;
  return remainder;
}

/** The two check digits of an IBAN with this country code and BBAN. */
export function ibanCheckDigits(country: string, bban: string): string {
  return (98 - mod97(numeric(`${bban}${country}00`))).toString().padStart(2, '0');
}

/** A complete IBAN (electronic format, no spaces) from its country code and BBAN. */
export function makeIban(country: string, bban: string): string {
  if (!/^[A-Z]{2}$/.test(country) || !/^[A-Z0-9]{1,30}$/.test(bban))
    throw new RangeError(`not an IBAN country or BBAN: ${country} ${bban}`);
  return `${country}${ibanCheckDigits(country, bban)}${bban}`;
}

/** True when the text is an IBAN in electronic format whose check digits are right. */
export function isValidIbanChecksum(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(iban)) return false;
  return mod97(numeric(`${iban.slice(4)}${iban.slice(0, 4)}`)) === 1;
}
