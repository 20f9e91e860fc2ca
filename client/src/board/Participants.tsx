/**
 * Who is on the board now, with role badges, from Yjs awareness. Clicking "follow" makes
 * your view follow theirs (tldraw's `startFollowingUser`), as Sanne asks everyone to do.
 */
import { useEffect, useState } from 'react'
import { createUserId, type Editor, useValue } from 'tldraw'
import type { BoardState } from '../app/boardState.ts'
import { useI18n } from '../i18n.ts'
import { listPeers, type Peer } from '../sync/presence.ts'

const ROLE_ORDER = { facilitator: 0, participant: 1, display: 2 } as const

function usePeers(board: BoardState): Peer[] {
  const awareness = board.connection.provider.awareness
  const [peers, setPeers] = useState(() => listPeers(awareness))
  useEffect(() => {
    const update = () => setPeers(listPeers(awareness))
    awareness.on('change', update)
    update()
    return () => awareness.off('change', update)
  }, [awareness])
  // Facilitators first, then by name; yourself on top of your own group.
  return [...peers].sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name),
  )
}

export function Participants({ board, editor, hidden }: { board: BoardState; editor: Editor | null; hidden: boolean }) {
  const { t } = useI18n()
  const peers = usePeers(board)
  const [open, setOpen] = useState(true)
  const following = useValue('following', () => editor?.getInstanceState().followingUserId ?? null, [editor])

  return (
    <section className="stip-participants" hidden={hidden}>
      <button type="button" className="stip-participants__toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('participants.title')} · {peers.length}
      </button>
      <ul data-testid="participants" data-count={peers.length} hidden={!open}>
        {peers.map((peer) => {
          const userId = createUserId(peer.id)
          const isFollowed = following === userId
          return (
            <li
              key={peer.clientId}
              data-testid="participant"
              data-role={peer.role}
              data-self={peer.isSelf || undefined}
            >
              <span className="stip-swatch" style={{ background: peer.color }} aria-hidden="true" />
              <span className="stip-participant__name">
                {peer.name || '…'} {peer.isSelf && <em>{t('participants.you')}</em>}
              </span>
              <span className={`stip-badge stip-badge--${peer.role}`}>{t(`role.${peer.role}`)}</span>
              {peer.isSelf && peer.role !== 'display' && (
                <button type="button" className="stip-link" onClick={() => board.$editingName.set(true)}>
                  {t('name.change')}
                </button>
              )}
              {!peer.isSelf && peer.role !== 'display' && editor && (
                <button
                  type="button"
                  className="stip-link"
                  data-testid="follow"
                  onClick={() => (isFollowed ? editor.stopFollowingUser() : editor.startFollowingUser(userId))}
                >
                  {t(isFollowed ? 'participants.unfollow' : 'participants.follow')}
                </button>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
