import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Db } from './connect.js'

/**
 * Online backup of a SQLite database to `file`, consistent even while the server writes (SQLite's
 * backup API copies pages under a read lock and restarts if a writer changes them). PostgreSQL is backed
 * up with pg_dump instead, which the README documents; this refuses rather than pretending.
 */
export async function backupSqlite(db: Db, file: string): Promise<{ file: string; pages: number }> {
  if (!db.sqlite) throw new Error('backup copies SQLite databases; for PostgreSQL use pg_dump -Fc (see README)')
  const target = resolve(file)
  if (existsSync(target)) throw new Error(`${target} exists; choose a new file`)
  mkdirSync(dirname(target), { recursive: true })
  const result = await db.sqlite.backup(target)
  return { file: target, pages: result.totalPages }
}

/**
 * Restores a SQLite backup into `targetFile` (the server must be stopped). An existing database is only
 * replaced with `force`; its WAL and shared-memory files go with it, or SQLite would replay a stale WAL.
 */
export function restoreSqlite(backupFile: string, targetFile: string, options: { force?: boolean } = {}): string {
  const target = resolve(targetFile)
  if (!existsSync(backupFile)) throw new Error(`${backupFile} does not exist`)
  if (existsSync(target) && !options.force) throw new Error(`${target} exists; pass --force to replace it`)
  mkdirSync(dirname(target), { recursive: true })
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true })
  copyFileSync(backupFile, target)
  return target
}
