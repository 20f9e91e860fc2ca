import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { registerStoreContractTests } from './contract.ts'
import { MemoryStore } from './memory.ts'
import { SqliteStore } from './sqlite.ts'

registerStoreContractTests('MemoryStore', () => ({ store: new MemoryStore() }))

registerStoreContractTests('SqliteStore', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-'))
  return { store: new SqliteStore(dir), reopen: () => new SqliteStore(dir) }
})

registerStoreContractTests('SqliteStore, synchronous normal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-'))
  const options = { synchronous: 'normal' } as const
  return { store: new SqliteStore(dir, options), reopen: () => new SqliteStore(dir, options) }
})
