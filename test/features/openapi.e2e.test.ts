import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { openApiDocument } from '../../src/cli/openapi.command.js'

describe('openapi.json', () => {
  it('is committed up to date with the route schemas (run `npm run sync:openapi` after changing a route)', async () => {
    const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'))
    expect(JSON.parse(JSON.stringify(await openApiDocument()))).toEqual(committed)
  })
})
