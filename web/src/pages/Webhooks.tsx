/*
 * Webhook admin (admins only): subscriptions with their backlog, a create form whose answer shows the
 * signing secret once, and each subscription's delivery log with its dead letters and a redeliver button.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api'
import { DataTable, ErrorBox, Field, Form, PageTitle, Select } from '../components/ui'
import { fmtDateTime, fmtInt } from '../format'
import { afterWrite, queries } from '../queries'

export function WebhooksPage() {
  const list = useQuery(queries.webhooks)
  const [form, setForm] = useState({ name: '', url: '', eventTypes: '*' })
  const [secret, setSecret] = useState<string | undefined>()
  const [shown, setShown] = useState<string | undefined>()
  const create = useMutation({
    mutationFn: () =>
      api.createWebhook({
        name: form.name,
        url: form.url,
        eventTypes: form.eventTypes
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean) as never,
      }),
    onSuccess: async (w) => {
      setSecret(w.secret)
      await afterWrite.webhooks()
    },
  })
  return (
    <section className="page">
      <PageTitle>Webhooks</PageTitle>
      <Form className="card" onSubmit={() => create.mutate()}>
        <h2>New subscription</h2>
        <Field label="Name" value={form.name} onChange={(name) => setForm({ ...form, name })} required />
        <Field label="URL" value={form.url} onChange={(url) => setForm({ ...form, url })} required type="url" />
        <Field
          label="Event types"
          value={form.eventTypes}
          onChange={(eventTypes) => setForm({ ...form, eventTypes })}
          hint="comma-separated (sold, received, order_placed…), or * for every event"
        />
        <ErrorBox error={create.error} />
        <button className="button primary" type="submit" disabled={create.isPending}>
          Subscribe
        </button>
      </Form>
      {secret && (
        <div className="card success-box" role="status">
          Signing secret (shown only now, store it in the receiver): <code data-testid="webhook-secret">{secret}</code>
        </div>
      )}
      <ErrorBox error={list.error} />
      {list.data && (
        <div className="card">
          <DataTable
            label="Webhook subscriptions"
            rows={list.data}
            rowKey={(w) => w.id}
            empty="No subscriptions."
            columns={[
              { header: 'Name', cell: (w) => w.name },
              { header: 'URL', cell: (w) => <code>{w.url}</code> },
              { header: 'Events', cell: (w) => w.eventTypes.join(', ') },
              { header: 'Pending', cell: (w) => fmtInt(w.pending), numeric: true },
              { header: 'Dead', cell: (w) => fmtInt(w.dead), numeric: true },
              { header: 'Delivered', cell: (w) => fmtInt(w.delivered), numeric: true },
              {
                header: 'Log',
                cell: (w) => (
                  <button type="button" className="link-button" onClick={() => setShown(w.id)}>
                    Deliveries
                  </button>
                ),
              },
            ]}
          />
        </div>
      )}
      {shown && <DeliveryLog id={shown} />}
    </section>
  )
}

function DeliveryLog({ id }: { id: string }) {
  const [status, setStatus] = useState('')
  const log = useQuery(queries.webhookDeliveries(id, (status || undefined) as 'dead' | undefined))
  const redeliver = useMutation({
    mutationFn: (eventSeqs?: number[]) => api.redeliver(id, { eventSeqs }),
    onSuccess: afterWrite.webhooks,
  })
  return (
    <div className="card">
      <h2>Delivery log</h2>
      <Select
        label="Status"
        value={status}
        onChange={setStatus}
        options={{ '': 'Any', pending: 'pending', delivered: 'delivered', dead: 'dead letters' }}
      />
      <button type="button" className="button" onClick={() => redeliver.mutate(undefined)}>
        Redeliver all dead letters
      </button>
      <ErrorBox error={log.error ?? redeliver.error} />
      {log.data && (
        <DataTable
          label="Deliveries"
          rows={log.data}
          rowKey={(d) => d.eventSeq}
          empty="No deliveries."
          columns={[
            { header: 'Event', cell: (d) => `${d.eventSeq} ${d.eventType}` },
            { header: 'Status', cell: (d) => d.status },
            { header: 'Attempts', cell: (d) => fmtInt(d.attempts), numeric: true },
            { header: 'Last error', cell: (d) => d.lastError ?? '—' },
            { header: 'Next try / delivered', cell: (d) => fmtDateTime(d.deliveredAt ?? d.nextAttemptAt) },
            {
              header: '',
              cell: (d) =>
                d.status === 'dead' && (
                  <button type="button" className="link-button" onClick={() => redeliver.mutate([d.eventSeq])}>
                    Redeliver
                  </button>
                ),
            },
          ]}
        />
      )}
    </div>
  )
}
