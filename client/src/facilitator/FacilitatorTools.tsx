/**
 * Everything of the facilitator's tools one board shows, for every role: the timer, the
 * banners of take control and follow me, the voting dots and results, reactions — and, for
 * a facilitator only, the panel that steers them (`FacilitatorPanel`). Mounted once per
 * board by `BoardRoom`; the tools' state lives in `createFacilitatorTools`, the camera's
 * part in `startAttention` (participants, and the spotlight on displays in `DisplayView`).
 */
import { useEffect } from 'react'
import { createUserId, type Editor, useValue } from 'tldraw'
import type { BoardState } from '../app/boardState.ts'
import { useI18n } from '../i18n.ts'
import type { LayerNavigation } from '../layers/navigation.ts'
import { startAttention } from './attention.ts'
import { FacilitatorPanel } from './FacilitatorPanel.tsx'
import { FloatingReactions, ReactionButtons } from './Reactions.tsx'
import { TimerView } from './TimerView.tsx'
import type { FacilitatorTools as Tools } from './tools.ts'
import { VoteResultsCard } from './VoteResults.tsx'
import { VotingOverlay } from './VotingOverlay.tsx'
import './facilitator.css'

export interface FacilitatorToolsProps {
  editor: Editor
  board: BoardState
  tools: Tools
  token: string
  navigation: LayerNavigation | null
}

export function FacilitatorToolsView({ editor, board, tools, token, navigation }: FacilitatorToolsProps) {
  const selfUserId = useValue('self user id', () => createUserId(board.$preferences.get().id ?? ''), [board])

  useEffect(() => {
    if (!navigation || board.isDisplay) return
    return startAttention({ editor, board, tools, navigation, selfUserId })
  }, [editor, board, tools, navigation, selfUserId])

  return (
    <>
      <TimerView tools={tools} isDisplay={board.isDisplay} />
      <VotingOverlay editor={editor} board={board} tools={tools} />
      <FloatingReactions editor={editor} tools={tools} />
      <VoteResultsCard editor={editor} tools={tools} />
      {!board.isDisplay && <ReactionButtons editor={editor} tools={tools} />}
      {board.role === 'participant' && <Banners editor={editor} tools={tools} />}
      {board.role === 'facilitator' && (
        <FacilitatorPanel editor={editor} board={board} token={token} tools={tools} selfUserId={selfUserId} />
      )}
    </>
  )
}

/** Why the participant cannot draw or move (take control), or whom they follow. */
function Banners({ editor, tools }: { editor: Editor; tools: Tools }) {
  const { t } = useI18n()
  const control = useValue(tools.$control)
  const following = useValue('following', () => editor.getInstanceState().followingUserId, [editor])
  const leaderName = useValue(
    'leader name',
    () => editor.getCollaborators().find((c) => c.userId === following)?.userName ?? '',
    [editor, following],
  )
  if (control) {
    return (
      <div className="stip-facilitator-banner" data-testid="control-banner" role="status">
        {t('facilitator.control.banner', { name: control.by || t('facilitator.follow.leader') })}
      </div>
    )
  }
  if (following && following === tools.$follow.get()) {
    return (
      <div
        className="stip-facilitator-banner stip-facilitator-banner--follow"
        data-testid="follow-banner"
        role="status"
      >
        {t('facilitator.follow.banner', { name: leaderName || t('facilitator.follow.leader') })}
        <button type="button" onClick={() => editor.stopFollowingUser()}>
          {t('facilitator.follow.stop')}
        </button>
      </div>
    )
  }
  return null
}
