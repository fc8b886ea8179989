import { CompiledQuery } from 'kysely'
import { describe, expect, it } from 'vitest'
import { combined, renumbered } from './held-writes.js'

const query = (sql: string, ...parameters: unknown[]) => ({ ...CompiledQuery.raw(sql), parameters })

describe('held writes', () => {
  it('moves every placeholder past the parameters before it, and none inside quotes', () => {
    expect(renumbered('update t set a = $1, b = $2 where id = $10', 3)).toBe(
      'update t set a = $4, b = $5 where id = $13',
    )
    expect(renumbered(`insert into "x$1" (c) values ('it''s $1', $1)`, 2)).toBe(
      `insert into "x$1" (c) values ('it''s $1', $3)`,
    )
    expect(renumbered('select $1', 0)).toBe('select $1')
  })

  it('sends several writes as one statement: the first ones as WITH items, their parameters in order', () => {
    const one = combined([
      query('insert into a (x, y) values ($1, $2)', 'x', 'y'),
      query('update b set z = $1 where id in ($2, $3)', 1, 'p', 'q'),
      query('insert into c (w) values ($1)', true),
    ])
    expect(one.sql).toBe(
      'with h1 as (insert into a (x, y) values ($1, $2)), h2 as (update b set z = $3 where id in ($4, $5)) ' +
        'insert into c (w) values ($6)',
    )
    expect(one.parameters).toEqual(['x', 'y', 1, 'p', 'q', true])
  })
})
