/** When a poller runs next: after its interval, or at the next listed time of day (UTC). */
import type { PollerDefinition } from './step-api.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

function minutesOfDay(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The first instant strictly after `now` at one of the times of day. */
export function nextScheduledTime(times: readonly string[], now: number): number {
  const dayStart = now - (now % DAY);
  let best = Number.POSITIVE_INFINITY;
  for (const time of times) {
    let at = dayStart + minutesOfDay(time) * MINUTE;
    if (at <= now) at += DAY;
    best = Math.min(best, at);
  }
  return best;
}

export function nextRunAt(poller: Pick<PollerDefinition, 'intervalMs' | 'schedule'>, now: number): number {
  const byInterval = poller.intervalMs === undefined ? Number.POSITIVE_INFINITY : now + poller.intervalMs;
  const bySchedule =
    poller.schedule === undefined || poller.schedule.length === 0
      ? Number.POSITIVE_INFINITY
      : nextScheduledTime(poller.schedule, now);
  const next = Math.min(byInterval, bySchedule);
  return Number.isFinite(next) ? next : now + DEFAULT_POLL_INTERVAL_MS;
}

/** After a failed poll: try again sooner than a long interval, but not in a tight loop. */
export function retryAt(poller: Pick<PollerDefinition, 'intervalMs' | 'schedule'>, now: number): number {
  return Math.min(nextRunAt(poller, now), now + 30_000);
}
