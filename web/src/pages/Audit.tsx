/*
 * The auditor's screen: run the ledger check (the hash chain re-computed and the projections compared
 * with a replay of every event, as `serial-ledger verify` does) and read the admin log (users created,
 * roles changed, passwords reset, tokens issued and revoked).
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { api } from '../api'
import { DataTable, ErrorBox, Loading, PageTitle } from '../components/ui'
import { fmtDateTime, plural } from '../format'
import { queries } from '../queries'
import type { AdminEvent, VerifyResult } from '../types'

export function AuditPage() {
  const check = useMutation({ mutationFn: () => api.verifyLedger() })
  const log = useQuery(queries.adminEvents)
  return (
    <section className="page">
      <PageTitle>Ledger check</PageTitle>
      <div className="card">
        <p>
          Re-computes the hash chain of every ledger event and replays the ledger into fresh projections, comparing them
          with the live units and stock. A changed, removed or re-ordered event is found.
        </p>
        <button
          className="button primary"
          type="button"
          onClick={() => check.mutate()}
          disabled={check.isPending}
          aria-describedby="check-result"
        >
          {check.isPending ? 'Checking…' : 'Run ledger check'}
        </button>
        <div id="check-result" aria-live="polite">
          {check.data && <CheckResult result={check.data} />}
        </div>
        <ErrorBox error={check.error} />
      </div>
      <h2>Admin log</h2>
      <ErrorBox error={log.error} />
      {log.isPending && <Loading />}
      {log.data && (
        <DataTable<AdminEvent>
          label="Admin log"
          testId="admin-log"
          rows={log.data}
          rowKey={(e) => e.id}
          empty="No administrative actions yet."
          columns={[
            { header: 'When', cell: (e) => fmtDateTime(e.at) },
            { header: 'Who', cell: (e) => e.actor },
            { header: 'Action', cell: (e) => e.action },
            { header: 'Subject', cell: (e) => e.subject },
            { header: 'Details', cell: (e) => detailsOf(e.details) },
          ]}
        />
      )}
    </section>
  )
}

function CheckResult({ result }: { result: VerifyResult }) {
  const counts = `${plural(result.events, 'event')}, ${plural(result.unitLines, 'unit line')}`
  if (result.ok)
    return (
      <p className="success-box" role="status" data-testid="check-ok">
        Ledger verified: {counts}. The hash chain is intact and the projections match a replay.
      </p>
    )
  const p = result.problem
  return (
    <div className="error-box" role="alert" data-testid="check-failed">
      <strong>The ledger does not verify</strong>
      <p>{p?.reason ?? 'unknown problem'}</p>
      <p className="muted">
        {[
          p?.seq !== undefined && `event ${p.seq}`,
          p?.eventId && `id ${p.eventId}`,
          p?.table && `table ${p.table}`,
          p?.key && `row ${p.key}`,
        ]
          .filter(Boolean)
          .join(', ')}{' '}
        (checked {counts})
      </p>
    </div>
  )
}

/** The details of an admin action as one line: `role: clerk, locations: STORE-A`. */
const detailsOf = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') || 'all' : String(v)}`)
    .join('; ')
