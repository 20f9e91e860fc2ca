/**
 * A quiet Stip server (SQLite in a temporary directory, the built client) with one fresh
 * board, for browser tests. The client must have been built (tests/browser/global-setup.ts).
 */
import type { StartOptions } from '../../server/app.ts'
import { silentLogger } from '../../server/log.ts'
import { createBoard, type TestBoard } from './api.ts'
import { startTestServer, type TestServer } from './server.ts'

export interface BoardServer {
  server: TestServer
  board: TestBoard
}

/** `options`: server settings a test needs beside the defaults (e.g. raised limits). */
export async function startBoardServer(
  boardName = 'Voorbeeld Digitaal 2030',
  options: Omit<StartOptions, 'log'> = {},
): Promise<BoardServer> {
  // STIP_TEST_LOGS=1 shows the server's log lines while debugging a test.
  const server = await startTestServer(process.env.STIP_TEST_LOGS ? options : { ...options, log: silentLogger })
  try {
    return { server, board: await createBoard(server.url, boardName) }
  } catch (error) {
    await server.stop()
    throw error
  }
}
