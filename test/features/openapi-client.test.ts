import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CLIENT_SCHEMA, committedOpenApi, generateClientSchema } from '../../web/codegen/client-schema.js'

describe('web/src/api/schema.gen.ts', () => {
  it('is generated from the committed openapi.json (`npm run sync:client`, after `npm run sync:openapi`)', async () => {
    const committed = readFileSync(CLIENT_SCHEMA, 'utf8')
    expect(await generateClientSchema(await committedOpenApi()), 'stale: run `npm run sync:client`').toBe(committed)
  })
})
