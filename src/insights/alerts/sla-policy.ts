/**
 * Exception SLAs and the period-close window. An open exception breaches its SLA when it is older than
 * the minutes configured for its process and class (`processes.<flow>.slaMinutes.<class>`). During the
 * close window — the last `daysBeforeMonthEnd` days of a month and the first `daysAfterMonthEnd` days
 * of the next, in UTC — every SLA is multiplied by `slaFactor` (default 0.25), so alerts come sooner.
 */

export interface CloseWindowPolicy {
  readonly daysBeforeMonthEnd: number;
  readonly daysAfterMonthEnd: number;
  readonly slaFactor?: number;
}

export interface CloseWindow {
  /** First and last day of the window (YYYY-MM-DD, UTC, both included). */
  readonly from: string;
  readonly to: string;
  readonly slaFactor: number;
}

export const DEFAULT_CLOSE_SLA_FACTOR = 0.25;

const day = (year: number, month: number, date: number): string =>
  new Date(Date.UTC(year, month, date)).toISOString().slice(0, 10);
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The close window `now` falls in, or null outside it (or when none is configured). */
export function closeWindowAt(now: number, policy: CloseWindowPolicy | undefined): CloseWindow | null {
  if (policy === undefined) return null;
  const { daysBeforeMonthEnd: before, daysAfterMonthEnd: after } = policy;
  const slaFactor = policy.slaFactor ?? DEFAULT_CLOSE_SLA_FACTOR;
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const date = d.getUTCDate();
  const length = daysIn(year, month);
  if (before > 0 && date > length - before) {
    // Closing this month: from its last `before` days to the first `after` days of the next.
    return {
      from: day(year, month, length - before + 1),
      to: after > 0 ? day(year, month + 1, after) : day(year, month, length),
      slaFactor,
    };
  }
  if (after > 0 && date <= after) {
    // Closing the previous month: its last `before` days up to day `after` of this one.
    const previousLength = daysIn(year, month - 1);
    return {
      from: before > 0 ? day(year, month - 1, previousLength - before + 1) : day(year, month, 1),
      to: day(year, month, after),
      slaFactor,
    };
  }
  return null;
}

/** Minutes per process and class, as configured. */
export type SlaMinutes = Readonly<Record<string, Readonly<Partial<Record<string, number>>>>>;

export class SlaPolicy {
  constructor(
    private readonly minutes: SlaMinutes = {},
    private readonly closeWindow?: CloseWindowPolicy,
  ) {}

  window(now: number): CloseWindow | null {
    return closeWindowAt(now, this.closeWindow);
  }

  /** The SLA in milliseconds for an exception of this process and class at `now`, if one is set. */
  slaMs(process: string | null, exceptionClass: string, now: number): number | undefined {
    if (process === null) return undefined;
    const minutes = this.minutes[process]?.[exceptionClass];
    if (minutes === undefined) return undefined;
    const factor = this.window(now)?.slaFactor ?? 1;
    return Math.round(minutes * 60_000 * factor);
  }

  /** True when an open exception created at `createdAt` is past its SLA at `now`. */
  breached(process: string | null, exceptionClass: string, createdAt: number, now: number): boolean {
    const sla = this.slaMs(process, exceptionClass, now);
    return sla !== undefined && now - createdAt >= sla;
  }

  /** Every (process, class) with an SLA, for queries that look only where a breach is possible. */
  entries(): { process: string; exceptionClass: string; minutes: number }[] {
    return Object.entries(this.minutes).flatMap(([process, byClass]) =>
      Object.entries(byClass).flatMap(([exceptionClass, minutes]) =>
        minutes === undefined ? [] : [{ process, exceptionClass, minutes }],
      ),
    );
  }

  /** The shortest SLA in force at `now`; nothing younger than it can be breached. */
  shortestMs(now: number): number | undefined {
    const factor = this.window(now)?.slaFactor ?? 1;
    const all = this.entries().map((e) => Math.round(e.minutes * 60_000 * factor));
    return all.length === 0 ? undefined : Math.min(...all);
  }
}
