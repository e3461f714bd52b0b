/**
 * The demo's steady traffic: approved expense reports into the expense platform's READY queue (now
 * and then a cash advance issued to an employee, and later a report of theirs applying it),
 * approved supplier requests and approved PO invoices (with their orders and receipts) into
 * procurement, with a small share of realistic trouble — an unmapped expense account, a report dated
 * into a closed period, suppliers duplicating an ERP vendor, invoices for more than was received, the
 * same report delivered again by webhook, and a short ERP maintenance window every few minutes. A
 * payment run in the ERP every few minutes clears the vendor items posted since, so payments flow back.
 */
import {
  expenseReport,
  issuedCashAdvance,
  supplierInvoice,
  supplierRequest,
  type DemoCashAdvance,
  type Random,
  type SupplierKind,
} from './demo-documents.js';
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
  /** Minutes between ERP payment runs (default 2). */
  readonly paymentRunEveryMinutes?: number;
  /** A closed period to date some reports into (YYYY-MM-DD). */
  readonly closedPeriodDate?: string;
  readonly random?: Random;
  readonly now?: () => number;
  readonly onError?: (what: string, error: unknown) => void;
}

export interface TrafficCounts {
  expenseReports: number;
  cashAdvancesIssued: number;
  cashAdvancesApplied: number;
  supplierRequests: number;
  supplierInvoices: number;
  duplicateDeliveries: number;
  paymentRuns: number;
  itemsCleared: number;
  maintenanceWindows: number;
  troubled: number;
}

export class TrafficGenerator {
  readonly counts: TrafficCounts = {
    expenseReports: 0,
    cashAdvancesIssued: 0,
    cashAdvancesApplied: 0,
    supplierRequests: 0,
    supplierInvoices: 0,
    duplicateDeliveries: 0,
    paymentRuns: 0,
    itemsCleared: 0,
    maintenanceWindows: 0,
    troubled: 0,
  };
  private readonly options: TrafficOptions;
  private readonly random: Random;
  private readonly urls: Map<SimulatorName, string>;
  private timer: NodeJS.Timeout | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private paymentTimer: NodeJS.Timeout | undefined;
  /** ERP documents a payment run already cleared (`/_sim/documents` ids). */
  private readonly cleared = new Set<string>();
  private lastReport: { id: string; reportId: string } | undefined;
  /** An advance issued and not yet applied by a report. */
  private pendingAdvance: DemoCashAdvance | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(options: TrafficOptions) {
    this.options = options;
    this.random = options.random ?? Math.random;
    this.urls = new Map(options.simulators.map((s) => [s.name, s.url]));
  }

  start(): void {
    const perMinute = this.options.perMinute ?? 20;
    this.timer = setInterval(
      () => {
        this.inFlight = this.inFlight
          .then(() => this.tick())
          .catch((error: unknown) => this.options.onError?.('traffic', error));
      },
      Math.max(100, Math.round(60_000 / perMinute)),
    );
    const every = (this.options.maintenanceEveryMinutes ?? 5) * 60_000;
    this.maintenanceTimer = setInterval(() => {
      void this.maintenance().catch((error: unknown) => this.options.onError?.('maintenance window', error));
    }, every);
    this.paymentTimer = setInterval(
      () => {
        this.inFlight = this.inFlight
          .then(() => this.paymentRun())
          .catch((error: unknown) => this.options.onError?.('payment run', error));
      },
      (this.options.paymentRunEveryMinutes ?? 2) * 60_000,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.maintenanceTimer);
    clearInterval(this.paymentTimer);
    await this.inFlight;
  }

  /** One step of traffic; public so tests can drive it without timers. */
  async tick(): Promise<void> {
    const roll = this.random();
    if (roll < 0.45) await this.expense();
    else if (roll < 0.7) await this.supplier();
    else if (roll < 0.9) await this.invoice();
    else await this.duplicateDelivery();
  }

  private today(): string {
    return new Date((this.options.now ?? Date.now)()).toISOString().slice(0, 10);
  }

