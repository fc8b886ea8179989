/* From a raw scan to the units it names: parse (src/modules/gs1), look up, and narrow by the barcode's GTIN. */
import { queryOptions } from '@tanstack/react-query'
import { api } from '../api'
import { queries, queryClient } from '../queries'
import type { Unit } from '../types'
import { gtin14, lookupCodes, type ParsedScan, parseScan } from '../../../src/modules/gs1/index.js'

export type Resolved =
  | { ok: true; scan: ParsedScan; units: Unit[] }
  | {
      ok: false
      scan: ParsedScan
      /** `unknown-gtin` and `wrong-sku`: the barcode's GTIN is no SKU's, or not the SKU of the unit with its serial. */
      reason: 'invalid' | 'no-serial' | 'unknown-gtin' | 'wrong-sku' | 'not-found'
      message: string
    }

/** The SKU codes whose GTIN is the scanned one; undefined when the scan has no GTIN. */
export async function skusOfGtin(scan: ParsedScan): Promise<string[] | undefined> {
  if (scan.kind !== 'gs1' || !scan.gtin) return undefined
  const g = gtin14(scan.gtin)
  return (await queryClient.fetchQuery(queries.allSkus))
    .filter((s) => s.gtin && gtin14(s.gtin) === g)
    .map((s) => s.code)
}

/** Looks a scan up; a GS1 barcode's GTIN keeps only units of the SKU(s) with that GTIN. */
export async function resolveScan(raw: string, signal?: AbortSignal): Promise<Resolved> {
  const scan = parseScan(raw)
  if (scan.kind === 'invalid')
    return { ok: false, scan, reason: 'invalid', message: `Cannot read this scan: ${scan.message}` }
  const codes = lookupCodes(scan)
  if (codes.length === 0)
    return {
      ok: false,
      scan,
      reason: 'no-serial',
      message:
        `This barcode carries GTIN ${scan.kind === 'gs1' ? scan.gtin : ''} ` + 'but no serial: scan the serial barcode',
    }
  const skuCodes = await skusOfGtin(scan)
  for (const code of codes) {
    let units = await api.lookup(code, signal)
    if (skuCodes && code !== (scan.kind === 'gs1' ? scan.fallback : undefined)) {
      if (skuCodes.length === 0 && units.length > 0)
        return {
          ok: false,
          scan,
          reason: 'unknown-gtin',
          message:
            `No SKU has GTIN ${scan.kind === 'gs1' ? scan.gtin : ''}; ` +
            `serial ${code} belongs to ${units.map((u) => u.sku.code).join(', ')}`,
        }
      const ofGtin = units.filter((u) => skuCodes.includes(u.sku.code))
      if (ofGtin.length === 0 && units.length > 0 && code === codes[codes.length - 1])
        return {
          ok: false,
          scan,
          reason: 'wrong-sku',
          message:
            `GTIN ${scan.kind === 'gs1' ? scan.gtin : ''} is SKU ${skuCodes.join(', ')}, ` +
            `but serial ${code} belongs to ${units.map((u) => u.sku.code).join(', ')}`,
        }
      units = ofGtin
    }
    if (units.length > 0) return { ok: true, scan, units }
  }
  return {
    ok: false,
    scan,
    reason: 'not-found',
    message: `Unknown code ${codes[0]}: no unit has this serial or identifier`,
  }
}

/** The units a scanned code names, as a query (for pages that show them; a scan check always asks anew). */
export const scanQuery = (code: string) =>
  queryOptions({ queryKey: ['units', 'scan', code], queryFn: ({ signal }) => resolveScan(code, signal) })

export type ContainerView = Awaited<ReturnType<typeof api.container>>

/** Every unit of a container and of the containers nested in it. */
export const containerUnits = (c: ContainerView): ContainerView['units'] => [
  ...c.units,
  ...c.containers.flatMap(containerUnits),
]

/** The pieces of lot and quantity stock packed in a container and in the containers nested in it. */
export const containerPieces = (c: ContainerView): number =>
  (c.quantities ?? []).reduce((n, q) => n + q.quantity, 0) + c.containers.reduce((n, k) => n + containerPieces(k), 0)

/** One line about a scanned container: how many units (and pieces) it holds (nested ones included) and where. */
export const containerDetail = (c: ContainerView): string => {
  const n = containerUnits(c).length
  const pieces = containerPieces(c)
  const stock = pieces > 0 ? ` and ${pieces} piece${pieces === 1 ? '' : 's'} of stock` : ''
  const nested = c.containers.length > 0 ? ` (${c.containers.length} nested)` : ''
  const where = c.location || n + pieces > 0 ? (c.location ? ` at ${c.location}` : ' in transit') : ''
  return `Container ${c.code}: ${n} unit${n === 1 ? '' : 's'}${stock}${nested}${where}`
}

/** Whether a scan is an SSCC label (a logistic unit: a container), not a unit's barcode. */
export const isContainerScan = (raw: string): boolean => {
  const scan = parseScan(raw)
  return scan.kind === 'gs1' && scan.sscc !== undefined && scan.code === undefined
}

/**
 * The container a scan names: an SSCC label (`(00)…`, element string, Digital Link, EPC URN), or our own
 * container code typed or scanned; undefined when it names no container.
 */
export async function containerOfScan(raw: string): Promise<ContainerView | undefined> {
  const scan = parseScan(raw)
  const code = scan.kind === 'gs1' ? scan.sscc : scan.kind === 'plain' ? scan.code : undefined
  if (!code) return undefined
  try {
    return await api.container(code)
  } catch {
    return undefined
  }
}
