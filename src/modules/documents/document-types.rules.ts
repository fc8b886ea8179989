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
] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]
