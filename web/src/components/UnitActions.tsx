/*
 * What can be done with a unit from its page: the operations its status allows (the unit state machine's
 * own table) and the user's role permits, each opening that operation with the unit already scanned.
 */
import { TRANSITIONS, type UnitEventType } from '../../../src/modules/units/unit-status.rules'
import { type Permission, useAuth } from '../auth'
import { Link } from '../router'
import type { Unit } from '../types'

const ACTIONS: { event: UnitEventType; label: string; path: string; needs: Permission }[] = [
  { event: 'moved', label: 'Move', path: '/move', needs: 'stock.operate' },
  { event: 'sold', label: 'Sell', path: '/sell', needs: 'stock.operate' },
  { event: 'transfer_shipped', label: 'Ship on a transfer', path: '/transfer', needs: 'stock.operate' },
  { event: 'returned', label: 'Take back (customer return)', path: '/return', needs: 'stock.operate' },
  { event: 'restocked', label: 'Restock', path: '/restock', needs: 'stock.operate' },
  { event: 'scrapped', label: 'Scrap', path: '/scrap', needs: 'stock.adjust' },
  { event: 'lost', label: 'Mark lost', path: '/lost', needs: 'stock.adjust' },
  { event: 'found', label: 'Mark found', path: '/found', needs: 'stock.adjust' },
]

/** The actions a unit's status allows, for a user holding `can`. */
export const actionsFor = (u: Pick<Unit, 'status'>, can: (p: Permission) => boolean) =>
  ACTIONS.filter((a) => TRANSITIONS[a.event].from.includes(u.status) && can(a.needs))

export function UnitActions({ unit }: { unit: Unit }) {
  const auth = useAuth()
  const actions = actionsFor(unit, (p) => auth.can(p))
  if (actions.length === 0) return null
  return (
    <nav className="unit-actions" aria-label="Actions for this unit">
      {actions.map((a) => (
        <Link key={a.event} className="button" to={`${a.path}?scan=${encodeURIComponent(unit.serial)}`}>
          {a.label}
        </Link>
      ))}
    </nav>
  )
}
