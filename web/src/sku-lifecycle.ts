/*
 * The SKU edit form's life-cycle and markdown settings: flat text fields (one per stage threshold, the
 * ageing buckets as "7,14,30") to and from the API's nested `lifecycle` object. An empty field means the
 * default; what is not a number goes to the server as typed, whose refusal names the field.
 */

export const STAGE_SETTINGS = [
  { key: 'minWeeks', label: 'Weeks of history needed (default 4)' },
  { key: 'minUnits', label: 'Units sold needed (default 8)' },
  { key: 'trendWeeks', label: 'Trend weeks (default 6)' },
  { key: 'growthSlope', label: 'Growth: weekly trend ≥ share of peak (default 0.05)' },
  { key: 'declineSlope', label: 'Decline: weekly trend ≤ share of peak (default 0)' },
  { key: 'peakShare', label: 'Decline: sales ≤ share of peak (default 0.7)' },
  { key: 'youngWeeks', label: 'Introduction: at most weeks on sale (default 12)' },
] as const

type StageKey = (typeof STAGE_SETTINGS)[number]['key']

export interface SkuLifecycle {
  stage?: Partial<Record<StageKey, number>>
  ageingBuckets?: number[]
}

const PREFIX = 'lifecycle.'
const BUCKETS = `${PREFIX}ageingBuckets`

/** The form's fields of a SKU's settings, each with its current value (empty: the default). */
export function lifecycleFields(s: SkuLifecycle | null | undefined) {
  return [
    ...STAGE_SETTINGS.map((f) => ({
      name: `${PREFIX}${f.key}`,
      label: f.label,
      value: s?.stage?.[f.key] === undefined ? '' : String(s.stage[f.key]),
    })),
    {
      name: BUCKETS,
      label: 'Ageing buckets, days (e.g. 7,14,30; default 30,60,90,180)',
      value: (s?.ageingBuckets ?? []).join(','),
    },
  ]
}

const numberOf = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text)

/**
 * The edit to send: the changed fields as they are, and, if a life-cycle field changed, the whole new
 * `lifecycle` object (the API replaces it whole): the current settings with the changed fields applied.
 */
export function skuEdit(
  changed: Record<string, string | number | boolean | null>,
  current: SkuLifecycle | null | undefined,
): Record<string, unknown> {
  const plain = Object.fromEntries(Object.entries(changed).filter(([k]) => !k.startsWith(PREFIX)))
  const own = Object.entries(changed).filter(([k]) => k.startsWith(PREFIX))
  if (own.length === 0) return plain
  const stage: Record<string, unknown> = { ...current?.stage }
  let buckets: unknown[] | undefined = current?.ageingBuckets
  for (const [k, v] of own) {
    const text = v === null ? '' : String(v).trim()
    if (k === BUCKETS) buckets = text === '' ? undefined : text.split(',').map(numberOf)
    else if (text === '') delete stage[k.slice(PREFIX.length)]
    else stage[k.slice(PREFIX.length)] = numberOf(text)
  }
  const lifecycle = {
    ...(Object.keys(stage).length > 0 && { stage }),
    ...(buckets !== undefined && { ageingBuckets: buckets }),
  }
  return { ...plain, lifecycle: Object.keys(lifecycle).length > 0 ? lifecycle : null }
}
