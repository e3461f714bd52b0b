/**
 * What the budget check counts against a configured budget (config `budgets`: entity, cost center or
 * project, fiscal year, amount):
 * - commitments: lines of purchase orders still open in procurement (status issued), by the order's
 *   company code, the line's cost center and the order date's year, at the line's net amount;
 * - actuals: what the ERP has posted on the cost center or WBS element in that company code and
 *   fiscal year (journal entry items of G/L accounts, debit positive, credit negative) — every posting,
 *   the hub's and anyone else's, since the ERP is the system of record for actuals.
 * Amounts in another currency than the budget are passed on and reported by the check, never converted.
 *
 * The figures are cached in this process and refreshed every `refreshMs` (default 60 s) by the hub's
 * scheduler, so a check answers from memory; `refresh()` reads them now. A check before the first
 * refresh waits for it.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { Money } from '../canonical/money.js';
import type { CostObjectPosting } from '../connectors/port.js';
import type { Connectors } from '../connectors/port.js';

/** One configured budget (config `budgets`): on a cost center or a project of an entity, for a fiscal year. */
export interface BudgetLimit {
  readonly entity: string;
  readonly costCenter?: string | undefined;
  readonly project?: string | undefined;
  readonly fiscalYear: number;
  /** Decimal string in `currency`. */
  readonly amount: string;
  readonly currency: string;
}

export interface BudgetFigure {
  readonly commitments: readonly Money[];
  readonly actuals: readonly Money[];
}

export interface BudgetFiguresOptions {
  readonly budgets: readonly BudgetLimit[];
  readonly connectors: Pick<Connectors, 'erp' | 'procurement'>;
  readonly refreshMs?: number;
  readonly onError?: (error: unknown) => void;
  readonly now?: () => number;
}

const slot = (entity: string, year: number, kind: 'cc' | 'wbs', code: string): string =>
  `${entity}\u0000${year}\u0000${kind}\u0000${code}`;

function add(map: Map<string, Money[]>, key: string, money: Money): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [money]);
  else list.push(money);
}

export class BudgetFigures {
  #commitments = new Map<string, Money[]>();
  #actuals = new Map<string, Money[]>();
  #refreshedAt: number | null = null;
  #refreshing: Promise<void> | undefined;
  readonly #options: BudgetFiguresOptions;

  constructor(options: BudgetFiguresOptions) {
    this.#options = options;
  }

  get refreshedAt(): number | null {
    return this.#refreshedAt;
  }

  /** The configured budget for an entity and year on a cost center or project. */
  budgetFor(
    entity: string,
    fiscalYear: number,
    costObject: { costCenter?: string | undefined; project?: string | undefined },
  ): BudgetLimit | undefined {
    return this.#options.budgets.find(
      (b) =>
        b.entity === entity &&
        b.fiscalYear === fiscalYear &&
        b.costCenter === costObject.costCenter &&
        b.project === costObject.project,
    );
  }

  /** Commitments and actuals of a budget, refreshing first when nothing was read yet. */
  async figuresFor(budget: BudgetLimit): Promise<BudgetFigure & { readonly refreshedAt: number }> {
    if (this.#refreshedAt === null) await this.refresh();
    const kind = budget.costCenter !== undefined ? 'cc' : 'wbs';
    const code = budget.costCenter ?? budget.project ?? '';
    const key = slot(budget.entity, budget.fiscalYear, kind, code);
    return {
      commitments: this.#commitments.get(key) ?? [],
      actuals: this.#actuals.get(key) ?? [],
      refreshedAt: this.#refreshedAt ?? 0,
    };
  }

  /** Reads commitments and actuals now (one refresh at a time). */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#read().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Refreshed on this interval by the hub's scheduler, while any budget is configured. */
  get refreshMs(): number | undefined {
    return this.#options.budgets.length === 0 ? undefined : (this.#options.refreshMs ?? 60_000);
  }

  async #read(): Promise<void> {
    const { erp, procurement } = this.#options.connectors;
    const commitments = new Map<string, Money[]>();
    const actuals = new Map<string, Money[]>();
    try {
      if (procurement?.port.openPurchaseOrders !== undefined) {
        for (const order of await procurement.port.openPurchaseOrders()) {
          const year = Number(order.orderDate.slice(0, 4));
          for (const line of order.lines) {
            if (line.costCenter !== undefined)
              add(commitments, slot(order.companyCode, year, 'cc', line.costCenter), line.netAmount);
          }
        }
      }
      const read = erp?.port.readCostObjectPostings?.bind(erp.port);
      if (read !== undefined) {
        const years = new Set(this.#options.budgets.map((b) => `${b.entity}\u0000${b.fiscalYear}`));
        for (const pair of years) {
          const [entity, year] = pair.split('\u0000') as [string, string];
          for (const posting of await read(entity, Number(year))) addPosting(actuals, posting);
        }
      }
    } catch (cause) {
      throw new LedgerlinkError(
        'LL_ERR_BUDGET_FIGURES_UNAVAILABLE',
        'Commitments and actuals could not be read from procurement and the ERP',
        {
          details: [{ message: cause instanceof Error ? cause.message : String(cause) }],
          cause,
        },
      );
    }
    this.#commitments = commitments;
    this.#actuals = actuals;
    this.#refreshedAt = (this.#options.now ?? Date.now)();
  }
}

function addPosting(actuals: Map<string, Money[]>, posting: CostObjectPosting): void {
  if (posting.costCenter !== undefined)
    add(actuals, slot(posting.companyCode, posting.fiscalYear, 'cc', posting.costCenter), posting.amount);
  if (posting.project !== undefined)
    add(actuals, slot(posting.companyCode, posting.fiscalYear, 'wbs', posting.project), posting.amount);
}
