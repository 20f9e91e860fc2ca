/**
 * Builds the browser client (`client/`) into `client/dist/`, which the server serves.
 * Everything tldraw needs (fonts, icons, translations) is bundled as local files, so a
 * built Stip never asks another origin for anything; the server's Content-Security-Policy
 * (server/http/static.ts) makes the browser refuse it if some code tried.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // tldraw alone is well over the default 500 kB warning; that is expected here.
    chunkSizeWarningLimit: 4000,
    // Never inline JSON (tldraw's translations) as data: URLs: tldraw fetch()es them, and
    // the server's Content-Security-Policy allows fetching from this origin only.
    assetsInlineLimit: (file) => (file.endsWith('.json') ? false : undefined),
  },
  server: {
    // `npm run dev`: forward the API and the sync socket to a server on port 8080.
    proxy: {
      '/api': 'http://localhost:8080',
      '/sync': { target: 'ws://localhost:8080', ws: true },
    },
  },
})
