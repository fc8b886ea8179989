/*
 * The kinds of business document, on their own so every module can name them without pulling in
 * schemas or the database (the web app imports this too).
 */
export const DOCUMENT_TYPES = [
  'receipt',
  'transfer',
  'order',
  'return',
  'adjustment',
  'scrap',
  'move',
  'count',
  'sales_order',
  'inspection',
  'quarantine',
  'recall',
  'claim',
  'warranty_claim',
  'price_change',
  'packing',
] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]

/** What a document's amounts are: the sale price of what it sold or took back, or the cost of what it received. */
export const AMOUNT_KIND: Record<DocumentType, 'price' | 'cost' | null> = {
  receipt: 'cost',
  order: 'price',
  return: 'price',
  transfer: null,
  adjustment: null,
  scrap: null,
  move: null,
  // A count's events carry scans, not amounts; its value lives in the reconciliation, at cost.
  count: null,
  // An order's shipments are sale events on the order's own document.
  sales_order: 'price',
  inspection: null,
  quarantine: null,
  recall: null,
  claim: 'cost',
  // A claim's events: the claim, the repair, the return of the faulty unit, the replacement's no-charge sale.
  warranty_claim: null,
  // A price change carries the new prices of units still in stock: nothing was sold or received.
  price_change: null,
  // Packing units into containers and out of them: nothing changes hands.
  packing: null,
}
