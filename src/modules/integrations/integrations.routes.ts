import { z } from 'zod'
import { principalOf } from '../../http/auth.js'
import { moduleRoutes } from '../../http/context.js'
import { IdParam, taggedRoutes } from '../../http/route-schemas.js'
import { readFeed } from './feed.queries.js'
import { awaitSequenced } from '../ledger/index.js'
import { FeedPage, FeedQuery } from './feed.schemas.js'
import {
  CreatedWebhook,
  CreateWebhookRequest,
  DeliveryQuery,
  RedeliverRequest,
  ReplayRequest,
  RequeuedCount,
  WebhookDelivery,
  WebhookSubscription,
} from './webhooks.schemas.js'
import {
  createWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  replay,
  setWebhookActive,
} from './webhooks.service.js'

/** The outbound side: the pollable event feed, and webhook subscriptions (admin only) with their delivery log. */
export const integrationRoutes = moduleRoutes('integrations', (app, { ctx, db, routeOf }) => {
  app.get(
    '/feed',
    routeOf('stock.read', 'Ledger events in log order with their units and quantities, from a cursor (at least once)', {
      querystring: FeedQuery,
      response: { 200: FeedPage },
    }),
    async (req) => {
      await awaitSequenced(ctx.db)
      return readFeed(db, Number(req.query.after), req.query.limit)
    },
  )
  const webhookRoute = taggedRoutes(['webhooks'])
  app.get(
    '/webhooks',
    webhookRoute('webhooks.manage', 'Webhook subscriptions', {
      response: { 200: z.array(WebhookSubscription) },
    }),
    async () => listWebhooks(db),
  )
  app.post(
    '/webhooks',
    webhookRoute(
      'webhooks.manage',
      'Subscribe a receiver to ledger events (the signing secret is shown only in this answer)',
      {
        body: CreateWebhookRequest,
        response: { 201: CreatedWebhook },
      },
    ),
    async (req, reply) => {
      reply.code(201)
      return createWebhook(ctx, principalOf(req).actor, req.body)
    },
  )
  app.get(
    '/webhooks/:id',
    webhookRoute('webhooks.manage', 'One webhook subscription', {
      params: IdParam,
      response: { 200: WebhookSubscription },
    }),
    async (req) => getWebhook(db, req.params.id),
  )
  app.post(
    '/webhooks/:id/active',
    webhookRoute('webhooks.manage', 'Pause or resume a subscription', {
      params: IdParam,
      body: z.object({ isActive: z.boolean() }).strict().meta({ id: 'WebhookActiveRequest' }),
      response: { 200: WebhookSubscription },
    }),
    async (req) => setWebhookActive(db, req.params.id, req.body.isActive),
  )
  app.get(
    '/webhooks/:id/deliveries',
    webhookRoute('webhooks.manage', "A subscription's delivery log, newest first (status=dead: its dead letters)", {
      params: IdParam,
      querystring: DeliveryQuery,
      response: { 200: z.array(WebhookDelivery) },
    }),
    async (req) => listDeliveries(db, req.params.id, req.query),
  )
  app.post(
    '/webhooks/:id/redeliver',
    webhookRoute('webhooks.manage', 'Send dead letters again', {
      params: IdParam,
      body: RedeliverRequest,
      response: { 200: RequeuedCount },
    }),
    async (req) => redeliver(ctx, req.params.id, req.body),
  )
  app.post(
    '/webhooks/:id/replay',
    webhookRoute('webhooks.manage', 'Send every matching event after a ledger position again', {
      params: IdParam,
      body: ReplayRequest,
      response: { 200: RequeuedCount },
    }),
    async (req) => replay(ctx, req.params.id, req.body),
  )
})
