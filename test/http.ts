import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, expect } from 'vitest'
import { systemClock } from '../src/core/clock.js'
import type { Clock } from '../src/core/clock.js'
import type { Db } from '../src/db/connect.js'
import type { Executor } from '../src/db/database.js'
import { buildApp } from '../src/http/app.js'
import type { StockCommands } from '../src/commands/stock-commands.js'
import type { ProofSettings } from '../src/modules/proofs/index.js'
import type { Dialect, TestDb } from './dialects.js'
import { rowCount } from './factories.js'
import {
  createToken,
  createUser,
  MAX_SCOPE_OF_ROLE,
  type Principal,
  type Role,
  type TokenScope,
} from '../src/modules/accounts/index.js'

export const TEST_PASSWORD = 'correct-horse-battery'

/** An app plus a way to issue requests as a user of a given role, through a real API token. */
export async function appWithUsers(
  db: Db,
  clock: Clock = systemClock,
  options: { commands?: StockCommands; proofs?: ProofSettings } = {},
) {
  const app = await buildApp({ db, clock, commands: options.commands, proofs: options.proofs })
  const ctx = { db, clock }
  const admin = { actor: 'test-setup', username: 'test-setup' } as Principal
  let n = 0
  const api = (token: string) => (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { ...opts.headers, authorization: `Bearer ${token}` } })
  /**
   * Creates a user and an API token for it (the widest scope its role allows), and returns a request
   * function acting as that user.
   */
  async function as(role: Role, options: { username?: string; locations?: string[]; scope?: TokenScope } = {}) {
    const username = options.username ?? `${role}-${++n}`
    await createUser(ctx, 'test-setup', { username, password: TEST_PASSWORD, role, locations: options.locations ?? [] })
    const token = await createToken(ctx, admin, {
      name: 'tests',
      scope: options.scope ?? MAX_SCOPE_OF_ROLE[role],
      username,
    })
    return Object.assign(api(token.token), { token: token.token, tokenId: token.id, username })
  }
  return { app, as, api }
}

export type ApiClient = Awaited<ReturnType<Awaited<ReturnType<typeof appWithUsers>>['as']>>

/** Shorthands for JSON requests through an ApiClient. */
/** Anything that sends a request and answers like `app.inject`. */
export type Requester = (o: InjectOptions) => Promise<LightMyRequestResponse>

export const rest = (client: Requester, prefix = '/api/v1') => ({
  get: (url: string) => client({ method: 'GET', url: `${prefix}${url}` }),
  post: (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    client({ method: 'POST', url: `${prefix}${url}`, payload: payload as object, headers }),
  /** A body sent as it is, for malformed JSON and wrong content types. */
  postRaw: (url: string, body: string, contentType = 'application/json') =>
    client({ method: 'POST', url: `${prefix}${url}`, payload: body, headers: { 'content-type': contentType } }),
})

/** One describe block's world over HTTP: its database, its app and one user's client, ready in each test. */
export interface TestApp {
  readonly db: TestDb
  readonly app: FastifyInstance
  /** Requests as the block's user (`useTestApp`'s `user`). */
  readonly client: ApiClient
  /** More users of other roles. */
  as: Awaited<ReturnType<typeof appWithUsers>>['as']
  get: ReturnType<typeof rest>['get']
  post: ReturnType<typeof rest>['post']
  postRaw: ReturnType<typeof rest>['postRaw']
  /** `expectRefused` in the block's database: the status and code, and no event written. */
  refused: (
    p: Promise<{ statusCode: number; body: string }>,
    status: number,
    code: string,
  ) => ReturnType<typeof expectRefused>
}

/**
 * The set-up an HTTP test block repeats, registered as its beforeAll/afterAll: a fresh database on the
 * dialect, the app, and a user with an API token; closed and dropped afterwards. `get`, `post` and
 * `postRaw` act as that user and may be taken apart at once (`const { get, post } = useTestApp(…)`).
 */
export function useTestApp(dialect: Dialect, user: { role: Role; username?: string }): TestApp {
  let built: { db: TestDb; app: FastifyInstance; client: ApiClient; as: TestApp['as'] } | undefined
  const ready = () => {
    if (!built) throw new Error('the test app has not started (use it inside a test or a beforeAll)')
    return built
  }
  const client: Requester = (o) => ready().client(o)
  beforeAll(async () => {
    const db = await dialect.create()
    const { app, as } = await appWithUsers(db)
    built = { db, app, as, client: await as(user.role, { username: user.username }) }
  })
  afterAll(async () => {
    await built?.app.close()
    await built?.db.drop()
  })
  return {
    get db() {
      return ready().db
    },
    get app() {
      return ready().app
    },
    get client() {
      return ready().client
    },
    as: (role, options) => ready().as(role, options),
    refused: (p, status, code) => expectRefused(ready().db.kysely, p, status, code),
    ...rest(client),
  }
}

/** The reference data many HTTP tests start from (each `code` is what the requests name). */
export const WAREHOUSE = { code: 'WH', name: 'Warehouse', kind: 'warehouse' } as const
export const STORE = { code: 'ST', name: 'Store', kind: 'store' } as const
export const ACME = { code: 'ACME', name: 'Acme', role: 'supplier' } as const
export const JANE = { code: 'JANE', name: 'Jane', role: 'customer' } as const

/** SKUs, locations (parents before their children) and parties, each as its create request takes it. */
export interface ReferenceData {
  skus?: readonly object[]
  locations?: readonly object[]
  parties?: readonly object[]
}

/** Creates reference data over HTTP through `post` (SKUs, then locations, then parties, in order), each a 201. */
export async function createReferenceData(post: TestApp['post'], data: ReferenceData): Promise<void> {
  const lists = [
    ['/skus', data.skus],
    ['/locations', data.locations],
    ['/parties', data.parties],
  ] as const
  for (const [path, items] of lists) for (const item of items ?? []) await expectOk(post(path, item))
}

/** Asserts the status and gives the parsed body (201 unless told). */
export const expectOk = async <T = any>(p: Promise<{ statusCode: number; body: string }>, status = 201): Promise<T> => {
  const r = await p
  expect(r.statusCode, r.body).toBe(status)
  return JSON.parse(r.body || 'null') as T
}

/** Asserts a refusal with its status and code, and that it wrote no event. */
export const expectRefused = async (
  db: Executor,
  p: Promise<{ statusCode: number; body: string }>,
  status: number,
  code: string,
) => {
  const events = await rowCount(db, 'event')
  const r = await p
  expect(r.statusCode, r.body).toBe(status)
  expect(JSON.parse(r.body)).toMatchObject({ code })
  expect(await rowCount(db, 'event')).toBe(events)
  return JSON.parse(r.body) as { detail: string; issues?: { field: string; message: string }[] }
}
