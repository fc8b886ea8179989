import type { Command } from 'commander'
import type { Db } from '../db/connect.js'
import { existsSync, readFileSync } from 'node:fs'
import { AppError } from '../core/errors.js'
import { type VerifyReport, verifyLedger } from '../modules/ledger/index.js'
import {
  type CheckpointReport,
  parsePublicKey,
  readCheckpointFiles,
  readSigningKey,
  verifyAgainstCheckpoints,
} from '../modules/proofs/index.js'
import type { KeyObject } from 'node:crypto'
import { type DbFlags, type Print, printLine, withDatabaseOption, withDb } from './cli-context.js'

/** One line for the operator: what was checked, or where the ledger is broken and why. */
export function describeVerify(report: VerifyReport, replayed: boolean): string {
  const events = report.events.toLocaleString('en-US')
  const counts = `${events} events, ${report.unitLines.toLocaleString('en-US')} unit lines`
  if (report.ok)
    return `ledger OK: ${counts}, ${replayed ? 'projections match replay' : 'hash chain intact (replay skipped)'}`
  const p = report.problem!
  const where =
    p.seq !== undefined
      ? `event seq ${p.seq}${p.eventId ? ` (id ${p.eventId})` : ''}`
      : p.table
        ? `projection ${p.table}${p.key ? ` row ${p.key}` : ''}`
        : 'ledger head'
  return `ledger BROKEN at ${where}: ${p.reason}`
}

/** Re-computes the hash chain (and, unless `replay` is false, replays the ledger against the projections). */
export async function runVerify(
  db: Db,
  options: { replay?: boolean } = {},
): Promise<{ report: VerifyReport; text: string }> {
  const replay = options.replay !== false
  const report = await verifyLedger(db, { replay })
  return { report, text: describeVerify(report, replay) }
}

/** Lines for the operator: how many checkpoints hold, and each one that does not, by file and kind. */
export function describeCheckpoints(report: CheckpointReport): string {
  if (report.ok)
    return `checkpoints OK: ${report.matched} signed checkpoints match the ledger's ${report.events} events`
  return [
    `checkpoints BROKEN: ${report.findings.length} of the signed checkpoints do not hold`,
    ...report.findings.map((f) => `  ${f.kind}: ${f.source} (${f.treeSize} events, signed ${f.issuedAt}): ${f.reason}`),
  ].join('\n')
}

/**
 * `verify` with saved checkpoints: the hash chain and replay as always, then every checkpoint file (a
 * witness directory stands for all its files) and every checkpoint row against the log and the key.
 */
export async function runVerifyWithCheckpoints(
  db: Db,
  paths: readonly string[],
  publicKey: KeyObject,
  options: { replay?: boolean } = {},
): Promise<{ ok: boolean; ledger: VerifyReport; checkpoints: CheckpointReport; text: string }> {
  const files = readCheckpointFiles(paths)
  const { report: ledger, text } = await runVerify(db, options)
  const checkpoints = await verifyAgainstCheckpoints(db, files, publicKey)
  return {
    ok: ledger.ok && checkpoints.ok,
    ledger,
    checkpoints,
    text: `${text}\n${describeCheckpoints(checkpoints)}`,
  }
}

function readPublicKeyFile(file: string): string {
  if (!existsSync(file)) throw new AppError('request.invalid', `no public key file ${file}`)
  return readFileSync(file, 'utf8')
}

interface VerifyFlags extends DbFlags {
  replay: boolean
  checkpoint?: string[]
  publicKey?: string
}

export function registerVerifyCommand(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program
      .command('verify')
      .description('re-compute the ledger hash chain and compare the projections with a replay; exit 1 if broken')
      .option('--no-replay', 'check the hash chain only (faster)')
      .option('--json', 'print the report as JSON')
      .option(
        '--checkpoint <files...>',
        'also check the ledger against these saved checkpoints (files or witness dirs)',
      )
      .option('--public-key <file>', 'the public key for --checkpoint (default: from the signing key file)'),
  ).action(async (flags: VerifyFlags) =>
    withDb(flags, async (ctx, config) => {
      if (flags.checkpoint) {
        const key = flags.publicKey
          ? parsePublicKey(readPublicKeyFile(flags.publicKey), flags.publicKey)
          : readSigningKey(config.signingKeyFile).publicKey
        const result = await runVerifyWithCheckpoints(ctx.db, flags.checkpoint, key, { replay: flags.replay })
        print(flags.json ? JSON.stringify(result, null, 2) : result.text)
        if (!result.ok) process.exitCode = 1
        return
      }
      const { report, text } = await runVerify(ctx.db, { replay: flags.replay })
      print(flags.json ? JSON.stringify(report, null, 2) : text)
      if (!report.ok) process.exitCode = 1
    }),
  )
}
