import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { loadDemo } from '../../cli/demo.command.js'
import { ensureDemoReference } from '../../cli/demo/demo-catalog.js'
import { DIALECTS } from '../../../test/dialects.js'
import { useTestDb } from '../../../test/factories.js'
import { verifyLedger } from '../ledger/index.js'
import { captureEpcis } from './epcis-capture.js'
import { exportEpcis } from './epcis-export.js'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { schemaProblems } from './epcis-schema.js'

const EXAMPLES = join(import.meta.dirname, '../../../../shared/conformance/epcis/JSON')
const NOW = '2026-06-02T00:00:00.000Z'

/** GS1's schema exactly as published (full formats, uniqueItems), for the export: stricter than capture's. */
function officialProblems(doc: unknown) {
  const ajv = new Ajv({ strict: false })
  ;(addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv)
  const file = join(import.meta.dirname, '../../../../shared/conformance/epcis/EPCIS-JSON-Schema.json')
  const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')))
  return validate(doc) ? undefined : validate.errors
}

async function text(gen: AsyncGenerator<string>): Promise<string> {
  let out = ''
  for await (const chunk of gen) out += chunk
  return out
}
const exported = async (db: Executor, filter = {}) => JSON.parse(await text(exportEpcis(db, filter, NOW)))

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.jsonld') ? [p] : []
  })
}

