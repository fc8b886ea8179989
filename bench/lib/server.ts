import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { systemClock } from '../../src/core/clock.js'
import { connect, type Db } from '../../src/db/connect.js'
import { buildApp } from '../../src/http/app.js'
import { serverCommands } from '../../src/commands/writer-thread.js'
import { createToken, createUser, type Principal } from '../../src/modules/accounts/index.js'

export interface AppServer {
  app: FastifyInstance
  db: Db
  origin: string
  /** Sent with every request: a clerk's API token (write scope), as a till or an integration would. */
  headers: Record<string, string>
  close(): Promise<void>
}

/**
 * The real API (buildApp + listen) in this process, on 127.0.0.1 and a free port, over the ledger file,
 * with a clerk and an API token created through the account services.
 */
export async function startAppServer(ledgerFile: string, synchronous: 'FULL' | 'NORMAL'): Promise<AppServer> {
  const db = connect(`sqlite:${ledgerFile}`, { sqliteSynchronous: synchronous })
  const ctx = { db, clock: systemClock }
  const username = 'bench-clerk'
  await createUser(ctx, 'bench-setup', { username, password: 'bench-password-not-secret', role: 'clerk' })
  const { token } = await createToken(ctx, { actor: 'bench-setup', username: 'bench-setup' } as Principal, {
    name: 'bench',
    scope: 'write',
    username,
  })
  // Stock commands run where `serial-ledger serve` runs them: in the writer thread.
  const commands = serverCommands(ctx, { sqliteSynchronous: synchronous })
  const app = await buildApp({ db, clock: systemClock, logger: false, commands })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    app,
    db,
    origin: `http://127.0.0.1:${port}`,
    headers: { authorization: `Bearer ${token}` },
    close: async () => {
      await app.close()
      await commands.close()
      await db.close()
    },
  }
}

export interface BareServer {
  origin: string
  close(): Promise<void>
}

/**
 * The baseline for HTTP lookups: bare node:http, one prepared indexed better-sqlite3 lookup of the
 * serial on the same file (opened with the same pragmas), the row as JSON.
 */
export async function startBareLookupServer(ledgerFile: string, synchronous: 'FULL' | 'NORMAL'): Promise<BareServer> {
  const db = connect(`sqlite:${ledgerFile}`, { sqliteSynchronous: synchronous })
  const lookup = db.sqlite!.prepare('select * from unit where serial = ?')
  const server: Server = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://x').searchParams.get('code') ?? ''
    const rows = lookup.all(code)
    const body = JSON.stringify(rows)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
  const bare = await listenBare(server)
  return {
    origin: bare.origin,
    close: async () => {
      await bare.close()
      await db.close()
    },
  }
}

/** Listens with a bare node:http server on 127.0.0.1 and a free port (keep-alive as autocannon needs). */
export async function listenBare(server: Server): Promise<BareServer> {
  server.keepAliveTimeout = 72_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
