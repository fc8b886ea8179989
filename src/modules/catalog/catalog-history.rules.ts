/** What kind of reference data an edit changed. */
export const CATALOG_ENTITIES = ['sku', 'location', 'party', 'markdown_policy'] as const
export type CatalogEntity = (typeof CATALOG_ENTITIES)[number]

/** One changed field: its name and its values before and after. */
export interface FieldChange {
  field: string
  old: unknown
  new: unknown
}

/** The fields of `after` whose values differ from `before` (compared as JSON), in `after`'s order. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  return Object.entries(after)
    .filter(([k, v]) => v !== undefined && JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null))
    .map(([field, v]) => ({ field, old: before[field] ?? null, new: v ?? null }))
}
