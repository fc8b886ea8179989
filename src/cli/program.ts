import { Command } from 'commander'
import { registerBackupCommands } from './backup.command.js'
import { registerCountCommand, registerReportCommand } from './count.command.js'
import { registerDemoCommand } from './demo.command.js'
import { registerEpcisCommand } from './epcis.command.js'
import { registerInitCommand } from './init.command.js'
import { registerLabelsCommand } from './labels.command.js'
import { registerExportCommand } from './export.command.js'
import { registerImportCommand } from './import.command.js'
import { registerLifecycleCommands } from './lifecycle.command.js'
import { registerMigrateCommand } from './migrate.command.js'
import { registerOpenApiCommand } from './openapi.command.js'
import { registerProofCommands } from './proofs.command.js'
import { registerDefectReportCommand, registerRecallCommand } from './quality.command.js'
import { registerServeCommand } from './serve.command.js'
import { registerVerifyCommand } from './verify.command.js'
import { registerWebhooksCommand } from './webhooks.command.js'
import { registerWarrantyCommand } from './warranty.command.js'

/** The operator CLI: one command group per file, each a thin adapter over the same services as the API. */
export function buildProgram(): Command {
  const program = new Command('serial-ledger')
    .description('Serial Ledger: serialized inventory on a hash-chained, append-only ledger')
    .showHelpAfterError()
  for (const register of [
    registerServeCommand,
    registerInitCommand,
    registerMigrateCommand,
    registerOpenApiCommand,
    registerImportCommand,
    registerExportCommand,
    registerVerifyCommand,
    registerProofCommands,
    registerBackupCommands,
    registerDemoCommand,
    registerCountCommand,
    registerReportCommand,
    registerLifecycleCommands,
    registerWebhooksCommand,
    registerEpcisCommand,
    registerLabelsCommand,
    registerRecallCommand,
    registerDefectReportCommand,
    registerWarrantyCommand,
  ])
    register(program)
  return program
}