  private async expense(): Promise<void> {
    const trouble = this.random();
    const closed = trouble < 0.05 && this.options.closedPeriodDate !== undefined;
    const unmapped = !closed && trouble < 0.1;
    if (!closed && !unmapped && trouble < 0.15) return this.cashAdvance();
    // A pending advance is applied by the next report or so of its employee (below or above the payout).
    const applies = !closed && !unmapped && trouble < 0.4 ? this.pendingAdvance : undefined;
    const report = expenseReport(this.random, {
      date: closed ? this.options.closedPeriodDate! : this.today(),
      unmappedAccount: unmapped,
      ...(applies === undefined ? {} : { appliesAdvance: applies }),
    });
    await this.post('expense', '/_sim/fis/documents', report.text);
    this.lastReport = report;
    this.counts.expenseReports++;
    if (applies !== undefined) {
      this.pendingAdvance = undefined;
      this.counts.cashAdvancesApplied++;
    }
    if (closed || unmapped) this.counts.troubled++;
  }

  /** A cash advance issued to an employee; a later report of theirs applies it. */
  private async cashAdvance(): Promise<void> {
    const advance = issuedCashAdvance(this.random, this.today());
    await this.post('expense', '/_sim/fis/documents', advance.text);
    this.pendingAdvance = advance;
    this.counts.cashAdvancesIssued++;
  }

  private async supplier(): Promise<void> {
    const trouble = this.random();
    const kind: SupplierKind = trouble < 0.08 ? 'duplicate-iban' : trouble < 0.15 ? 'near-duplicate' : 'new';
    const seed = supplierRequest(this.random, kind, (this.options.now ?? Date.now)());
    await this.post('procurement', '/_sim/seed', JSON.stringify(seed));
    this.counts.supplierRequests++;
    if (kind !== 'new') this.counts.troubled++;
  }

  /** An approved PO invoice with its order and receipt; one in ten invoices more than was received. */
  private async invoice(): Promise<void> {
    const overReceived = this.random() < 0.1;
    const scenario = supplierInvoice(this.random, { overReceived, now: (this.options.now ?? Date.now)() });
    await this.post('procurement', '/_sim/seed', JSON.stringify(scenario.seed));
    this.counts.supplierInvoices++;
    if (overReceived) this.counts.troubled++;
  }

  /** Clears every vendor item posted since the last run (supplier invoices and journal entries with a vendor line), dated today. */
  async paymentRun(): Promise<void> {
    const base = this.urls.get('erp');
    if (base === undefined) throw new Error('simulator erp is not running');
    const response = await fetch(`${base}/_sim/documents`);
    if (!response.ok) throw new Error(`erp /_sim/documents: HTTP ${response.status}`);
    const documents = (await response.json()) as {
      kind: string;
      id: string;
      companyCode?: string;
      lines: { partner?: string }[];
    }[];
    const open = documents.filter(
      (d) =>
        (d.kind === 'supplier_invoice' || d.kind === 'journal_entry') &&
        d.companyCode !== undefined &&
        !this.cleared.has(d.id) &&
        d.lines.some((l) => l.partner !== undefined),
    );
    if (open.length === 0) return;
    const payments = open.map((d) => {
      const parts = d.id.split('/');
      return {
        accountingDocument: parts[0]!,
        fiscalYear: parts[parts.length - 1]!,
        companyCode: d.companyCode!,
        clearingDate: this.today(),
      };
    });
    await this.post('erp', '/_sim/seed', JSON.stringify({ payments }));
    for (const d of open) this.cleared.add(d.id);
    this.counts.paymentRuns++;
    this.counts.itemsCleared += open.length;
  }

  /** The last report announced again by webhook, twice with the same delivery id. */
  private async duplicateDelivery(): Promise<void> {
    const report = this.lastReport;
    if (report === undefined) return this.expense();
    const body = JSON.stringify({ type: 'expense_report.approved', documentId: report.id, reportId: report.reportId });
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
      if (response.status >= 300)
        throw new Error(`hub answered ${response.status} to a webhook delivery: ${await response.text()}`);
    }
    this.counts.duplicateDeliveries++;
  }

  private async maintenance(): Promise<void> {
    await this.post(
      'erp',
      '/_sim/faults',
      JSON.stringify({ maintenance: { forSeconds: this.options.maintenanceSeconds ?? 20 } }),
    );
    this.counts.maintenanceWindows++;
  }

  private async post(simulator: SimulatorName, path: string, body: string): Promise<void> {
    const base = this.urls.get(simulator);
    if (base === undefined) throw new Error(`simulator ${simulator} is not running`);
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (!response.ok) throw new Error(`${simulator} ${path}: HTTP ${response.status} ${await response.text()}`);
  }
}
