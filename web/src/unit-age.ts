/*
 * How long a unit has been ours and where it stands with its customer: days in stock, the return window
 * and the warranty, as of a day. Pure: test/web/unit-age.test.ts says what it does.
 */
import { LOCATED_STATUSES } from '../../src/modules/units/unit-status.rules.js'
import type { Unit } from './types.js'

const DAY = 86_400_000

/** Whole days between two instants (never negative). */
const daysBetween = (from: string, to: Date) => Math.max(0, Math.floor((to.getTime() - new Date(from).getTime()) / DAY))

/**
 * Days from receipt until the unit left stock (its sale), or until `now` while it is still ours (at a
 * location or in transit); undefined for a unit lost or scrapped, whose days ended we cannot say when.
 */
export function daysInStock(u: Pick<Unit, 'receivedAt' | 'soldAt' | 'status'>, now = new Date()): number | undefined {
  if (u.status === 'sold' && u.soldAt) return daysBetween(u.receivedAt, new Date(u.soldAt))
  if (LOCATED_STATUSES.includes(u.status) || u.status === 'in_transit') return daysBetween(u.receivedAt, now)
  return undefined
}

export interface WindowStatus {
  /** Whether the window is still open today. */
  isOpen: boolean
  /** Its last day (YYYY-MM-DD). */
  endsOn: string
  /** Days left (0 on the last day), or days since it closed. */
  days: number
}

/** Where a window ending on `endsOn` (inclusive) stands on `now`'s day; undefined when there is none. */
export function windowStatus(endsOn: string | null, now = new Date()): WindowStatus | undefined {
  if (!endsOn) return undefined
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const end = new Date(`${endsOn}T00:00:00Z`).getTime()
  const days = Math.round((end - today) / DAY)
  return days >= 0 ? { isOpen: true, endsOn, days } : { isOpen: false, endsOn, days: -days }
}
