import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import { UNIT_EVENT_TYPES } from '../units/unit-status.rules.js'

export const CreateWebhookRequest = z
  .object({
    name: z.string().trim().min(1).max(120).describe('what the receiver is ("shop stock sync")'),
    url: z
      .url({ protocol: /^https?$/, error: 'url must be an http or https URL' })
      .max(2000)
      .describe('where deliveries are POSTed'),
    eventTypes: z
      .array(z.enum([...UNIT_EVENT_TYPES, '*']))
      .max(UNIT_EVENT_TYPES.length + 1)
      .default(['*'])
      .describe('event types sent; `*` (the default) sends every event'),
    sku: code('SKU').optional().describe('only events with a line of this SKU'),
    location: code('location').optional().describe('only events at this location or inside it'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(8)
      .describe('failed attempts after which a delivery becomes a dead letter'),
  })
  .strict()
  .meta({ id: 'CreateWebhookRequest' })
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>

export const WebhookSubscription = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    sku: z.string().nullable(),
    location: z.string().nullable(),
    maxAttempts: z.number(),
    isActive: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string(),
    pending: z.number().describe('deliveries waiting or being retried'),
    dead: z.number().describe('dead letters'),
    delivered: z.number(),
  })
  .meta({ id: 'WebhookSubscription' })
export type WebhookSubscription = z.infer<typeof WebhookSubscription>

export const CreatedWebhook = WebhookSubscription.extend({
  secret: z.string().describe('signs every delivery; shown only now, store it in the receiver'),
}).meta({ id: 'CreatedWebhook' })
export type CreatedWebhook = z.infer<typeof CreatedWebhook>

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const

export const WebhookDelivery = z
  .object({
    subscriptionId: z.string(),
    eventSeq: z.number(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    lastStatusCode: z.number().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' })
export type WebhookDelivery = z.infer<typeof WebhookDelivery>

export const DeliveryQuery = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional().describe('only deliveries in this status (`dead`: dead letters)'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict()

export const RedeliverRequest = z
  .object({
    eventSeqs: z
      .array(z.number().int().min(1))
      .max(1000)
      .optional()
      .describe('the dead letters (by event seq) to send again; all of the subscription’s when omitted'),
  })
  .strict()
  .meta({ id: 'RedeliverRequest' })
export type RedeliverRequest = z.infer<typeof RedeliverRequest>

export const ReplayRequest = z
  .object({
    afterSeq: z.number().int().min(0).describe('send again every matching event after this ledger position'),
  })
  .strict()
  .meta({ id: 'ReplayRequest' })
export type ReplayRequest = z.infer<typeof ReplayRequest>

export const RequeuedCount = z.object({ requeued: z.number() }).meta({ id: 'RequeuedCount' })
