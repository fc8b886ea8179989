/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

/** Reference data: a SKU group's markdown rules (JSON) and its cap on how often and how deep. */
export interface MarkdownPolicyTable {
  sku_group: string
  rules: string
  period_days: number
  max_markdowns: number
  max_depth_pct: number
  updated_at: string
  updated_by: string
}

export interface PricingTables {
  markdown_policy: MarkdownPolicyTable
}
