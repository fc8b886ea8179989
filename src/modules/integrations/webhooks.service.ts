import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { Executor } from '../../db/database.js'
import { getSkuByCode } from '../catalog/index.js'
import { getLocationByCode } from '../locations/index.js'
import type { WebhookSubscriptionTable } from './integrations.tables.js'
import { eventTypesOf, storedEventTypes } from './webhooks.rules.js'
import { awaitSequenced } from '../ledger/index.js'
import type {
  CreatedWebhook,
  CreateWebhookRequest,
  DELIVERY_STATUSES,
  RedeliverRequest,
  ReplayRequest,
  WebhookDelivery,
  WebhookSubscription,
} from './webhooks.schemas.js'

/** Creates a subscription; its signing secret is in this answer only. */
export async function createWebhook(
  ctx: AppContext,
  actor: string,
  req: CreateWebhookRequest,
): Promise<CreatedWebhook> {
  const db = ctx.db.kysely
  const sku = req.sku ? await getSkuByCode(db, req.sku) : undefined
  const location = req.location ? await getLocationByCode(db, req.location) : undefined
  const row: WebhookSubscriptionTable = {
    id: newId(),
    name: req.name,
    url: req.url,
    secret: `whsec_${randomBytes(24).toString('base64url')}`,
    event_types: storedEventTypes(req.eventTypes),
    sku_id: sku?.id ?? null,
    location_id: location?.id ?? null,
    max_attempts: req.maxAttempts,
    is_active: 1,
    created_at: ctx.clock.now().toISOString(),
    created_by: actor,
    lease_owner: null,
    lease_until: null,
  }
  await db.insertInto('webhook_subscription').values(row).execute()
  return { ...(await getWebhook(db, row.id)), secret: row.secret }
}

const subscriptions = (db: Executor) =>
  db
    .selectFrom('webhook_subscription as s')
    .leftJoin('sku', 'sku.id', 's.sku_id')
    .leftJoin('location', 'location.id', 's.location_id')
    .select([
      's.id',
      's.name',
      's.url',
      's.event_types',
      's.max_attempts',
      's.is_active',
      's.created_at',
      's.created_by',
      'sku.code as sku',
      'location.code as location',
    ])
    .select((eb) =>
      (['pending', 'dead', 'delivered'] as const).map((status) =>
        eb
          .selectFrom('webhook_delivery as d')
          .select((e) => e.fn.countAll().as('n'))
          .whereRef('d.subscription_id', '=', 's.id')
          .where('d.status', '=', status)
          .as(status),
      ),
    )

type SubscriptionRow = Awaited<ReturnType<ReturnType<typeof subscriptions>['execute']>>[number]

const toSubscription = (r: SubscriptionRow): WebhookSubscription => ({
  id: r.id,
  name: r.name,
  url: r.url,
  eventTypes: eventTypesOf(r.event_types),
  sku: r.sku,
  location: r.location,
  maxAttempts: r.max_attempts,
  isActive: r.is_active === 1,
  createdAt: r.created_at,
  createdBy: r.created_by,
  pending: Number(r.pending),
  dead: Number(r.dead),
  delivered: Number(r.delivered),
})

export async function listWebhooks(db: Executor): Promise<WebhookSubscription[]> {
  return (await subscriptions(db).orderBy('s.created_at').execute()).map(toSubscription)
}

export async function getWebhook(db: Executor, id: string): Promise<WebhookSubscription> {
  const row = await subscriptions(db).where('s.id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('webhook.not_found', `no webhook subscription ${id}`)
  return toSubscription(row)
}

/** Stops (or resumes) a subscription: a stopped one gets no new deliveries and sends none. */
export async function setWebhookActive(db: Executor, id: string, isActive: boolean): Promise<WebhookSubscription> {
  await getWebhook(db, id)
  await db
    .updateTable('webhook_subscription')
    .set({ is_active: isActive ? 1 : 0 })
    .where('id', '=', id)
    .execute()
  return getWebhook(db, id)
}

/** A subscription's delivery log, newest first; `status: 'dead'` is its dead letters. */
export async function listDeliveries(
  db: Executor,
  id: string,
  query: { status?: (typeof DELIVERY_STATUSES)[number]; limit: number },
): Promise<WebhookDelivery[]> {
  await getWebhook(db, id)
  let q = db
    .selectFrom('webhook_delivery as d')
    .innerJoin('event as e', 'e.seq', 'd.event_seq')
    .select([
      'd.subscription_id',
      'd.event_seq',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_error',
      'd.last_status_code',
      'd.delivered_at',
      'e.id as event_id',
      'e.type as event_type',
    ])
    .where('d.subscription_id', '=', id)
  if (query.status) q = q.where('d.status', '=', query.status)
  const rows = await q.orderBy('d.event_seq', 'desc').limit(query.limit).execute()
  return rows.map((r) => ({
    subscriptionId: r.subscription_id,
    eventSeq: Number(r.event_seq),
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    lastStatusCode: r.last_status_code,
    deliveredAt: r.delivered_at,
  }))
}

/** Sends dead letters again (the given ones, or all of the subscription's), from a fresh attempt count. */
export async function redeliver(ctx: AppContext, id: string, req: RedeliverRequest): Promise<{ requeued: number }> {
  const db = ctx.db.kysely
  await getWebhook(db, id)
  let q = db
    .updateTable('webhook_delivery')
    .set({ status: 'pending', attempts: 0, next_attempt_at: ctx.clock.now().toISOString() })
    .where('subscription_id', '=', id)
    .where('status', '=', sql.lit('dead'))
  if (req.eventSeqs) q = q.where('event_seq', 'in', req.eventSeqs.length > 0 ? req.eventSeqs : [0])
  const result = await q.executeTakeFirst()
  return { requeued: Number(result.numUpdatedRows) }
}

/**
 * Queues every event after `afterSeq` that the subscription's filters match, again (a receiver that lost
 * its data, or a new subscription that wants the past): delivered or dead ones become pending again.
 */
export async function replay(ctx: AppContext, id: string, req: ReplayRequest): Promise<{ requeued: number }> {
  const db = ctx.db.kysely
  await getWebhook(db, id)
  await awaitSequenced(ctx.db)
  const now = ctx.clock.now().toISOString()
  const result = await sql`
    insert into webhook_delivery (subscription_id, event_seq, status, attempts, next_attempt_at)
    select s.id, e.seq, 'pending', 0, ${now}
    from webhook_subscription s, event e
    where s.id = ${id} and e.log_pos > ${req.afterSeq}
      and (s.event_types = '*' or s.event_types like '%,' || e.type || ',%')
      and (s.sku_id is null
        or exists (select 1 from event_unit u where u.event_seq = e.seq and u.sku_id = s.sku_id)
        or exists (select 1 from event_quantity q where q.event_seq = e.seq and q.sku_id = s.sku_id))
      and (s.location_id is null or exists (
        select 1 from location scope, location l
        where scope.id = s.location_id
          and substr(l.path, 1, length(scope.path)) = scope.path
          and (l.id = e.location_id or l.id = e.from_location_id
            or l.id in (select q.location_id from event_quantity q where q.event_seq = e.seq))))
    on conflict (subscription_id, event_seq)
    do update set status = 'pending', attempts = 0, next_attempt_at = ${now}, last_error = null
  `.execute(db)
  return { requeued: Number(result.numAffectedRows ?? 0) }
}
