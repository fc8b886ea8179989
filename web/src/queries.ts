/*
 * Server state through TanStack Query: the one QueryClient, each query's key and loader, and what a
 * write makes stale. Keys start with the resource they read (`skus`, `units`, `stock`…), so a write
 * invalidates by that first segment.
 *
 * A page shows what the server says when it opens (no data kept across visits: gcTime 0), as the ledger
 * moves under every till; the reference data forms pick from (SKUs, locations, parties) is shared for a
 * minute, and refreshed at once after this browser creates one.
 */
import { keepPreviousData, QueryClient, queryOptions } from '@tanstack/react-query'
import { api, ApiError, type QueryOf } from './api'
import type { DocumentType, Provenance } from './types'

/** A unit with its timeline and provenance (null when it has no receipt), loaded together. */
async function loadUnit(id: string) {
  const [unit, timeline, provenance] = await Promise.all([
    api.unit(id),
    api.timeline(id),
    // A unit always has a receipt today; should one ever arrive by another event, the page still shows.
    api.provenance(id).catch((e: unknown): Provenance | null => {
      if (e instanceof ApiError && e.status === 404) return null
      throw e
    }),
  ])
  return { unit, timeline, provenance }
}
export type UnitDetail = Awaited<ReturnType<typeof loadUnit>>

export const queryClient = new QueryClient({
  // A refused request is shown at once, as before: no retries, no refetch when the window regains focus.
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, gcTime: 0 } },
})

const SHARED = { staleTime: 60_000, gcTime: 10 * 60_000 }
/** Lists keep showing the previous result while the next filter loads (no flicker). */
const LIST = { placeholderData: keepPreviousData }

