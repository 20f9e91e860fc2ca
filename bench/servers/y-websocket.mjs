/**
 * Baseline: the y-websocket reference server (@y/websocket-server 0.1.1, Yjs 13), in memory,
 * wired exactly like its own bin/server.js but on port 0. With `YPERSISTENCE=<folder>` its
 * own utils store every update in LevelDB (y-leveldb), as its README describes: the durable
 * baseline of the kill -9 scenario. Plain JS so that the root typecheck does not need
 * bench/node_modules.
 */
import http from 'node:http'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'

const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'listening', port: server.address().port }))
})
process.on('SIGTERM', () => process.exit(0))
