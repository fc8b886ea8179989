/*
 * Containers: scan a container's code (its SSCC label or our own code), scan units to pack into it, unpack
 * it; its contents (nested containers included) are shown as the ledger's projection has them.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { api, newIdempotencyKey } from '../api'
import { ErrorBox, Field, Form, PageTitle } from '../components/ui'
import { afterWrite } from '../queries'
import { type ContainerView, containerDetail, resolveScan } from '../scan/resolve-scan'
import { parseScan } from '../../../src/modules/gs1/index.js'

/** The container code a scan or typed value names: the SSCC of a GS1 label, else the code as typed. */
const containerCode = (raw: string): string => {
  const scan = parseScan(raw)
  return scan.kind === 'gs1' && scan.sscc ? scan.sscc : raw.trim()
}

function Contents({ c }: { c: ContainerView }) {
  return (
    <li>
      <strong>{c.code}</strong> <span className="muted">({c.kind === 'sscc' ? 'SSCC' : 'our code'})</span>
      <ul>
        {c.units.map((u) => (
          <li key={`${u.sku}:${u.serial}`}>
            {u.serial} <span className="muted">{u.sku}</span>
          </li>
        ))}
        {c.containers.map((n) => (
          <Contents key={n.code} c={n} />
        ))}
      </ul>
    </li>
  )
}

export function ContainersPage() {
  const [raw, setRaw] = useState('')
  const [scan, setScan] = useState('')
  const [units, setUnits] = useState<{ serial: string; sku: string }[]>([])
  const [scanError, setScanError] = useState<string>()
  const key = useRef(newIdempotencyKey())
  const code = raw.trim() ? containerCode(raw) : ''
  const current = useQuery({
    queryKey: ['containers', code],
    queryFn: ({ signal }) => api.container(code, signal),
    enabled: code !== '',
    retry: false,
  })
  const done = () => {
    key.current = newIdempotencyKey()
    setUnits([])
    void afterWrite.stock()
    void current.refetch()
  }
  const pack = useMutation({ mutationFn: () => api.pack({ container: code, units }, key.current), onSuccess: done })
  const unpack = useMutation({ mutationFn: () => api.unpack({ container: code }, key.current), onSuccess: done })
  const addUnit = async () => {
    setScanError(undefined)
    const r = await resolveScan(scan)
    setScan('')
    if (!r.ok) return setScanError(r.message)
    const u = r.units[0]!
    if (u.container) return setScanError(`${u.serial} is already packed in ${u.container}`)
    if (units.some((x) => x.serial === u.serial && x.sku === u.sku.code))
      return setScanError(`${u.serial} is already in the list`)
    setUnits((list) => [...list, { serial: u.serial, sku: u.sku.code }])
  }
  const c = current.data
  return (
    <section className="page">
      <PageTitle>Containers</PageTitle>
      <div className="op-layout">
        <section className="card op-form" aria-labelledby="container-title">
          <h2 id="container-title">Container</h2>
          <Field
            id="container-code"
            label="Container (scan its SSCC label or type its code)"
            value={raw}
            onChange={setRaw}
            autoFocus
          />
          {c ? (
            <p role="status">{containerDetail(c)}</p>
          ) : (
            code && current.isError && <p className="muted">New container: packing creates it.</p>
          )}
          {c && (
            <ul aria-label="Contents">
              <Contents c={c} />
            </ul>
          )}
        </section>
        <section className="card op-scan" aria-labelledby="pack-title">
          <h2 id="pack-title">Pack units</h2>
          <Form
            onSubmit={() => {
              if (scan.trim()) void addUnit()
            }}
          >
            <Field id="pack-scan" label="Scan unit" value={scan} onChange={setScan} />
          </Form>
          {scanError && <p role="alert">{scanError}</p>}
          <ul aria-label="Units to pack">
            {units.map((u) => (
              <li key={`${u.sku}:${u.serial}`}>
                {u.serial} <span className="muted">{u.sku}</span>
              </li>
            ))}
          </ul>
          <button type="button" disabled={!code || units.length === 0 || pack.isPending} onClick={() => pack.mutate()}>
            Pack {units.length} unit{units.length === 1 ? '' : 's'}
          </button>{' '}
          <button type="button" disabled={!c || unpack.isPending} onClick={() => unpack.mutate()}>
            Unpack all
          </button>
          <ErrorBox error={pack.error ?? unpack.error} />
        </section>
      </div>
    </section>
  )
}
