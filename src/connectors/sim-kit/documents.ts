/**
 * What a simulator created, in the one shape every simulator answers at `GET /_sim/documents`
 * (DESIGN.md section 11), whatever the vendor format underneath. Amounts are decimal strings.
 */
export type SimDocumentKind =
  | 'vendor'
  | 'supplier_invoice'
  | 'journal_entry'
  | 'reversal'
  | 'posting_confirmation'
  | 'payment_confirmation'
  | 'integration_record'
  | 'lookup_value'
  | 'write_back';

export interface SimDocumentLine {
  readonly account: string;
  readonly side: 'D' | 'C';
  readonly amount: string;
  readonly costCenter?: string;
  readonly project?: string;
  readonly taxCode?: string;
  readonly partner?: string;
}

/** A link or file attached to a created document (e.g. a URL attachment on an ERP document). */
export interface SimAttachment {
  readonly id: string;
  readonly url?: string;
  readonly description: string;
  readonly mediaType?: string;
  readonly createdBy?: string;
  readonly createdAt: string;
}

export interface SimDocument {
  readonly kind: SimDocumentKind;
  readonly id: string;
  readonly reference: string;
  readonly companyCode?: string;
  readonly currency?: string;
  readonly createdAt: string;
  readonly lines: readonly SimDocumentLine[];
  readonly raw: unknown;
  /** What was attached to the document after it was created, oldest first; absent when nothing was. */
  readonly attachments?: readonly SimAttachment[];
}

export class SimDocuments {
  private readonly documents: SimDocument[] = [];

  add(document: Omit<SimDocument, 'createdAt'> & { createdAt?: string }): SimDocument {
    const stored: SimDocument = { ...document, createdAt: document.createdAt ?? new Date().toISOString() };
    this.documents.push(stored);
    return stored;
  }

  find(filter: { reference?: string | null; kind?: string | null }): SimDocument[] {
    return this.documents.filter(
      (d) =>
        (filter.reference == null || d.reference === filter.reference) &&
        (filter.kind == null || d.kind === filter.kind),
    );
  }

  /** Adds an attachment to the first document of the kind and id; false when there is none. */
  attach(kind: SimDocumentKind, id: string, attachment: SimAttachment): boolean {
    const index = this.documents.findIndex((d) => d.kind === kind && d.id === id);
    const document = this.documents[index];
    if (document === undefined) return false;
    this.documents[index] = { ...document, attachments: [...(document.attachments ?? []), attachment] };
    return true;
  }

  /** Remembers what is listed now; the answer puts it back (a write undone by the vendor). */
  checkpoint(): () => void {
    const saved = [...this.documents];
    return () => {
      this.documents.length = 0;
      for (const document of saved) this.documents.push(document);
    };
  }

  clear(): void {
    this.documents.length = 0;
  }
}
