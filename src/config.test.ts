import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'

describe('configuration', () => {
  it('has a default for every setting, so the product starts with no environment at all', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: 'sqlite:./data/serial-ledger.db',
      port: 8080,
      host: '127.0.0.1',
      actor: 'local-admin',
      sqliteSynchronous: 'FULL',
      poolSize: 20,
      signingKeyFile: './data/signing-key.pem',
      witness: './data/witness',
      checkpointIntervalSeconds: 300,
      writePath: 'sequenced',
    })
  })

  it('reads the environment, and a flag wins over its variable', () => {
    const env = { DATABASE_URL: 'postgres://db/x', PORT: '9000', SQLITE_SYNCHRONOUS: 'normal' }
    expect(loadConfig(env)).toMatchObject({ databaseUrl: 'postgres://db/x', port: 9000, sqliteSynchronous: 'NORMAL' })
    expect(loadConfig(env, { port: 7000, databaseUrl: 'sqlite:x.db' })).toMatchObject({
      port: 7000,
      databaseUrl: 'sqlite:x.db',
    })
  })

  it('refuses a bad value, naming the variable and what it got', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT .*\(got "eighty"\)/)
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/^SQLITE_SYNCHRONOUS/)
    expect(() => loadConfig({ SERIAL_LEDGER_CHECKPOINT_INTERVAL: '-5' })).toThrow(/^SERIAL_LEDGER_CHECKPOINT_INTERVAL/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /^DATABASE_URL must start with sqlite: or postgres:\/\//,
    )
    expect(() => loadConfig({ READ_DATABASE_URL: 'sqlite:replica.db' })).toThrow(
      /^READ_DATABASE_URL must be a postgres/,
    )
  })

  it('reads a read replica only when one is named', () => {
    expect(loadConfig({}).readDatabaseUrl).toBeUndefined()
    const replica = 'postgres://replica:5433/x'
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', READ_DATABASE_URL: replica }).readDatabaseUrl).toBe(replica)
  })
})
