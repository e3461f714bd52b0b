/** Epoch milliseconds as the API and reports write them. */

/** RFC 3339 UTC time of epoch milliseconds (as stored: a number or a bigint column read as text), or null. */
export const isoTime = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The UTC day (YYYY-MM-DD) of epoch milliseconds. */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
