import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dictionaryRelease, parseSyntaxDictionary, renderAiTable } from './ai-dictionary.rules.js'
import { AI_TABLE } from './ai-table.gen.rules.js'

const DICTIONARY = join(import.meta.dirname, '../../../../shared/conformance/gs1/gs1-syntax-dictionary.txt')

describe('ai-table.gen.rules.ts', () => {
  it('is what scripts/gen-gs1-ai-table.ts makes of the GS1 Syntax Dictionary (rerun it when this fails)', () => {
    const text = readFileSync(DICTIONARY, 'utf8')
    const committed = readFileSync(join(import.meta.dirname, 'ai-table.gen.rules.ts'), 'utf8')
    expect(committed).toBe(renderAiTable(parseSyntaxDictionary(text), dictionaryRelease(text)))
  })
  it('holds the AIs a serialized-goods store meets, IMEI among them', () => {
    const byAi = new Map(AI_TABLE.map((d) => [d.ai, d]))
    expect(byAi.get('01')).toMatchObject({ fixedLength: true, dlQualifiers: [['22', '10', '21'], ['235']] })
    expect(byAi.get('21')?.components).toEqual([{ cset: 'X', min: 1, max: 20, optional: false, linters: [] }])
    expect(byAi.get('8040')).toMatchObject({ title: 'IMEI', requires: ['01+21'] })
    expect(byAi.get('3105')?.fixedLength).toBe(true)
    expect(AI_TABLE.length).toBeGreaterThan(500)
  })
})
