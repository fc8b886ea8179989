import { type RawBuilder, sql } from 'kysely'
import { TRANSITIONS, UNIT_EVENT_TYPES, type UnitEventType } from '../units/unit-status.rules.js'

/** Events whose unit lines each name their own transition (a count's close). */
const PER_LINE = UNIT_EVENT_TYPES.filter((t) => TRANSITIONS[t].perLine !== undefined)

/**
 * SQL: unit line `line` of event `event` takes one of `types`, as its event's type or, for an event whose
 * lines name their own (a count's close), as its own: its canonical attributes start `{"as":"<type>"`.
 */
export function lineTakes(types: readonly UnitEventType[], event = 'e', line = 'eu'): RawBuilder<boolean> {
  const own = PER_LINE.filter((t) => TRANSITIONS[t].perLine!.some((l) => types.includes(l)))
  const type = sql.ref(`${event}.type`)
  const attributes = sql.ref(`${line}.attributes`)
  const prefixes = types.map((t) => {
    const prefix = `{"as":"${t}"`
    return sql`substr(${attributes}, 1, ${prefix.length}) = ${prefix}`
  })
  if (own.length === 0) return sql<boolean>`${type} in (${sql.join(types)})`
  const ownLine = sql`${type} in (${sql.join(own)}) and (${sql.join(prefixes, sql` or `)})`
  return sql<boolean>`(${type} in (${sql.join(types)}) or (${ownLine}))`
}
