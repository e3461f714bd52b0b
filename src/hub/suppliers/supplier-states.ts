/** The store-backed supplier state records (migration 8, `supplier_states`). */
import type { Store } from '../../store/port.js';
import type { SupplierStatesTable } from '../../store/schema.js';
import type { SupplierStateRecord, SupplierStates } from '../ports.js';

type Row = SupplierStatesTable;

function toRecord(row: Row): SupplierStateRecord {
  return {
    supplierId: row.supplier_id,
    status: row.status,
    procurementSystem: row.procurement_system,
    procurementId: row.procurement_id,
    erpSystem: row.erp_system,
    erpVendorId: row.erp_vendor_id,
    reason: row.reason,
    updatedAt: Number(row.updated_at),
  };
}

export class StoreSupplierStates implements SupplierStates {
  constructor(private readonly store: Store) {}

  async get(supplierId: string): Promise<SupplierStateRecord | null> {
    const row = await this.store.db
      .selectFrom('supplier_states')
      .selectAll()
      .where('supplier_id', '=', supplierId)
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  async put(record: SupplierStateRecord): Promise<void> {
    const values = {
      status: record.status,
      procurement_system: record.procurementSystem,
      procurement_id: record.procurementId,
      erp_system: record.erpSystem,
      erp_vendor_id: record.erpVendorId,
      reason: record.reason,
      updated_at: record.updatedAt,
    };
    await this.store.writeTransaction(async (tx) => {
      await tx
        .insertInto('supplier_states')
        .values({ supplier_id: record.supplierId, ...values })
        .onConflict((oc) => oc.column('supplier_id').doUpdateSet(values))
        .execute();
    });
  }

  async list(): Promise<SupplierStateRecord[]> {
    const rows = await this.store.db.selectFrom('supplier_states').selectAll().orderBy('supplier_id').execute();
    return rows.map(toRecord);
  }
}
