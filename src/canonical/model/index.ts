/**
 * The canonical model (DESIGN.md section 4): TypeBox schemas, which are plain JSON Schema, and their
 * static types. `canonicalSchemas` lists every top-level object with its `$id`, for the OpenAPI
 * document and for registering with a validator; `componentSchemas` adds the shared blocks.
 */
import { accountingSchemas } from './accounting.js';
import { componentSchemas, namedList } from './common.js';
import { expenseSchemas } from './expense.js';
import { masterDataSchemas } from './master-data.js';
import { partySchemas } from './parties.js';
import { procurementSchemas } from './procurement.js';

export * from './accounting.js';
export * from './common.js';
export * from './expense.js';
export * from './master-data.js';
export * from './parties.js';
export * from './procurement.js';

export const canonicalSchemas = namedList([
  ...masterDataSchemas,
  ...partySchemas,
  ...procurementSchemas,
  ...expenseSchemas,
  ...accountingSchemas,
]);

/** Every named schema: canonical objects first, then the shared components. */
export const namedSchemas = namedList([...canonicalSchemas, ...componentSchemas]);
