import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'

/**
 * A second PostgreSQL cluster on another loopback port, made a streaming replica of the one on
 * 127.0.0.1:5432 with Debian's tools: `pg_createcluster` (configuration, port, data directory), its data
 * replaced by `pg_basebackup -R` of the primary (which writes standby.signal and primary_conninfo), then
 * started with `pg_ctlcluster`. Idempotent: a cluster of the same name left by an earlier run is dropped
 * first. On the primary it needs wal_level replica or logical and free WAL senders (PostgreSQL 15's
 * defaults) and a pg_hba.conf line letting 127.0.0.1 connect for replication, which it adds (trust, like
 * the line the test server has for ordinary connections) and reloads.
 */
export interface ReplicaCluster {
  port: number
  /** A URL of `database` on the replica. */
  urlOf(database: string): string
  /** Stops the cluster and removes it (configuration and data). */
  drop(): void
}

export type Prepared = { ok: true; cluster: ReplicaCluster } | { ok: false; reason: string }

const PRIMARY = 'postgres://postgres@127.0.0.1:5432/postgres'
export const REPLICA_NAME = 'sl_replica_test'
const HBA_LINE = 'host replication all 127.0.0.1/32 trust'

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })

function onPath(cmd: string): boolean {
  try {
    run('sh', ['-c', `command -v ${cmd}`])
    return true
  } catch {
    return false
  }
}

/** Makes the replica, or says why it cannot be made here (the test is then skipped with that reason). */
export async function prepareReplica(port = Number(process.env.REPLICA_PORT ?? 5499)): Promise<Prepared> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0)
    return { ok: false, reason: 'making a PostgreSQL cluster needs root (pg_createcluster, files owned by postgres)' }
  for (const cmd of ['pg_createcluster', 'pg_basebackup', 'pg_ctlcluster', 'pg_dropcluster', 'runuser'])
    if (!onPath(cmd)) return { ok: false, reason: `${cmd} is not installed` }
  const primary = new pg.Client({ connectionString: PRIMARY, connectionTimeoutMillis: 10_000 })
  try {
    await primary.connect()
  } catch (e) {
    return { ok: false, reason: `no primary on 127.0.0.1:5432: ${(e as Error).message}` }
  }
  let version: string
  try {
    const setting = async (name: string) => (await primary.query(`show ${name}`)).rows[0][name] as string
    if (!['replica', 'logical'].includes(await setting('wal_level')))
      return { ok: false, reason: `the primary's wal_level is ${await setting('wal_level')} (needs replica)` }
    if (Number(await setting('max_wal_senders')) < 1)
      return { ok: false, reason: 'the primary has max_wal_senders = 0' }
    version = String(Math.floor(Number(await setting('server_version_num')) / 10000))
    // The first line that matches a connection decides: ours must come before any other replication line
    // for 127.0.0.1 (Debian's default one asks for a password).
    const hba = await setting('hba_file')
    const text = readFileSync(hba, 'utf8')
    const first = text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim().split(/\s+/))
      .find((f) => f[0] === 'host' && f[1] === 'replication' && f[3] === '127.0.0.1/32')
    if (first?.join(' ') !== HBA_LINE) {
      writeFileSync(
        hba,
        `# streaming replicas on this machine (test/reliability/replica-cluster.ts)\n${HBA_LINE}\n${text}`,
      )
      await primary.query('select pg_reload_conf()')
    }
  } finally {
    await primary.end()
  }

  const drop = () => {
    if (existsSync(`/etc/postgresql/${version}/${REPLICA_NAME}`))
      run('pg_dropcluster', ['--stop', version, REPLICA_NAME])
  }
  try {
    drop()
    run('pg_createcluster', [version, REPLICA_NAME, '-p', String(port)])
    const data = `/var/lib/postgresql/${version}/${REPLICA_NAME}`
    for (const entry of readdirSync(data)) rmSync(join(data, entry), { recursive: true, force: true })
    run('runuser', [
      '-u',
      'postgres',
      '--',
      'pg_basebackup',
      '-h',
      '127.0.0.1',
      '-p',
      '5432',
      '-U',
      'postgres',
      '-D',
      data,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ])
    // Our own cluster: its clients connect over loopback without a password, as to the primary.
    writeFileSync(
      `/etc/postgresql/${version}/${REPLICA_NAME}/pg_hba.conf`,
      'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    )
    run('pg_ctlcluster', ['--skip-systemctl-redirect', version, REPLICA_NAME, 'start'])
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    try {
      drop()
    } catch {
      // nothing left to clean
    }
    return { ok: false, reason: `the replica cluster could not be made: ${err.stderr?.trim() || err.message}` }
  }
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  return { ok: true, cluster: { port, urlOf, drop } }
}

/** Runs one query on the replica's `database` on a connection of its own. */
export async function onReplica<R = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
  await c.connect()
  try {
    return (await c.query(text, values)).rows as R[]
  } finally {
    await c.end()
  }
}