/** Every unit as serial, SKU, status and location code; and stock on hand per SKU, lot and location. */
async function ledgerState(db: Executor) {
  const units = await db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('location as l', 'l.id', 'u.location_id')
    .select(['u.serial', 's.code as sku', 'u.status', 'l.code as location'])
    .orderBy('s.code')
    .orderBy('u.serial')
    .execute()
  const stock = await db
    .selectFrom('stock as st')
    .innerJoin('sku as s', 's.id', 'st.sku_id')
    .innerJoin('location as l', 'l.id', 'st.location_id')
    .leftJoin('lot', 'lot.id', 'st.lot_id')
    .select(['s.code as sku', 'lot.code as lot', 'l.code as location', sql<number>`st.quantity`.as('onHand')])
    .where('st.quantity', '<>', 0)
    .orderBy('s.code')
    .orderBy('l.code')
    .orderBy('lot.code')
    .execute()
  return { units, stock: stock.map((s) => ({ ...s, onHand: Number(s.onHand) })) }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: EPCIS export and round trip`, () => {
    const source = useTestDb(dialect)
    const target = useTestDb(dialect)

    it('exports the demo ledger as a document that validates against GS1 EPCIS 2.0 JSON Schema', async () => {
      await loadDemo(source.ctx, { units: 200, days: 30, now: new Date('2026-06-01T00:00:00Z') })
      const doc = await exported(source.db.kysely)
      expect(officialProblems(doc)).toBeUndefined()
      expect(schemaProblems(doc)).toBeUndefined()
      const types = new Set(doc.epcisBody.eventList.map((e: Record<string, string>) => e['sl:type']))
      expect([...types]).toEqual(expect.arrayContaining(['received', 'sold', 'transfer_shipped', 'transfer_received']))
      const sold = doc.epcisBody.eventList.find((e: Record<string, string>) => e['sl:type'] === 'sold')
      expect(sold).toMatchObject({ type: 'ObjectEvent', bizStep: 'retail_selling', disposition: 'retail_sold' })
    })

    it('exports slices: by SKU (its lines only), by unit, by time and by document', async () => {
      const db = source.db.kysely
      const unit = await db
        .selectFrom('unit')
        .select(['serial', 'receipt_id'])
        .where('status', '=', 'sold')
        .executeTakeFirstOrThrow()
      const history = await exported(db, { serial: unit.serial })
      expect(history.epcisBody.eventList.map((e: Record<string, string>) => e['sl:type'])).toContain('sold')
      for (const e of history.epcisBody.eventList) expect(e.epcList).toHaveLength(1)
      const receipt = await db
        .selectFrom('document')
        .select('number')
        .where('id', '=', unit.receipt_id)
        .executeTakeFirstOrThrow()
      const byDoc = await exported(db, { document: receipt.number })
      expect(byDoc.epcisBody.eventList.map((e: Record<string, string>) => e['sl:type'])).toEqual(['received'])
      const none = await exported(db, { to: '2000-01-01T00:00:00Z' })
      expect(none.epcisBody.eventList).toEqual([])
      expect(schemaProblems(await exported(db, { sku: 'NOT-A-SKU' }))).toBeUndefined()
      // SKU and location codes are matched regardless of case, like every code.
      const sold = await db
        .selectFrom('unit as u')
        .innerJoin('sku as s', 's.id', 'u.sku_id')
        .innerJoin('location as l', 'l.id', 'u.location_id')
        .select(['s.code as sku', 'l.code as location'])
        .where('u.status', '=', 'in_stock')
        .executeTakeFirstOrThrow()
      const bySku = await exported(db, { sku: sold.sku.toLowerCase() })
      expect(bySku.epcisBody.eventList.map((e: Record<string, string>) => e['sl:type'])).toContain('received')
      const byLocation = await exported(db, { location: sold.location.toLowerCase() })
      expect(byLocation.epcisBody.eventList.length).toBeGreaterThan(0)
      expect((await exported(db, { location: 'NOT-A-LOCATION' })).epcisBody.eventList).toEqual([])
    })

    it('captures its own export into an empty ledger, reproducing units, statuses, locations and stock', async () => {
      const doc = await exported(source.db.kysely)
      await ensureDemoReference(target.ctx)
      const result = await captureEpcis(target.ctx, 'epcis-test', doc)
      expect(result.captured).toBeGreaterThan(10)
      expect(await ledgerState(target.db.kysely)).toEqual(await ledgerState(source.db.kysely))
      expect(await verifyLedger(target.db)).toVerify()
    })

    it('refuses a document with an unknown GTIN, naming the event and field, and captures nothing', async () => {
      const before = await ledgerState(target.db.kysely)
      const doc = {
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: NOW,
        epcisBody: {
          eventList: [
            {
              type: 'ObjectEvent',
              action: 'OBSERVE',
              bizStep: 'receiving',
              eventTime: NOW,
              eventTimeZoneOffset: '+00:00',
              epcList: ['https://id.gs1.org/01/09506000134352/21/X1'],
            },
            {
              type: 'ObjectEvent',
              action: 'OBSERVE',
              bizStep: 'inspecting',
              eventTime: NOW,
              eventTimeZoneOffset: '+00:00',
              epcList: [],
            },
          ],
        },
      }
      const e = (await captureEpcis(target.ctx, 't', doc).catch((x: unknown) => x)) as AppError
      expect(e).toBeInstanceOf(AppError)
      expect(e.code).toBe('epcis.capture_refused')
      const fields = (e.details!.issues as { field: string; message: string }[]).map((i) => `${i.field}: ${i.message}`)
      expect(fields).toEqual(
        expect.arrayContaining([
          'eventList[0].epcList[0]: no SKU has GTIN 09506000134352',
          'eventList[1].bizStep: bizStep inspecting has no ledger operation here',
        ]),
      )
      expect(await ledgerState(target.db.kysely)).toEqual(before)
    })
  })
}

describe('sqlite: every official EPCIS example captures or is refused with a precise reason', () => {
  const t = useTestDb(DIALECTS[0]!)
  for (const file of files(EXAMPLES)) {
    it(file.slice(EXAMPLES.length + 1), async () => {
      const doc = JSON.parse(readFileSync(file, 'utf8'))
      try {
        const r = await captureEpcis(t.ctx, 'epcis-test', doc)
        expect(r.events).toBeGreaterThan(0)
      } catch (e) {
        expect(e).toBeInstanceOf(AppError)
        const err = e as AppError
        expect(['epcis.capture_refused', 'epcis.invalid']).toContain(err.code)
        const issues = err.details!.issues as { field: string; message: string }[]
        expect(issues.length).toBeGreaterThan(0)
        for (const i of issues) expect(i.message).not.toMatch(/undefined|\[object|Cannot read/)
      }
    })
  }
})

describe('sqlite: the official examples that must be refused say why', () => {
  const t = useTestDb(DIALECTS[0]!)
  const reasonOf = async (file: string) => {
    const e = (await captureEpcis(t.ctx, 't', JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'))).catch(
      (x: unknown) => x,
    )) as AppError
    return (e.details!.issues as { field: string; message: string }[]).map((i) => `${i.field}: ${i.message}`)
  }
  it('TransformationEvent, an AggregationEvent OBSERVE, an unknown GTIN', async () => {
    expect(await reasonOf('Example_9.6.4-TransformationEvent.jsonld')).toContainEqual(
      expect.stringMatching(/^eventList\[0\]\.type: TransformationEvent is not supported/),
    )
    // GS1's AggregationEvent example is an OBSERVE (a pallet seen at receiving): skipped, with its reason.
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'Example_9.6.3-AggregationEvent.jsonld'), 'utf8'))
    expect((await captureEpcis(t.ctx, 't', doc)).skipped).toEqual([
      expect.objectContaining({ reason: 'AggregationEvent OBSERVE: observations are not captured' }),
    ])
    expect(await reasonOf('Example_9.6.1-ObjectEvent.jsonld')).toContainEqual(
      'eventList[0].epcList[0]: no SKU has GTIN 10614141073464',
    )
  })
})
