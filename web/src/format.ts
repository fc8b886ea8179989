/* Display helpers: money, dates, statuses and event names as people read them. */
import type { UnitEventType, UnitStatus } from './types.js'

// Money is shown in the server's currency and locale (GET /settings/display), set once after sign-in.
let money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
let moneyCurrency: string | undefined
const int = new Intl.NumberFormat()

/** Shows money from now on in this currency (ISO 4217) and locale, e.g. `1.234,50 €` for EUR in de-DE. */
export function setMoneyFormat(currency: string, locale: string): void {
  money = new Intl.NumberFormat(locale, { style: 'currency', currency })
  moneyCurrency = currency
}
/** The currency money is shown in (undefined until the server's setting is in). */
export const currencyOf = () => moneyCurrency
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })

export const fmtMoney = (n: number | null | undefined) => (n === null || n === undefined ? '—' : money.format(n))
export const fmtInt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : int.format(n))
export const fmtDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—')
/** A date-only value (YYYY-MM-DD) shown without shifting it by the time zone. */
export const fmtDate = (iso: string | null | undefined) =>
  iso ? dateOnly.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : '—'

export const STATUS_LABEL: Record<UnitStatus, string> = {
  in_stock: 'In stock',
  in_transit: 'In transit',
  sold: 'Sold',
  returned: 'Returned',
  quarantined: 'Quarantined',
  in_repair: 'In repair',
  returned_to_vendor: 'Returned to vendor',
  scrapped: 'Scrapped',
  missing: 'Missing',
}

// Every event type has its label (the compiler asks for a new one), so no timeline shows a raw type name.
const EVENT_LABEL: Record<UnitEventType, string> = {
  received: 'Received',
  moved: 'Moved',
  transfer_shipped: 'Transfer shipped',
  transfer_received: 'Transfer received',
  sold: 'Sold',
  returned: 'Returned by customer',
  restocked: 'Restocked',
  found: 'Found',
  lost: 'Lost',
  scrapped: 'Scrapped',
  count_started: 'Count started',
  counted: 'Counted',
  count_recounted: 'Zone recounted',
  count_closed: 'Count closed',
  order_placed: 'Order placed',
  order_cancelled: 'Order cancelled',
  inspected: 'Inspected',
  quarantined: 'Quarantined',
  released: 'Released from quarantine',
  returned_to_vendor: 'Returned to vendor',
  recall_opened: 'Recall opened',
  recall_outcome: 'Recall outcome',
  recall_closed: 'Recall closed',
  claim_opened: 'Supplier claim opened',
  claim_status_changed: 'Supplier claim updated',
  warranty_term_set: 'Warranty term set',
  warranty_claimed: 'Warranty claim',
  warranty_voided: 'Warranty voided',
  warranty_transferred: 'Warranty transferred',
  warranty_token_rotated: 'Warranty check link renewed',
  repair_started: 'Repair started',
  repair_returned: 'Back from repair',
  restocked_open_box: 'Restocked as open-box',
  price_changed: 'Price changed',
  order_picked: 'Picked for order',
  packed: 'Packed into container',
  unpacked: 'Unpacked from container',
}
export const eventLabel = (type: string) =>
  Object.hasOwn(EVENT_LABEL, type) ? EVENT_LABEL[type as UnitEventType] : type.replace(/_/g, ' ')

export const plural = (n: number, one: string, many = `${one}s`) => `${fmtInt(n)} ${n === 1 ? one : many}`
