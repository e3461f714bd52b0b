/**
 * The demo's steady traffic: approved expense reports into the expense platform's READY queue and
 * approved supplier requests into procurement, with a small share of realistic trouble — an unmapped
 * expense account, a report dated into a closed period, suppliers duplicating an ERP vendor, the same
 * report delivered again by webhook, and a short ERP maintenance window every few minutes.
 */
import { expenseReport, supplierRequest, type Random, type SupplierKind } from './demo-documents.js';
import type { RunningSimulator, SimulatorName } from './simulators.js';

export interface TrafficOptions {
  readonly simulators: readonly RunningSimulator[];
  /** Where the hub listens, and a `service:<expense system>` token for webhook deliveries. */
  readonly hubUrl: string;
  readonly expenseSystem: string;
  readonly serviceToken: string;
  /** Documents per minute (default 20). */
  readonly perMinute?: number;
  /** Minutes between ERP maintenance windows (default 5) and their length in seconds (default 20). */
  readonly maintenanceEveryMinutes?: number;
  readonly maintenanceSeconds?: number;
  /** A closed period to date some reports into (YYYY-MM-DD). */
  readonly closedPeriodDate?: string;
  readonly random?: Random;
  readonly now?: () => number;
  readonly onError?: (what: string, error: unknown) => void;
}

export interface TrafficCounts {
  expenseReports: number;
  supplierRequests: number;
  duplicateDeliveries: number;
  maintenanceWindows: number;
  troubled: number;
}

export class TrafficGenerator {
  readonly counts: TrafficCounts = { expenseReports: 0, supplierRequests: 0, duplicateDeliveries: 0, maintenanceWindows: 0, troubled: 0 };
  private readonly options: TrafficOptions;
  private readonly random: Random;
  private readonly urls: Map<SimulatorName, string>;
  private timer: NodeJS.Timeout | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private lastReport: { id: string; reportId: string } | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(options: TrafficOptions) {
    this.options = options;
    this.random = options.random ?? Math.random;
    this.urls = new Map(options.simulators.map((s) => [s.name, s.url]));
  }

  start(): void {
    const perMinute = this.options.perMinute ?? 20;
    this.timer = setInterval(() => {
      this.inFlight = this.inFlight.then(() => this.tick()).catch((error: unknown) => this.options.onError?.('traffic', error));
    }, Math.max(100, Math.round(60_000 / perMinute)));
    const every = (this.options.maintenanceEveryMinutes ?? 5) * 60_000;
    this.maintenanceTimer = setInterval(() => {
      void this.maintenance().catch((error: unknown) => this.options.onError?.('maintenance window', error));
    }, every);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.maintenanceTimer);
    await this.inFlight;
  }

  /** One step of traffic; public so tests can drive it without timers. */
  async tick(): Promise<void> {
    const roll = this.random();
    if (roll < 0.55) await this.expense();
    else if (roll < 0.9) await this.supplier();
    else await this.duplicateDelivery();
  }

  private today(): string {
    return new Date((this.options.now ?? Date.now)()).toISOString().slice(0, 10);
  }

  private async expense(): Promise<void> {
    const trouble = this.random();
    const closed = trouble < 0.05 && this.options.closedPeriodDate !== undefined;
    const unmapped = !closed && trouble < 0.1;
    const report = expenseReport(this.random, { date: closed ? this.options.closedPeriodDate! : this.today(), unmappedAccount: unmapped });
    await this.post('expense', '/_sim/fis/documents', report.text);
    this.lastReport = report;
    this.counts.expenseReports++;
    if (closed || unmapped) this.counts.troubled++;
  }

  private async supplier(): Promise<void> {
    const trouble = this.random();
    const kind: SupplierKind = trouble < 0.08 ? 'duplicate-iban' : trouble < 0.15 ? 'near-duplicate' : 'new';
    const record = supplierRequest(this.random, kind, (this.options.now ?? Date.now)());
    await this.post('procurement', '/_sim/seed', JSON.stringify({ suppliers: [record] }));
    this.counts.supplierRequests++;
    if (kind !== 'new') this.counts.troubled++;
  }

  /** The last report announced again by webhook, twice with the same delivery id. */
  private async duplicateDelivery(): Promise<void> {
    const report = this.lastReport;
    if (report === undefined) return this.expense();
    const body = JSON.stringify({ id: report.id, reportId: report.reportId, type: 'expense_report.approved' });
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${this.options.hubUrl}/v1/events/${this.options.expenseSystem}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.options.serviceToken}`,
          'x-event-type': 'expense_report.approved',
          'x-event-id': `demo-redelivery-${report.id}`,
        },
        body,
      });
      if (response.status >= 300) throw new Error(`hub answered ${response.status} to a webhook delivery: ${await response.text()}`);
    }
    this.counts.duplicateDeliveries++;
  }

  private async maintenance(): Promise<void> {
    await this.post('erp', '/_sim/faults', JSON.stringify({ maintenance: { forSeconds: this.options.maintenanceSeconds ?? 20 } }));
    this.counts.maintenanceWindows++;
  }

  private async post(simulator: SimulatorName, path: string, body: string): Promise<void> {
    const base = this.urls.get(simulator);
    if (base === undefined) throw new Error(`simulator ${simulator} is not running`);
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (!response.ok) throw new Error(`${simulator} ${path}: HTTP ${response.status} ${await response.text()}`);
  }
}
