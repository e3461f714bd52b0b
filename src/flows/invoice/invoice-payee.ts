/**
 * The supplier's ERP vendor as the pre-posting check of invoice posting sees it: taken from the
 * hub's copy of the ERP vendor master; a vendor the copy lacks or holds blocked is read from the ERP
 * (the copy may be older than a block lifted since), and the copy learns it. Without a copy, the ERP
 * is read. A vendor the ERP does not know is left to the posting (the ERP's own refusal).
 */
import type { ErpPort, ErpVendor } from '../../connectors/port.js';
import type { VendorMasterCopy } from '../../hub/ports.js';
import type { PayeeState } from '../../validation/posting-check.js';

export async function invoicePayee(
  erp: ErpPort,
  vendorMaster: VendorMasterCopy | undefined,
  vendorId: string,
): Promise<PayeeState | undefined> {
  const stateOf = (v: ErpVendor): PayeeState => ({
    vendorId,
    known: true,
    blocked: v.blocked,
    companyCodes: v.companyCodes,
  });
  if (vendorMaster !== undefined) {
    await vendorMaster.ensureLoaded().catch(() => undefined);
    const copied = vendorMaster.loaded ? vendorMaster.vendor(vendorId) : undefined;
    if (copied !== undefined && !copied.blocked) return stateOf(copied);
  }
  const read = await erp.findVendors({ vendorId });
  if (read.length > 0) vendorMaster?.upsert(read);
  const found = read.find((v) => v.vendorId === vendorId);
  return found === undefined ? undefined : stateOf(found);
}
