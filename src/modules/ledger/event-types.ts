/*
 * The ledger's event types on their own, apart from event.ts (which hashes with node:crypto), so the
 * schemas and the web app can name them. They are the unit state machine's events: quantity lines use
 * the same ones, so the list lives once, in units/unit-status.ts.
 */
import { UNIT_EVENT_TYPES, type UnitEventType } from '../units/unit-status.js'

export const EVENT_TYPES = UNIT_EVENT_TYPES
export type EventType = UnitEventType
