import type { Command } from 'commander'
import { listDeliveries, listWebhooks, redeliver } from '../modules/integrations/index.js'
import { type DbFlags, type Print, printLine, withDatabaseOption, withDb } from './cli-context.js'

interface RedeliverFlags extends DbFlags {
  seq?: string[]
}

/** `serial-ledger webhooks list|redeliver`: the subscriptions with their backlog, and dead letters sent again. */
export function registerWebhooksCommand(program: Command, print: Print = printLine): void {
  const webhooks = program.command('webhooks').description('webhook subscriptions and their dead letters')
  withDatabaseOption(
    webhooks
      .command('list')
      .description('list subscriptions with pending, dead and delivered counts')
      .option('--json', 'print JSON'),
  ).action(async (flags: DbFlags) =>
    withDb(flags, async (ctx) => {
      const subs = await listWebhooks(ctx.db.kysely)
      if (flags.json) return print(JSON.stringify(subs, null, 2))
      if (subs.length === 0) return print('no webhook subscriptions')
      for (const s of subs)
        print(
          `${s.id}  ${s.name}  ${s.url}  [${s.eventTypes.join(',')}]${s.isActive ? '' : ' (paused)'}  ` +
            `pending ${s.pending}, dead ${s.dead}, delivered ${s.delivered}`,
        )
    }),
  )
  withDatabaseOption(
    webhooks
      .command('redeliver <subscription-id>')
      .description("send a subscription's dead letters again (all, or those given with --seq)")
      .option('--seq <seq...>', 'event seqs of the dead letters to send again')
      .option('--json', 'print JSON'),
  ).action(async (id: string, flags: RedeliverFlags) =>
    withDb(flags, async (ctx) => {
      const eventSeqs = flags.seq?.map((s) => {
        const n = Number(s)
        if (!Number.isInteger(n) || n < 1) throw new Error(`--seq ${s}: not an event seq`)
        return n
      })
      const dead = await listDeliveries(ctx.db.kysely, id, { status: 'dead', limit: 1 })
      const result = await redeliver(ctx, id, { eventSeqs })
      print(
        flags.json
          ? JSON.stringify(result)
          : `${result.requeued} dead letter(s) queued again${dead.length === 0 ? ' (there were none)' : ''}`,
      )
    }),
  )
}
