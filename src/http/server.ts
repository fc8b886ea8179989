import type { FastifyInstance } from 'fastify'
import { systemClock } from '../core/clock.js'
import type { Config } from '../config.js'
import { connect, type Db, migrateToLatest } from '../db/connect.js'
import { ensureFirstAdmin } from '../modules/accounts/index.js'
import { WebhookDeliverer } from '../modules/integrations/index.js'
import { buildApp } from './app.js'
import { serverCommands } from '../commands/writer-thread.js'

/** Printed once, on the very first start: there is no default password. */
export function announceFirstAdmin(url: string, password: string): void {
  console.log(
    `\nFirst start: sign in at ${url} as "admin" with the one-time password\n\n    ${password}\n\n` +
      `You will be asked to choose your own password. This is shown only once.\n`,
  )
}

export interface RunningServer {
  app: FastifyInstance
  db: Db
  url: string
  close(): Promise<void>
}

/** Opens the database, applies pending migrations, and listens. */
export async function startServer(config: Config, options: { logger?: boolean } = {}): Promise<RunningServer> {
  const db = connect(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous })
  await migrateToLatest(db)
  const commands = serverCommands({ db, clock: systemClock }, { sqliteSynchronous: config.sqliteSynchronous })
  const app = await buildApp({ db, clock: systemClock, logger: options.logger ?? true, commands })
  const url = await app.listen({ port: config.port, host: config.host })
  const firstPassword = await ensureFirstAdmin({ db, clock: systemClock })
  if (firstPassword) announceFirstAdmin(url, firstPassword)
  // Webhook deliveries are sent from here, in the background, from the outbox the ledger writes.
  const deliverer = new WebhookDeliverer(db, systemClock)
  deliverer.start()
  return {
    app,
    db,
    url,
    close: async () => {
      await deliverer.stop()
      await app.close()
      await commands.close()
      await db.close()
    },
  }
}
