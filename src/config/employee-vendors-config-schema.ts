/**
 * `flows.expensePosting.employeeVendors`: employees without an ERP vendor become one before their
 * first report posts (docs/flows.md, "Employees as vendors"). Off when the section is absent.
 */
import { Type } from 'typebox';

export const EmployeeVendorsConfig = Type.Object(
  {
    reconciliationAccount: Type.String({
      minLength: 1,
      maxLength: 10,
      description: 'AP reconciliation account of new employee vendors',
    }),
    paymentTerms: Type.Optional(
      Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 4 }), {
        description: 'payment terms by company code, "*" as fallback',
      }),
    ),
    reviewAbove: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'name similarity from which a person reviews a possible duplicate vendor (default 0.85)',
      }),
    ),
  },
  { additionalProperties: false, description: 'employees become ERP vendors before their first report posts' },
);
