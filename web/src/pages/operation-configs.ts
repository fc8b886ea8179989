/*
 * What each scan-driven stock operation asks for and sends: its form fields, the per-unit rule checked
 * on each scan (on top of the unit state machine), whether lot and quantity lines go along, and the API
 * call. OperationPage (Operations.tsx) renders any of them.
 */
import type { UnitEventType } from '../../../src/modules/units/unit-status.rules'
import { api } from '../api'
import type { Permission } from '../auth'
import { type QuantityLine, quantitiesForApi } from '../quantity-lines'
import type { Location, OperationResult, Party, Sku, Unit } from '../types'
import type { ContainerView } from '../scan/resolve-scan'

export type Values = Record<string, string>

export interface Refs {
  locations: Location[]
  customers: Party[]
  transfers: string[]
  skus: Sku[]
}

export interface FieldDef {
  name: string
  label: string
  kind: 'location' | 'customer' | 'text' | 'transfer' | 'money'
  required?: boolean
  hint?: string
  /** Shown only to users holding this permission (a sale price override). */
  needs?: Permission
}

export interface OpConfig {
  title: string
  /** Button text: `Sell 3 units`. */
  verb: string
  event: UnitEventType
  fields: FieldDef[]
  /** An extra per-unit rule (within the `from` location, on this transfer, sold to this customer). */
  unitRule?: (u: Unit, v: Values, refs: Refs) => string | undefined
  /** Whether the batch may be empty (receive everything still in transit). */
  allowEmpty?: string
  /**
   * Whether lot and quantity stock can go along, and whether each line names its location (the API's
   * field for it is set in `submit`; none: the operation's own location applies).
   */
  quantities?: { locationField?: 'from' | 'location'; locationLabel?: string }
  /** Sends the operation: the form's values, the scanned units, the lot and quantity lines. */
  submit: (
    v: Values,
    units: { serial: string; sku: string }[],
    lines: QuantityLine[],
    key: string,
    /** Containers scanned: their whole (nested) contents go along. */
    containers?: string[],
  ) => Promise<OperationResult>
  /** Whether a container's scan (its SSCC label or code) adds its contents. */
  takesContainers?: boolean
  /** Why a scanned container cannot be taken (on the form's values), if it cannot. */
  containerRule?: (c: ContainerView, v: Values) => string | undefined
  docType: string
}

const within = (u: Unit, code: string, refs: Refs): string | undefined => {
  if (!code) return undefined
  const loc = refs.locations.find((l) => l.code === code)
  if (!loc) return `no location ${code}`
  return u.location?.path.startsWith(loc.path)
    ? undefined
    : `${u.serial} is at ${u.location?.code ?? 'no location'}, not in ${code}`
}

const opt = (v: string) => (v.trim() ? v.trim() : undefined)

/**
 * The form of the next batch: the places stay (the same till, the same shelf); the customer, order,
 * transfer, price and reason of the last one go, so a walk-in is never recorded to the previous customer.
 */
export const valuesForNextBatch = (fields: readonly FieldDef[], values: Values): Values =>
  Object.fromEntries(fields.map((f) => [f.name, f.kind === 'location' ? (values[f.name] ?? '') : '']))

