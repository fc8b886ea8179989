import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/*
 * No line of code over 120 characters (the Prettier width). Prettier breaks what it can; what it cannot
 * (a long template string, a test title, a comment) must be split by hand, and this test names each one.
 * Generated files are exempt, and so are the migrations already merged: migrations are frozen once shipped.
 */
const WIDTH = 120
const CODE = /\.(ts|tsx|js|mjs|cjs|css|html)$/
const EXEMPT = new Set([
  'web/src/api/schema.gen.ts',
  'src/modules/gs1/ai-table.gen.rules.ts',
  'src/db/migrations/2026_11_27_0500_create_ledger.ts',
  'src/db/migrations/2026_12_01_1310_codes_unique_ignoring_case.ts',
])

describe('line length', () => {
  it(`keeps every line of code within ${WIDTH} characters`, () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => CODE.test(f) && !EXEMPT.has(f))
    const long: string[] = []
    for (const file of files) {
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        continue // listed by git but deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        if (line.length > WIDTH) long.push(`${file}:${i + 1} (${line.length})`)
      })
    }
    expect(long).toEqual([])
  })
})
