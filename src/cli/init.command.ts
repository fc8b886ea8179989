import type { Command } from 'commander'
import { ensureFirstAdmin } from '../modules/accounts/index.js'
import { ensureSigningKey, readSigningKey } from '../modules/proofs/index.js'
import { type DbFlags, type Print, printLine, withDatabaseOption, withDb } from './cli-context.js'

interface InitFlags extends DbFlags {
  username: string
}

/**
 * Creates the database and its first admin with a one-time password (there is no default password).
 * `serve` does the same on its first start; this is for setting up before the server runs.
 */
export function registerInitCommand(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program
      .command('init')
      .description(
        'create and migrate the database, its first admin (prints a one-time password) and the checkpoint ' +
          'signing key file (SERIAL_LEDGER_SIGNING_KEY, mode 0600)',
      )
      .option('--username <name>', 'name of the first admin', 'admin'),
  ).action(async (flags: InitFlags) =>
    withDb(flags, async (ctx, config) => {
      const file = config.signingKeyFile
      const isNew = ensureSigningKey(file)
      print(
        `${isNew ? 'created the' : 'kept the existing'} checkpoint signing key ${file} ` +
          `(key id ${readSigningKey(file).keyId}); keep a backup of it away from the database`,
      )
      const password = await ensureFirstAdmin(ctx, flags.username)
      if (!password)
        return print(
          'users exist already: nothing to do (an admin can reset passwords with PATCH /api/v1/users/{name})',
        )
      print(
        `first admin "${flags.username}" created; ` +
          `one-time password (shown only once, must be changed at first sign-in):\n\n    ${password}\n`,
      )
    }),
  )
}