export const OPS: Record<string, OpConfig> = {
  move: {
    title: 'Move',
    verb: 'Move',
    event: 'moved',
    docType: 'move',
    fields: [
      { name: 'to', label: 'To location', kind: 'location', required: true },
      { name: 'from', label: 'From location', kind: 'location', hint: 'Optional: every unit must be inside it' },
      { name: 'reason', label: 'Reason', kind: 'text' },
    ],
    unitRule: (u, v, refs) =>
      within(u, v.from ?? '', refs) ?? (u.location?.code === v.to ? `${u.serial} is already at ${v.to}` : undefined),
    quantities: { locationField: 'from', locationLabel: 'From location' },
    takesContainers: true,
    submit: (v, units, lines, key, containers = []) =>
      api.move(
        {
          to: v.to ?? '',
          from: opt(v.from ?? ''),
          reason: opt(v.reason ?? ''),
          units,
          containers,
          quantities: quantitiesForApi(lines, 'from'),
        },
        key,
      ),
  },
  transfer: {
    title: 'Ship a transfer',
    verb: 'Ship',
    event: 'transfer_shipped',
    docType: 'transfer',
    fields: [
      { name: 'from', label: 'From site', kind: 'location', required: true },
      { name: 'to', label: 'To site', kind: 'location', required: true },
      { name: 'number', label: 'Transfer number', kind: 'text', hint: 'Generated when empty' },
    ],
    unitRule: (u, v, refs) => (v.from ? within(u, v.from, refs) : 'choose the site the goods leave first'),
    quantities: {},
    takesContainers: true,
    submit: (v, units, lines, key, containers = []) =>
      api.shipTransfer(
        {
          from: v.from ?? '',
          to: v.to ?? '',
          number: opt(v.number ?? ''),
          units,
          containers,
          quantities: quantitiesForApi(lines),
        },
        key,
      ),
  },
  transferReceive: {
    title: 'Receive a transfer',
    verb: 'Receive',
    event: 'transfer_received',
    docType: 'transfer',
    fields: [
      { name: 'number', label: 'Transfer number', kind: 'transfer', required: true },
      {
        name: 'location',
        label: 'Put into (bin or zone)',
        kind: 'location',
        hint: 'Optional: inside the destination; the destination itself when empty',
      },
    ],
    unitRule: (u, v) =>
      !v.number
        ? 'choose the transfer first'
        : u.transfer !== v.number
          ? `${u.serial} is ${u.transfer ? `on transfer ${u.transfer}` : 'not on a transfer'}, not on ${v.number}`
          : undefined,
    allowEmpty: 'Receive everything still in transit',
    takesContainers: true,
    containerRule: (c, v) =>
      !v.number
        ? 'choose the transfer first'
        : c.location
          ? `Container ${c.code} is at ${c.location}, not in transit on ${v.number}`
          : undefined,
    submit: (v, units, _lines, key, containers = []) =>
      api.receiveTransfer(
        v.number ?? '',
        {
          location: opt(v.location ?? ''),
          ...(units.length > 0 && { units }),
          ...(containers.length > 0 && { containers }),
        },
        key,
      ),
  },
  sell: {
    title: 'Sell',
    verb: 'Sell',
    event: 'sold',
    docType: 'order',
    fields: [
      { name: 'orderRef', label: 'Order or till receipt', kind: 'text', required: true },
      { name: 'customer', label: 'Customer', kind: 'customer', hint: 'Empty for a walk-in sale' },
      { name: 'from', label: 'Selling location', kind: 'location', hint: 'Optional: every unit must be inside it' },
      {
        name: 'price',
        label: 'Sale price per unit (override)',
        kind: 'money',
        needs: 'price.override',
        hint: 'For the scanned units; empty: the list price',
      },
    ],
    unitRule: (u, v, refs) => within(u, v.from ?? '', refs),
    quantities: { locationField: 'location', locationLabel: 'Sold from' },
    takesContainers: true,
    submit: (v, units, lines, key, containers = []) => {
      const price = v.price?.trim() ? Number(v.price) : undefined
      const quantities = quantitiesForApi(lines, 'location')
      return api.sell(
        {
          orderRef: v.orderRef ?? '',
          customer: opt(v.customer ?? ''),
          from: opt(v.from ?? ''),
          units: price === undefined ? units : units.map((u) => ({ ...u, price })),
          ...(containers.length > 0 && { containers }),
          quantities,
        },
        key,
      )
    },
  },
  return: {
    title: 'Customer return',
    verb: 'Take back',
    event: 'returned',
    docType: 'return',
    fields: [
      { name: 'location', label: 'Put into location', kind: 'location', required: true },
      {
        name: 'customer',
        label: 'Customer',
        kind: 'customer',
        hint: 'When given, each unit must have been sold to them',
      },
      { name: 'orderRef', label: 'Original order', kind: 'text' },
      { name: 'reason', label: 'Reason', kind: 'text' },
    ],
    unitRule: (u, v) => {
      if (v.customer && u.customer?.code !== v.customer)
        return (
          `${u.serial} was sold to ` +
          `${u.customer ? `${u.customer.name} (${u.customer.code})` : 'a walk-in customer'}, not ${v.customer}`
        )
      if (v.orderRef && u.orderRef && u.orderRef !== v.orderRef)
        return `${u.serial} was sold on order ${u.orderRef}, not ${v.orderRef}`
      return undefined
    },
    quantities: {},
    submit: (v, units, lines, key) =>
      api.returnGoods(
        {
          location: v.location ?? '',
          customer: opt(v.customer ?? ''),
          orderRef: opt(v.orderRef ?? ''),
          reason: opt(v.reason ?? ''),
          units,
          quantities: quantitiesForApi(lines),
        },
        key,
      ),
  },
  restock: {
    title: 'Restock',
    verb: 'Restock',
    event: 'restocked',
    docType: 'adjustment',
    fields: [{ name: 'reason', label: 'Reason', kind: 'text', hint: 'Optional: checked and resellable, repaired…' }],
    submit: (v, units, _lines, key) => api.restock({ reason: opt(v.reason ?? ''), units }, key),
  },
  found: {
    title: 'Stock found',
    verb: 'Mark found',
    event: 'found',
    docType: 'adjustment',
    fields: [
      { name: 'location', label: 'Found at location', kind: 'location', required: true },
      { name: 'reason', label: 'Reason', kind: 'text', required: true, hint: 'Cycle count, found in the back room…' },
    ],
    quantities: { locationField: 'location', locationLabel: 'Found at' },
    submit: (v, units, lines, key) =>
      api.adjust(
        {
          kind: 'found',
          location: v.location ?? '',
          reason: v.reason ?? '',
          units,
          quantities: quantitiesForApi(lines, 'location'),
        },
        key,
      ),
  },
  lost: {
    title: 'Stock lost',
    verb: 'Mark lost',
    event: 'lost',
    docType: 'adjustment',
    fields: [
      { name: 'reason', label: 'Reason', kind: 'text', required: true, hint: 'Cycle count difference, theft report…' },
      {
        name: 'location',
        label: 'Missing from location',
        kind: 'location',
        hint: 'Optional: every unit must be inside it',
      },
    ],
    unitRule: (u, v, refs) => within(u, v.location ?? '', refs),
    quantities: { locationField: 'location', locationLabel: 'Missing from' },
    submit: (v, units, lines, key) =>
      api.adjust(
        {
          kind: 'lost',
          reason: v.reason ?? '',
          location: opt(v.location ?? ''),
          units,
          quantities: quantitiesForApi(lines, 'location'),
        },
        key,
      ),
  },
  scrap: {
    title: 'Scrap',
    verb: 'Scrap',
    event: 'scrapped',
    docType: 'scrap',
    fields: [{ name: 'reason', label: 'Reason', kind: 'text', required: true, hint: 'Why the goods are destroyed' }],
    quantities: { locationField: 'location', locationLabel: 'At location' },
    submit: (v, units, lines, key) =>
      api.scrap({ reason: v.reason ?? '', units, quantities: quantitiesForApi(lines, 'location') }, key),
  },
  release: {
    title: 'Release from quarantine',
    verb: 'Release',
    event: 'released',
    docType: 'quarantine',
    fields: [
      { name: 'reason', label: 'Reason', kind: 'text', required: true, hint: 'Why the units may be sold again' },
    ],
    submit: (v, units, _lines, key) => api.release({ reason: v.reason ?? '', units }, key),
  },
}
