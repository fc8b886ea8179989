/* Reference data every page needs (SKUs, locations, parties), fetched once and shared for a minute. */
import { api } from './api'
import type { Location, Party, Sku } from './types'

const TTL = 60_000
const store = new Map<string, { at: number; value: Promise<unknown> }>()

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = store.get(key)
  if (hit && Date.now() - hit.at < TTL) return hit.value as Promise<T>
  const value = load()
  store.set(key, { at: Date.now(), value })
  value.catch(() => store.delete(key))
  return value
}

export const allSkus = () => cached<Sku[]>('skus', () => api.skus({ limit: 1000 }))
export const allLocations = () => cached<Location[]>('locations', () => api.locations({ limit: 1000 }))
export const allParties = () => cached<Party[]>('parties', () => api.parties({ limit: 1000 }))
/** Forget cached reference data (after creating a SKU, location or party). */
export const invalidate = () => store.clear()
