/*
 * Generates src/modules/gs1/ai-table.gen.rules.ts from GS1's Barcode Syntax Dictionary:
 *   npx tsx scripts/gen-gs1-ai-table.ts [path/to/gs1-syntax-dictionary.txt]
 * The test src/modules/gs1/ai-table.gen.rules.test.ts fails when the committed file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { dictionaryRelease, parseSyntaxDictionary, renderAiTable } from '../src/modules/gs1/ai-dictionary.rules.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = process.argv[2] ?? join(root, '../shared/conformance/gs1/gs1-syntax-dictionary.txt')
const text = readFileSync(source, 'utf8')
const out = join(root, 'src/modules/gs1/ai-table.gen.rules.ts')
writeFileSync(out, renderAiTable(parseSyntaxDictionary(text), dictionaryRelease(text)))
console.log(`wrote ${out}`)
