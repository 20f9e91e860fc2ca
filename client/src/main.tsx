/**
 * Entry point: tldraw's styles, ours, and the page the path asks for.
 * No React.StrictMode: its double-mounted effects would open every board connection twice.
 */
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './styles.css'
import { BoardPage } from './app/BoardPage.tsx'
import { parseRoute } from './app/router.ts'
import { HomePage } from './home/HomePage.tsx'
import { getLanguage } from './i18n.ts'

function App() {
  const route = parseRoute(location.pathname)
  return route.page === 'board' ? (
    <BoardPage boardId={route.boardId} layerId={route.layerId} outline={route.outline} />
  ) : (
    <HomePage />
  )
}

document.documentElement.lang = getLanguage()
const root = document.getElementById('root')
if (root) createRoot(root).render(<App />)
