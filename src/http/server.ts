import type { FastifyInstance } from 'fastify'
import { systemClock } from '../core/clock.js'
import type { Config } from '../config.js'
import { connect, type Db, migrateToLatest } from '../db/connect.js'
import { ensureFirstAdmin } from '../modules/accounts/index.js'
import { ensureSigningKey, startCheckpointer } from '../modules/proofs/index.js'
import { WebhookDeliverer } from '../modules/integrations/index.js'
import { startSequencing } from '../modules/ledger/index.js'
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
  const db = connect(config.databaseUrl, {
    sqliteSynchronous: config.sqliteSynchronous,
    poolSize: config.poolSize,
    readUrl: config.readDatabaseUrl,
    writePath: config.writePath,
  })
  await migrateToLatest(db)
  // The sequenced path: this instance's sequencer runs from now on (placing what any instance committed);
  // the locked path: events a sequenced spell left without a place get theirs before the first command.
  if (db.dialect === 'postgres') await startSequencing(db)
  const commands = serverCommands({ db, clock: systemClock }, { sqliteSynchronous: config.sqliteSynchronous })
  // `init` makes the key; a server started without init makes it on its first start, as it does the admin.
  if (ensureSigningKey(config.signingKeyFile))
    console.log(`created the checkpoint signing key ${config.signingKeyFile} (mode 0600): back it up`)
  const proofs = { signingKeyFile: config.signingKeyFile, witness: config.witness }
  const app = await buildApp({ db, clock: systemClock, logger: options.logger ?? true, commands, proofs })
  const url = await app.listen({ port: config.port, host: config.host })
  const firstPassword = await ensureFirstAdmin({ db, clock: systemClock })
  if (firstPassword) announceFirstAdmin(url, firstPassword)
  const checkpointer =
    config.checkpointIntervalSeconds > 0
      ? startCheckpointer({ db, clock: systemClock }, proofs, config.checkpointIntervalSeconds, (e) =>
          app.log.error(e, 'periodic checkpoint failed'),
        )
      : undefined
  // Webhook deliveries are sent from here, in the background, from the outbox the ledger writes.
  const deliverer = new WebhookDeliverer(db, systemClock)
  deliverer.start()
  return {
    app,
    db,
    url,
    close: async () => {
      await checkpointer?.stop()
      await deliverer.stop()
      await app.close()
      await commands.close()
      await db.close()
    },
  }
}
