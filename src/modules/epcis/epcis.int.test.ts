import { describe, expect, it } from 'vitest'
import { loadDemo } from '../../cli/demo.command.js'
import { DIALECTS } from '../../../test/dialects.js'
import { useTestDb } from '../../../test/factories.js'
import { exportEpcis } from './epcis-export.js'
import { schemaProblems } from './epcis-schema.js'

async function text(gen: AsyncGenerator<string>): Promise<string> {
  let out = ''
  for await (const chunk of gen) out += chunk
  return out
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: EPCIS export of the demo ledger`, () => {
    const t = useTestDb(dialect)
    it('validates against GS1 EPCIS 2.0 JSON Schema', async () => {
      await loadDemo(t.ctx, { units: 200, days: 30, now: new Date('2026-06-01T00:00:00Z') })
      const doc = JSON.parse(await text(exportEpcis(t.db.kysely, {}, '2026-06-02T00:00:00.000Z')))
      expect(schemaProblems(doc)).toBeUndefined()
      expect(doc.epcisBody.eventList.length).toBeGreaterThan(10)
    })
  })
}
