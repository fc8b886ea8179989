import { useQuery } from '@tanstack/react-query'
import { ErrorBox, Loading, PageTitle } from '../components/ui'
import { Link, useLocation } from '../router'
import { describeScan } from '../../../src/modules/gs1/index.js'
import { scanQuery } from '../scan/resolve-scan'
import { UnitsTable } from './UnitsList'

/** Several units answer one scan (a serial shared by two SKUs), or none: let the user choose or search. */
export function LookupPage() {
  const code = useLocation().query.get('code') ?? ''
  const r = useQuery(scanQuery(code))
  return (
    <section className="page">
      <PageTitle>Scan “{code}”</PageTitle>
      <ErrorBox error={r.error} />
      {r.isFetching && <Loading />}
      {r.data &&
        (r.data.ok ? (
          <>
            <p>
              {r.data.units.length} units match {describeScan(r.data.scan)}. Choose one:
            </p>
            <UnitsTable units={r.data.units} />
          </>
        ) : (
          <div className="error-box" role="alert">
            <strong>{r.data.message}</strong>
            <p>
              <Link to={`/units?find=${encodeURIComponent(code)}`}>Search the units list</Link>
            </p>
          </div>
        ))}
    </section>
  )
}