export const queries = {
  // Reference data for pickers and scan checks (the first thousand of each).
  allSkus: queryOptions({ queryKey: ['skus', 'all'], queryFn: () => api.skus({ limit: 1000 }), ...SHARED }),
  allLocations: queryOptions({
    queryKey: ['locations', 'all'],
    queryFn: () => api.locations({ limit: 1000 }),
    ...SHARED,
  }),
  allParties: queryOptions({ queryKey: ['parties', 'all'], queryFn: () => api.parties({ limit: 1000 }), ...SHARED }),

  skus: (q: QueryOf<'/api/v1/skus'>) =>
    queryOptions({ queryKey: ['skus', 'list', q], queryFn: () => api.skus(q), ...LIST }),
  sku: (code: string) => queryOptions({ queryKey: ['skus', 'one', code], queryFn: () => api.sku(code) }),
  locations: (q: QueryOf<'/api/v1/locations'>) =>
    queryOptions({ queryKey: ['locations', 'list', q], queryFn: () => api.locations(q), ...LIST }),
  location: (code: string) => queryOptions({ queryKey: ['locations', 'one', code], queryFn: () => api.location(code) }),
  parties: (q: QueryOf<'/api/v1/parties'>) =>
    queryOptions({ queryKey: ['parties', 'list', q], queryFn: () => api.parties(q), ...LIST }),
  party: (code: string) => queryOptions({ queryKey: ['parties', 'one', code], queryFn: () => api.party(code) }),
  users: queryOptions({ queryKey: ['users'], queryFn: () => api.users() }),
  adminEvents: queryOptions({ queryKey: ['users', 'admin-events'], queryFn: () => api.adminEvents() }),
  /** The latest signed checkpoint, or null before the first one is made. */
  latestCheckpoint: queryOptions({
    queryKey: ['proofs', 'latest'],
    queryFn: () =>
      api.latestCheckpoint().catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null
        throw e
      }),
  }),
  publicKey: queryOptions({ queryKey: ['proofs', 'key'], queryFn: () => api.publicKey() }),

  units: (q: QueryOf<'/api/v1/units'>) =>
    queryOptions({ queryKey: ['units', 'list', q], queryFn: () => api.units(q), ...LIST }),
  unit: (id: string) => queryOptions({ queryKey: ['units', 'one', id], queryFn: () => loadUnit(id) }),
  stock: (q: QueryOf<'/api/v1/stock'>) =>
    queryOptions({ queryKey: ['stock', q], queryFn: () => api.stock(q), ...LIST }),
  documents: (q: QueryOf<'/api/v1/documents'>) =>
    queryOptions({ queryKey: ['documents', 'list', q], queryFn: () => api.documents(q), ...LIST }),
  document: (type: DocumentType, number: string) =>
    queryOptions({ queryKey: ['documents', 'one', type, number], queryFn: () => api.document(type, number) }),
  /** The server's currency and locale: fixed while the server runs. */
  displaySettings: queryOptions({
    queryKey: ['settings', 'display'],
    queryFn: () => api.displaySettings(),
    staleTime: Infinity,
    gcTime: Infinity,
  }),
  dashboard: (weeks: number) => queryOptions({ queryKey: ['dashboard', weeks], queryFn: () => api.dashboard(weeks) }),
  counts: queryOptions({ queryKey: ['counts', 'list'], queryFn: () => api.counts({ limit: 100 }) }),
  /** A count's live tally, refreshed every two seconds while the count screen is open. */
  count: (number: string) =>
    queryOptions({ queryKey: ['counts', 'one', number], queryFn: () => api.count(number), refetchInterval: 2000 }),
  reconciliation: (number: string) =>
    queryOptions({ queryKey: ['counts', 'reconciliation', number], queryFn: () => api.reconciliation(number) }),
  shrinkage: (q: QueryOf<'/api/v1/reports/shrinkage'>) =>
    queryOptions({ queryKey: ['shrinkage', q], queryFn: () => api.shrinkage(q), ...LIST }),
  exceptions: (q: QueryOf<'/api/v1/exceptions'>) =>
    queryOptions({ queryKey: ['exceptions', q], queryFn: () => api.exceptions(q), ...LIST }),
  custody: (id: string) => queryOptions({ queryKey: ['units', 'custody', id], queryFn: () => api.custody(id) }),
  orders: (q: QueryOf<'/api/v1/orders'>) =>
    queryOptions({ queryKey: ['orders', 'list', q], queryFn: () => api.orders(q), ...LIST }),
  order: (number: string) => queryOptions({ queryKey: ['orders', 'one', number], queryFn: () => api.order(number) }),
  pickList: (orders: string[]) =>
    queryOptions({ queryKey: ['orders', 'pick-list', orders], queryFn: () => api.pickList(orders) }),
  webhooks: queryOptions({ queryKey: ['webhooks'], queryFn: () => api.webhooks() }),
  webhookDeliveries: (id: string, status?: 'pending' | 'delivered' | 'dead') =>
    queryOptions({
      queryKey: ['webhooks', 'deliveries', id, status],
      queryFn: () => api.webhookDeliveries(id, { status, limit: 100 }),
    }),
}

type Resource =
  | 'skus'
  | 'locations'
  | 'parties'
  | 'users'
  | 'units'
  | 'stock'
  | 'documents'
  | 'dashboard'
  | 'proofs'
  | 'counts'
  | 'shrinkage'
  | 'exceptions'
  | 'orders'
  | 'webhooks'

const invalidate = (...resources: Resource[]) =>
  Promise.all(resources.map((r) => queryClient.invalidateQueries({ queryKey: [r] })))

/** What each kind of write makes stale. */
export const afterWrite = {
  sku: () => invalidate('skus'),
  location: () => invalidate('locations'),
  party: () => invalidate('parties'),
  user: () => invalidate('users'),
  checkpoint: () => invalidate('proofs'),
  /** A stock operation: units, stock on hand, documents and the dashboard move; the catalog does not. */
  stock: () => invalidate('units', 'stock', 'documents', 'dashboard', 'orders'),
  /** A count's start, scans, recount or close: the count, and what its adjustments move. */
  count: () => invalidate('counts', 'units', 'stock', 'documents', 'dashboard', 'shrinkage', 'exceptions'),
  webhooks: () => invalidate('webhooks'),
}
