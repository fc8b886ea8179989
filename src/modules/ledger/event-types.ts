/*
 * The ledger's event types on their own, apart from event.ts (which hashes with node:crypto), so the
 * schemas and the web app can name them.
 */

/** Event types of the ledger: unit events (see units/unit-status.ts) are also used for quantity lines. */
export const EVENT_TYPES = [
  'received',
  'moved',
  'transfer_shipped',
  'transfer_received',
  'sold',
  'returned',
  'restocked',
  'found',
  'lost',
  'scrapped',
] as const
export type EventType = (typeof EVENT_TYPES)[number]
