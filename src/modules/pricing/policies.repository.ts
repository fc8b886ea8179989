import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { changedFields, recordChanges } from '../catalog/index.js'
import type { MarkdownPolicyTable } from './pricing.tables.js'
import type { MarkdownPolicy, MarkdownRule } from './markdown.rules.js'
import { MarkdownPolicyRequest } from './pricing.schemas.js'

const toPolicy = (r: MarkdownPolicyTable): MarkdownPolicy => ({
  skuGroup: r.sku_group,
  rules: JSON.parse(r.rules) as MarkdownRule[],
  cap: { periodDays: r.period_days, maxMarkdowns: r.max_markdowns, maxDepthPct: r.max_depth_pct },
})

/** Every SKU group's markdown policy, by group. */
export async function policiesByGroup(db: Executor): Promise<Map<string, MarkdownPolicy>> {
  const rows = await db.selectFrom('markdown_policy').selectAll().orderBy('sku_group').execute()
  return new Map(rows.map((r) => [r.sku_group, toPolicy(r)]))
}

export const listPolicies = async (db: Executor): Promise<MarkdownPolicy[]> => [...(await policiesByGroup(db)).values()]

export async function getPolicy(db: Executor, group: string): Promise<MarkdownPolicy> {
  const row = await db.selectFrom('markdown_policy').selectAll().where('sku_group', '=', group).executeTakeFirst()
  if (!row) throw new AppError('markdown.policy_not_found', `SKU group ${group} has no markdown policy`)
  return toPolicy(row)
}

/** Sets a SKU group's markdown rules and cap; the change is recorded in the policy's history. */
export async function putPolicy(
  ctx: AppContext,
  actor: string,
  group: string,
  input: MarkdownPolicyRequest,
): Promise<MarkdownPolicy> {
  const req = MarkdownPolicyRequest.parse(input)
  const db = ctx.db.kysely
  const at = ctx.clock.now().toISOString()
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('markdown_policy').selectAll().where('sku_group', '=', group).executeTakeFirst()
    const row = {
      sku_group: group,
      rules: JSON.stringify(req.rules),
      period_days: req.periodDays,
      max_markdowns: req.maxMarkdowns,
      max_depth_pct: req.maxDepthPct,
      updated_at: at,
      updated_by: actor,
    }
    if (before) await trx.updateTable('markdown_policy').set(row).where('sku_group', '=', group).execute()
    else await trx.insertInto('markdown_policy').values(row).execute()
    const after = toPolicy(row)
    const old: Record<string, unknown> = before ? { ...toPolicy(before) } : {}
    const subject = { entity: 'markdown_policy' as const, id: group, code: group, actor, at }
    await recordChanges(trx, subject, changedFields(old, { rules: after.rules, cap: after.cap }))
    return after
  })
}
