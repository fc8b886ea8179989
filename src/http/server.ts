import type { FastifyInstance } from 'fastify'
import { systemClock } from '../core/clock.js'
import type { Config } from '../config.js'
import { connect, type Db, migrateToLatest } from '../db/connect.js'
import { buildApp } from './app.js'

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
  const app = await buildApp({ db, clock: systemClock, actor: config.actor, logger: options.logger ?? true })
  const url = await app.listen({ port: config.port, host: config.host })
  return {
    app,
    db,
    url,
    close: async () => {
      await app.close()
      await db.close()
    },
  }
}
