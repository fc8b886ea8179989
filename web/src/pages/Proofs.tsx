import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api'
import { ErrorBox, Field, Form, KeyValues, Loading, PageTitle } from '../components/ui'
import { fmtDateTime, fmtInt } from '../format'
import { afterWrite, queries } from '../queries'

/**
 * Ledger proofs for auditors: the latest signed checkpoint, the public key that verifies it, a checkpoint
 * made on demand, and one unit's evidence pack to hand to a supplier (checked offline with
 * `serial-ledger proof verify`). What they prove: docs/ledger-proofs.md.
 */
export function ProofsPage() {
  const latest = useQuery(queries.latestCheckpoint)
  const key = useQuery(queries.publicKey)
  const make = useMutation({ mutationFn: () => api.makeCheckpoint(), onSuccess: afterWrite.checkpoint })
  const c = latest.data
  return (
    <>
      <PageTitle
        actions={
          <button type="button" onClick={() => make.mutate()} disabled={make.isPending}>
            Make checkpoint now
          </button>
        }
      >
        Ledger proofs
      </PageTitle>
      <ErrorBox error={make.error ?? latest.error} />
      <section aria-labelledby="checkpoint-title">
        <h2 id="checkpoint-title">Latest checkpoint</h2>
        {latest.isPending ? (
          <Loading />
        ) : c ? (
          <KeyValues
            rows={[
              ['Events covered', fmtInt(c.treeSize)],
              ['Merkle root', <code key="root">{c.rootHash}</code>],
              ['Signed', fmtDateTime(c.issuedAt)],
              ['Key id', <code key="key">{c.keyId}</code>],
            ]}
          />
        ) : (
          <p>No checkpoint has been made yet.</p>
        )}
        <p className="muted">
          Each checkpoint is also written to the witness, which belongs on another machine; verify the ledger against
          those copies with <code>serial-ledger verify --checkpoint</code>.
        </p>
      </section>
      <section aria-labelledby="key-title">
        <h2 id="key-title">Public key</h2>
        <ErrorBox error={key.error} />
        {key.data && <pre aria-label="Public key (PEM)">{key.data.pem}</pre>}
      </section>
      <UnitPack />
    </>
  )
}

/** Downloads one unit's evidence pack as a JSON file. */
function UnitPack() {
  const [serial, setSerial] = useState('')
  const [sku, setSku] = useState('')
  const pack = useMutation({
    mutationFn: () => api.unitPack(serial.trim(), sku.trim() || undefined),
    onSuccess: (p) => {
      const url = URL.createObjectURL(new Blob([JSON.stringify(p, null, 2)], { type: 'application/json' }))
      const a = document.createElement('a')
      a.href = url
      a.download = `evidence-${p.subject.serial}.json`
      a.click()
      URL.revokeObjectURL(url)
    },
  })
  return (
    <section aria-labelledby="pack-title">
      <h2 id="pack-title">Evidence pack of one unit</h2>
      <Form onSubmit={() => pack.mutate()}>
        <Field id="pack-serial" label="Serial" value={serial} onChange={setSerial} required />
        <Field label="SKU (when the serial exists for several)" value={sku} onChange={setSku} />
        <button type="submit" disabled={pack.isPending || serial.trim() === ''}>
          Download evidence pack
        </button>
      </Form>
      <ErrorBox error={pack.error} />
      {pack.data && (
        <p role="status">
          Pack of {pack.data.subject.serial}: {pack.data.events.length} events, proven against the checkpoint of{' '}
          {fmtInt(pack.data.checkpoint.treeSize)} events signed {fmtDateTime(pack.data.checkpoint.issuedAt)}.
        </p>
      )}
    </section>
  )
}
