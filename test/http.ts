import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { systemClock } from '../src/core/clock.js'
import type { Clock } from '../src/core/clock.js'
import type { Db } from '../src/db/connect.js'
import { buildApp } from '../src/http/app.js'
import type { StockCommands } from '../src/commands/stock-commands.js'
import type { ProofSettings } from '../src/modules/proofs/index.js'
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
