import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { type Command, InvalidArgumentError } from 'commander'
import type { AppContext } from '../core/context.js'
import { AppError } from '../core/errors.js'
import { loadConfig } from '../config.js'
import {
  type Checkpoint,
  exportUnitPack,
  makeCheckpoint,
  type PackReport,
  parsePublicKey,
  type ProofSettings,
  proveConsistency,
  proveInclusion,
  publicKeyPem,
  readSigningKey,
  verifyPack,
} from '../modules/proofs/index.js'
import {
  asInputError,
  type DbFlags,
  type Print,
  printLine,
  reportError,
  withDatabaseOption,
  withDb,
} from './cli-context.js'

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
const describeCheckpoint = (c: Checkpoint) =>
  `checkpoint of ${c.treeSize.toLocaleString('en-US')} events, root ${c.rootHash}, ` +
  `signed ${c.issuedAt} by key ${c.keyId}`

/** Makes and signs a checkpoint now; writes it to `out` (JSON) when given. */
export async function runCheckpoint(ctx: AppContext, settings: ProofSettings, out?: string) {
  const made = (await makeCheckpoint(ctx, settings))!
  if (out) writeFileSync(out, json(made.checkpoint))
  return { ...made, text: `${describeCheckpoint(made.checkpoint)}; witness copy ${made.witnessedAt}` }
}

/**
 * Writes one unit's evidence pack. When the unit has events the latest checkpoint does not cover (or
 * there is none yet) and the signing key is here, a checkpoint is made first.
 */
export async function runExportPack(
  ctx: AppContext,
  settings: ProofSettings | undefined,
  unit: { serial: string; sku?: string },
  out: string,
) {
  if (settings && existsSync(settings.signingKeyFile)) await makeCheckpoint(ctx, settings, { onlyIfGrown: true })
  const pack = await exportUnitPack(ctx.db, unit.serial, unit.sku, ctx.clock.now())
  writeFileSync(out, json(pack))
  return {
    pack,
    text:
      `evidence pack of ${pack.subject.serial} (${pack.subject.sku}): ${pack.events.length} events, ` +
      `${describeCheckpoint(pack.checkpoint)}; written to ${out}`,
  }
}

/** The offline check of a pack file with a public key file: no database is opened. */
export function runVerifyPack(packFile: string, publicKeyFile: string): { report: PackReport; text: string } {
  const key = parsePublicKey(readText(publicKeyFile, 'public key'), publicKeyFile)
  let pack: unknown
  try {
    pack = JSON.parse(readText(packFile, 'evidence pack'))
  } catch (e) {
    throw new AppError('proof.pack_invalid', `${packFile} is not JSON: ${(e as Error).message}`)
  }
  const report = verifyPack(pack, key)
  const lines = report.ok
    ? [`evidence pack OK: ${packFile}`, ...report.checks.map((c) => `  ${c}`)]
    : [`evidence pack FAILED: ${packFile}`, ...report.problems.map((p) => `  ${p}`)]
  return { report, text: lines.join('\n') }
}

function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new AppError('request.invalid', `no ${what} file ${file}`)
  return readFileSync(file, 'utf8')
}

const settingsOf = (flags: DbFlags): ProofSettings => {
  const config = asInputError(() => loadConfig(process.env, { databaseUrl: flags.databaseUrl }))
  return { signingKeyFile: config.signingKeyFile, witness: config.witness }
}

/** A whole-number flag; commander reports a bad one as `error: option … is invalid` and exits 1. */
const int = (v: string) => {
  const n = Number(v)
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number')
  return n
}

export function registerProofCommands(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program
      .command('checkpoint')
      .description('make and sign a checkpoint of the ledger now; also written to the witness')
      .option('--out <file>', 'write the checkpoint JSON to this file'),
  ).action(async (flags: DbFlags & { out?: string }) =>
    withDb(flags, async (ctx) => print((await runCheckpoint(ctx, settingsOf(flags), flags.out)).text)),
  )

  const keys = program.command('keys').description('the checkpoint signing key')
  keys
    .command('export-public')
    .description('print the public key (PEM) that verifies checkpoints and evidence packs')
    .action(() => {
      try {
        print(publicKeyPem(readSigningKey(settingsOf({}).signingKeyFile)).trimEnd())
      } catch (e) {
        reportError(e, false)
      }
    })

  const proof = program.command('proof').description('inclusion and consistency proofs, evidence packs')
  withDatabaseOption(
    proof
      .command('inclusion')
      .description('inclusion proof of one event in the latest checkpoint (or one of --tree-size events)')
      .requiredOption('--seq <n>', 'the event', int)
      .option('--tree-size <n>', 'a checkpoint size', int),
  ).action(async (flags: DbFlags & { seq: number; treeSize?: number }) =>
    withDb(flags, async (ctx) => print(json(await proveInclusion(ctx.db, flags.seq, flags.treeSize)).trimEnd())),
  )
  withDatabaseOption(
    proof
      .command('consistency')
      .description('consistency proof from a tree of --from events to one of --to (the latest checkpoint)')
      .requiredOption('--from <n>', 'the earlier tree size', int)
      .option('--to <n>', 'the later tree size', int),
  ).action(async (flags: DbFlags & { from: number; to?: number }) =>
    withDb(flags, async (ctx) => print(json(await proveConsistency(ctx.db, flags.from, flags.to)).trimEnd())),
  )
  withDatabaseOption(
    proof
      .command('export')
      .description("write one unit's evidence pack: its events, their lines' hashes and inclusion proofs")
      .requiredOption('--serial <serial>', 'the unit')
      .option('--sku <code>', 'the SKU, when the serial exists for several')
      .requiredOption('--out <file>', 'the pack file (JSON)'),
  ).action(async (flags: DbFlags & { serial: string; sku?: string; out: string }) =>
    withDb(flags, async (ctx) => print((await runExportPack(ctx, settingsOf(flags), flags, flags.out)).text)),
  )
  proof
    .command('verify')
    .description('check an evidence pack offline (no database): signature, inclusion proofs, lines')
    .argument('<pack>', 'the evidence pack JSON file')
    .requiredOption('--public-key <file>', 'the ledger public key (PEM, from "keys export-public")')
    .action((pack: string, flags: { publicKey: string }) => {
      try {
        const { report, text } = runVerifyPack(pack, flags.publicKey)
        print(text)
        if (!report.ok) process.exitCode = 1
      } catch (e) {
        reportError(e, false)
      }
    })
}
