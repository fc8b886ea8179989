/* The life-cycle pages' charts, from recharts; loaded on demand (see Lifecycle.tsx). */
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'

/** Units per age bucket. */
export function AgeingChart({ data }: { data: { bucket: string; units?: number }[] }) {
  return (
    <BarChart width={640} height={260} data={data}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="bucket" />
      <YAxis allowDecimals={false} />
      <Tooltip />
      <Bar dataKey="units" name="Units" fill="#2b6cb0" isAnimationActive={false} />
    </BarChart>
  )
}

/** A SKU's weekly sales (bars), its smoothed trend (line) and the week its stage began (marker). */
export function StageChart({
  weeks,
  since,
  stage,
}: {
  weeks: { week: string; units: number; smoothed: number }[]
  since: string | null
  stage: string
}) {
  return (
    <ComposedChart width={560} height={220} data={weeks}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="week" />
      <YAxis allowDecimals={false} />
      <Tooltip />
      <Legend />
      {since && <ReferenceLine x={since} stroke="#c53030" label={stage.replace(/_/g, ' ')} />}
      <Bar dataKey="units" name="Units sold" fill="#90cdf4" isAnimationActive={false} />
      <Line dataKey="smoothed" name="Trend" stroke="#2b6cb0" dot={false} isAnimationActive={false} />
    </ComposedChart>
  )
}
