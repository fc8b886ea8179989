import type { Command } from 'commander'
import { systemClock } from '../core/clock.js'
import { connect, migrateToLatest } from '../db/connect.js'
import { buildApp } from '../http/app.js'
import { type Print, printLine, reportError } from './cli-context.js'

/** The OpenAPI document of the HTTP API, built from the route schemas on a throwaway in-memory database. */
export async function openApiDocument(): Promise<unknown> {
  const db = connect('sqlite::memory:')
  try {
    await migrateToLatest(db)
    const app = await buildApp({ db, clock: systemClock })
    try {
      return app.swagger()
    } finally {
      await app.close()
    }
  } finally {
    await db.close()
  }
}

export function registerOpenApiCommand(program: Command, print: Print = printLine): void {
  program
    .command('openapi')
    .description('print the OpenAPI JSON of the HTTP API (npm run sync:openapi writes it to openapi.json)')
    .action(async () => {
      try {
        print(JSON.stringify(await openApiDocument(), null, 2))
      } catch (e) {
        reportError(e, false)
      }
    })
}
