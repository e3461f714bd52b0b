/**
 * POST /v1/validate/budget — is there budget left for this amount on a cost center or project?
 * The budget comes from config `budgets` (entity, cost object, fiscal year of `date`); commitments
 * (open purchase orders) and actuals (ERP postings) from the figures cached in this process (see
 * composition/budget-figures.ts). Answers `{ withinBudget, available, consumedPercent,
 * consumedPercentAfterRequest, budget, figuresAsOf, issues }`.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import { checkBudget, isIsoDate } from '../../../validation/index.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const MoneySchema = Type.Object(
  {
    amount: Type.String({ minLength: 1, maxLength: 40, description: 'decimal string' }),
    currency: Type.String({ minLength: 3, maxLength: 3 }),
  },
  { additionalProperties: false },
);

const BudgetRequestSchema = Type.Object(
  {
    entity: Type.String({ minLength: 1, maxLength: 16, description: 'legal entity (company code)' }),
    costCenter: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    amount: MoneySchema,
    date: Type.String({ minLength: 10, maxLength: 10, description: 'YYYY-MM-DD; its year is the fiscal year' }),
  },
  { additionalProperties: false },
);

function badRequest(message: string, path: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_BAD_REQUEST', message, { details: [{ path, message }] });
}

export function registerValidateBudgetRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/validate/budget',
    {
      config: { action: 'coding:validate' },
      schema: { summary: 'Check an amount against the budget left', body: BudgetRequestSchema },
    },
    async (request) => {
      const services = ctx.masterData;
      if (services === undefined)
        throw new LedgerlinkError('LL_ERR_NOT_FOUND', 'Budget checks are not available in this process');
      const { entity, costCenter, project, amount, date } = request.body;
      if ((costCenter === undefined) === (project === undefined))
        throw badRequest('Give either costCenter or project', 'body');
      if (!isIsoDate(date)) throw badRequest(`date ${date} is not a date (YYYY-MM-DD)`, 'body/date');
      const fiscalYear = Number(date.slice(0, 4));
      const budget = services.budgets.budgetFor(entity, fiscalYear, { costCenter, project });
      const object = costCenter !== undefined ? `cost center ${costCenter}` : `project ${project ?? ''}`;
      if (budget === undefined) {
        throw new LedgerlinkError(
          'LL_ERR_NOT_FOUND',
          `No budget is configured for ${object} of ${entity} in ${fiscalYear}`,
          {
            details: [
              { path: 'budgets', message: 'add it to the budgets section of the configuration', entity, fiscalYear },
            ],
          },
        );
      }
      const figures = await services.budgets.figuresFor(budget);
      const result = checkBudget({
        budget: { amount: budget.amount, currency: budget.currency },
        commitments: figures.commitments,
        actuals: figures.actuals,
        requested: amount,
        label: `${object}, ${entity} ${fiscalYear}`,
      });
      return {
        ...result,
        budget: { amount: budget.amount, currency: budget.currency },
        figuresAsOf: new Date(figures.refreshedAt).toISOString(),
      };
    },
  );
}
