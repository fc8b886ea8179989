import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../core/errors.js'
import { type Checkpoint, checkpointFileName } from './checkpoint.rules.js'
import { CheckpointSchema } from './proofs.schemas.js'

/*
 * The witness keeps a copy of every checkpoint outside the database: a directory (mount one from
 * another machine) or an http(s) URL that accepts a POST of the checkpoint JSON. Whoever can rewrite
 * the database cannot take back what the witness has seen.
 */

const isUrl = (witness: string) => /^https?:\/\//.test(witness)

/** Writes the checkpoint to the witness; returns where it went (a file path or the URL). */
export async function writeToWitness(witness: string, c: Checkpoint): Promise<string> {
  const body = `${JSON.stringify(c, null, 2)}\n`
  if (isUrl(witness)) {
    const res = await fetch(witness, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    if (!res.ok) throw new Error(`witness ${witness} answered ${res.status} ${res.statusText}`)
    return witness
  }
  mkdirSync(witness, { recursive: true })
  const file = join(witness, checkpointFileName(c))
  writeFileSync(file, body, { mode: 0o644 })
  return file
}

/** A checkpoint read from a file, with where it came from (named in verify's findings). */
export interface SourcedCheckpoint {
  source: string
  checkpoint: Checkpoint
}

/** Parses one checkpoint file; refuses naming the file and the field. */
export function readCheckpointFile(file: string): SourcedCheckpoint {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new AppError('proof.checkpoint_invalid', `checkpoint ${file} is not readable JSON: ${(e as Error).message}`)
  }
  const parsed = CheckpointSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new AppError(
      'proof.checkpoint_invalid',
      `checkpoint ${file}: field ${issue.path.join('.') || '(top)'}: ${issue.message}`,
    )
  }
  return { source: file, checkpoint: parsed.data }
}

/** Checkpoint files by path; a directory (a witness) stands for every checkpoint-*.json in it. */
export function readCheckpointFiles(paths: readonly string[]): SourcedCheckpoint[] {
  for (const p of paths)
    if (!existsSync(p)) throw new AppError('proof.checkpoint_invalid', `no checkpoint file or witness directory ${p}`)
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /^checkpoint-.*\.json$/.test(f))
          .sort()
          .map((f) => readCheckpointFile(join(p, f)))
      : [readCheckpointFile(p)],
  )
}
