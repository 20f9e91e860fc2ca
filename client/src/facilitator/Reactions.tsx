/**
 * Reactions: 👍 🎉 ❓ buttons (drawn as `ReactionIcon`s) for everyone who draws, and the reactions of everyone
 * floating up and fading where they were sent (the middle of the sender's view). They are
 * signals relayed by the server, never stored, gone after `REACTION_MS`.
 */
import { useEffect, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import { REACTIONS, type Reaction } from '../../../shared/protocol.ts'
import { useI18n } from '../i18n.ts'
import { ReactionIcon } from './ReactionIcon.tsx'
import { type FacilitatorTools, REACTION_MS } from './tools.ts'

const LABEL = {
  '👍': 'facilitator.reactions.thumbs',
  '🎉': 'facilitator.reactions.party',
  '❓': 'facilitator.reactions.question',
} as const satisfies Record<Reaction, string>

/** At most this many of one's own per second; the server's limit is well above it. */
const OWN_MIN_INTERVAL_MS = 250

export function ReactionButtons({ editor, tools }: { editor: Editor; tools: FacilitatorTools }) {
  const { t } = useI18n()
  const [lastAt, setLastAt] = useState(0)
  return (
    <fieldset className="stip-reactions">
      <legend className="stip-visually-hidden">{t('facilitator.reactions.label')}</legend>
      {REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          data-testid={`reaction-${LABEL[emoji].split('.').at(-1)}`}
          aria-label={t(LABEL[emoji])}
          title={t(LABEL[emoji])}
          onClick={() => {
            const now = Date.now()
            if (now - lastAt < OWN_MIN_INTERVAL_MS) return
            setLastAt(now)
            const { x, y } = editor.getViewportPageBounds().center
            tools.react(emoji, x, y)
          }}
        >
          <ReactionIcon reaction={emoji} />
        </button>
      ))}
    </fieldset>
  )
}

export function FloatingReactions({ editor, tools }: { editor: Editor; tools: FacilitatorTools }) {
  const reactions = useValue(tools.$reactions)
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (reactions.length === 0) return
    const timer = setTimeout(() => setNow(Date.now()), REACTION_MS)
    return () => clearTimeout(timer)
  }, [reactions])
  const placed = useValue(
    'reaction places',
    () =>
      reactions.map((reaction) => ({ ...reaction, point: editor.pageToViewport({ x: reaction.x, y: reaction.y }) })),
    [editor, reactions],
  )
  return (
    <div className="stip-floating-reactions" aria-hidden="true" data-testid="floating-reactions">
      {placed
        .filter((reaction) => now - reaction.at < REACTION_MS || reaction.at >= now)
        .map((reaction) => (
          <span
            key={reaction.key}
            className="stip-floating-reaction"
            data-testid="floating-reaction"
            data-reaction={reaction.emoji}
            style={{ left: reaction.point.x + ((reaction.key * 37) % 60) - 30, top: reaction.point.y }}
          >
            <ReactionIcon reaction={reaction.emoji} size={40} />
          </span>
        ))}
    </div>
  )
}
