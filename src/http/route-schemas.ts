import type { FastifyReply, FastifySchema } from 'fastify'
import { z } from 'zod'
import type { Policy } from '../modules/accounts/index.js'

/*
 * Query and path schemas that several modules' routes share. Route files live with their module; these
 * small shapes would otherwise be written again in each.
 */

/** `limit` of a list: 1 to 1000 rows, 100 unless asked. */
export const pageLimit = z.coerce.number().int().min(1).max(1000).default(100)
/** `?limit=` alone: the latest admin events, the latest checkpoints. */
export const LimitQuery = z.object({ limit: pageLimit }).strict()
/** `?search=&limit=` of the reference-data lists. */
export const ListQuery = z.object({ search: z.string().max(100).optional(), limit: pageLimit }).strict()
export const CodeParam = z.object({ code: z.string().min(1).max(64) })
export const IdParam = z.object({ id: z.string().min(1).max(64) })

/** A route's options from the two things every route declares: who may call it, and its schema. */
export const route = <S extends FastifySchema>(policy: Policy, schema: S) => ({ config: { policy }, schema })

/** Answers with CSV text: the `.csv` twins of the reports and the exports, which have no response schema. */
export const sendCsv = (reply: FastifyReply, text: string): FastifyReply =>
  reply.type('text/csv; charset=utf-8').send(text)

/**
 * The routes of one tag, each from its policy, summary and schema: `const read = taggedRoutes(['orders'])`
 * then `app.get(url, read('stock.read', 'Sales orders', { querystring, response }), handler)`.
 */
export const taggedRoutes =
  (tags: string[]) =>
  <S extends FastifySchema = Record<never, never>>(policy: Policy, summary: string, schema?: S) =>
    route(policy, { tags, summary, ...(schema as S) })
export type TaggedRoutes = ReturnType<typeof taggedRoutes>
