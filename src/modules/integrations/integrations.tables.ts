/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface WebhookSubscriptionTable {
  id: string
  name: string
  url: string
  /** Signs deliveries (HMAC-SHA256); shown once, when the subscription is created. */
  secret: string
  /** Event types it is sent, comma-delimited with a leading and trailing comma (`,sold,moved,`), or `*`. */
  event_types: string
  sku_id: string | null
  location_id: string | null
  max_attempts: number
  is_active: number
  created_at: string
  created_by: string
  /** The deliverer (one server process) that holds the right to send this subscription's outbox. */
  lease_owner: string | null
  /** Until when that lease holds, ISO-8601 UTC; a crashed holder's lease runs out and another takes it. */
  lease_until: string | null
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead'

export interface WebhookDeliveryTable {
  subscription_id: string
  event_seq: number
  status: DeliveryStatus
  attempts: number
  next_attempt_at: string
  last_error: string | null
  last_status_code: number | null
  delivered_at: string | null
}

/** Webhook subscriptions and their outbox (one row per subscription and event, in the event's transaction). */
export interface IntegrationTables {
  webhook_subscription: WebhookSubscriptionTable
  webhook_delivery: WebhookDeliveryTable
}
