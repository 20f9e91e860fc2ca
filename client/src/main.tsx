/**
 * Entry point: tldraw's styles, ours, and the page the path asks for.
 * No React.StrictMode: its double-mounted effects would open every board connection twice.
 */
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './styles.css'
import { AdminPage } from './admin/AdminPage.tsx'
import { BoardPage } from './app/BoardPage.tsx'
import { parseRoute } from './app/router.ts'
import { ArchivePdfPage } from './export/ArchivePdfPage.tsx'
import { ReplayPage, VersionPage } from './history/HistoryPages.tsx'
import { HomePage } from './home/HomePage.tsx'
import { getLanguage } from './i18n.ts'

function App() {
  const route = parseRoute(location.pathname)
  if (route.page === 'board')
    return <BoardPage boardId={route.boardId} layerId={route.layerId} outline={route.outline} />
  if (route.page === 'history') return <ReplayPage boardId={route.boardId} />
  if (route.page === 'version') return <VersionPage boardId={route.boardId} versionId={route.versionId} />
  if (route.page === 'admin') return <AdminPage />
  if (route.page === 'archive-pdf') return <ArchivePdfPage boardId={route.boardId} />
  return <HomePage />
}

document.documentElement.lang = getLanguage()
const root = document.getElementById('root')
if (root) createRoot(root).render(<App />)
