import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { errorStatuses, toProblem } from '../../src/http/problem.js'

describe('error codes', () => {
  it('are all listed in docs/errors.md with their HTTP status', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
    const missing = errorStatuses().filter(([code, status]) => !doc.includes(`| \`${code}\` | ${status} |`))
    expect(missing).toEqual([])
  })

  it('answers a write lock that stayed taken as 503 db.busy, saying nothing was written', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
    expect(toProblem(busy)).toMatchObject({
      status: 503,
      code: 'db.busy',
      detail: expect.stringContaining('nothing was written'),
    })
    const serialization = Object.assign(new Error('could not serialize access'), { code: '40001' })
    expect(toProblem(serialization)).toMatchObject({ status: 503, code: 'db.busy' })
  })
})
