import type { Command } from 'commander'
import { systemClock } from '../core/clock.js'
import { connect, migrateToLatest } from '../db/connect.js'
import { buildApp } from '../http/app.js'
import { type Print, printLine, reportError } from './cli-context.js'

/**
 * The OpenAPI document of the HTTP API, built from the route schemas on a throwaway in-memory database.
 * Paths and schemas are sorted by name, so the committed file changes only where the API does, never
 * because routes were registered in another order.
 */
export async function openApiDocument(): Promise<unknown> {
  const db = connect('sqlite::memory:')
  try {
    await migrateToLatest(db)
    const app = await buildApp({ db, clock: systemClock })
    try {
      return sortedDocument(app.swagger() as unknown as Record<string, unknown>)
    } finally {
      await app.close()
    }
  } finally {
    await db.close()
  }
}

const sortedKeys = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

function sortedDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const components = doc.components as { schemas?: Record<string, unknown> } | undefined
  return {
    ...doc,
    paths: sortedKeys(doc.paths as Record<string, unknown>),
    ...(components && { components: { ...components, schemas: components.schemas && sortedKeys(components.schemas) } }),
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
