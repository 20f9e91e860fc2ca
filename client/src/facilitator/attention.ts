/**
 * Where people look, steered by the facilitator: what each browser does with the tools'
 * signals and settings (`tools.ts`).
 *
 * - Bring everyone to me (`bring`, once): the view jumps to the leader's viewport, read
 *   from their presence (camera and screen size), and the person may wander off again.
 * - Follow me (`follow`, continuous): tldraw's own `startFollowingUser`. It stops when the
 *   person presses Esc or moves the view themselves (tldraw's rule), and does not start again
 *   for that follow; a late joiner starts it as soon as the leader's presence arrives.
 * - Take control (`meta.control`, participants): the editor is read-only (`$controlled`, which
 *   the store's mode reads), the camera locked for the person, and moved only by us, with
 *   `force`, to the leader's viewport whenever it changes. Releasing restores both.
 * - Spotlight (`meta.spotlight`, participants): the layer is opened as the layer navigation
 *   opens it; releasing opens the overview. (The wall display does its own: `DisplayView`.)
 */
import { Box, type Editor, react, type TLUserId } from 'tldraw'
import type { BoardState } from '../app/boardState.ts'
import type { LayerNavigation } from '../layers/navigation.ts'
import type { FacilitatorTools } from './tools.ts'

const JUMP = { animation: { duration: 320 } }

/** The page area the user `userId` sees, from their presence; null if they are not here. */
export function leaderViewport(editor: Editor, userId: string): Box | null {
  const presence = editor.getCollaborators().find((candidate) => candidate.userId === userId)
  if (!presence?.camera || !presence.screenBounds) return null
  const { camera, screenBounds } = presence
  if (!(camera.z > 0) || !(screenBounds.w > 0) || !(screenBounds.h > 0)) return null
  return new Box(-camera.x, -camera.y, screenBounds.w / camera.z, screenBounds.h / camera.z)
}

export interface AttentionOptions {
  editor: Editor
  board: BoardState
  tools: FacilitatorTools
  navigation: LayerNavigation
  /** Our own presence user id: a leader does not follow themselves. */
  selfUserId: string
}

export function startAttention({ editor, board, tools, navigation, selfUserId }: AttentionOptions): () => void {
  const stops: (() => void)[] = []
  const isParticipant = board.role === 'participant'

  // Bring everyone to me.
  let lastBring = tools.$bring.get()?.count ?? 0
  stops.push(
    react('bring to me', () => {
      const bring = tools.$bring.get()
      if (!bring || bring.count === lastBring) return
      lastBring = bring.count
      if (bring.userId === selfUserId || tools.$control.get()) return
      const box = leaderViewport(editor, bring.userId)
      if (!box) return
      editor.stopFollowingUser()
      editor.zoomToBounds(box, { inset: 0, ...JUMP })
    }),
  )

  // Follow me: started whenever there is a leader to follow, unless the person opted out.
  let optedOut: string | null = null
  let followed: string | null = null
  stops.push(
    react('follow me', () => {
      const leader = tools.$follow.get()
      const controlled = isParticipant && tools.$control.get() !== null
      const following = editor.getInstanceState().followingUserId
      const present = leader !== null && editor.getCollaborators().some((c) => c.userId === leader)
      if (followed && following !== followed) {
        // We were following and tldraw stopped (Esc, the person moved): that is their choice.
        if (present && leader === followed) optedOut = followed
        followed = null
      }
      if (!leader || leader === selfUserId || controlled) {
        if (following && following === followed) editor.stopFollowingUser()
        if (!leader) optedOut = null
        return
      }
      if (optedOut === leader || !present || following === leader) return
      queueMicrotask(() => {
        editor.startFollowingUser(leader as TLUserId)
        if (editor.getInstanceState().followingUserId === leader) followed = leader
      })
    }),
  )
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && followed && editor.getInstanceState().followingUserId === followed) {
      editor.stopFollowingUser()
    }
  }
  window.addEventListener('keydown', onKey)
  stops.push(() => window.removeEventListener('keydown', onKey))

  if (isParticipant) {
    // Take control.
    let held: { isLocked: boolean } | null = null
    stops.push(
      react('take control', () => {
        const control = tools.$control.get()
        if (!control) {
          if (held) {
            editor.setCameraOptions({ ...editor.getCameraOptions(), isLocked: held.isLocked })
            held = null
            board.$controlled.set(false)
          }
          return
        }
        if (!held) {
          held = { isLocked: editor.getCameraOptions().isLocked }
          board.$controlled.set(true)
          editor.stopFollowingUser()
          editor.setCameraOptions({ ...editor.getCameraOptions(), isLocked: true })
        }
        const box = leaderViewport(editor, control.leaderId)
        if (box) editor.zoomToBounds(box, { inset: 0, force: true })
      }),
    )
    stops.push(() => board.$controlled.set(false))

    // Spotlight.
    let spotlit = tools.$spotlight.get()
    if (spotlit) navigation.open(spotlit, 'none')
    stops.push(
      react('spotlight', () => {
        const layerId = tools.$spotlight.get()
        if (layerId === spotlit) return
        spotlit = layerId
        queueMicrotask(() => navigation.open(layerId, 'none'))
      }),
    )
  }

  return () => {
    for (const stop of stops) stop()
  }
}
