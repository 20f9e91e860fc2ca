/**
 * The reactions drawn as small icons of Stip's own rather than emoji: a kiosk PC or a
 * Linux laptop without a colour-emoji font shows emoji as empty boxes, and no font may be
 * fetched from elsewhere. The wire keeps the emoji as the reaction's name
 * (`REACTIONS` in `shared/protocol.ts`).
 */
import type { Reaction } from '../../../shared/protocol.ts'

const COLOR: Record<Reaction, string> = { '👍': '#1c7ed6', '🎉': '#e8590c', '❓': '#7048e8' }

export function ReactionIcon({ reaction, size = 24 }: { reaction: Reaction; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill={COLOR[reaction]}>
      {reaction === '👍' && (
        <path d="M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 2-1.6l1.5-7.2A2 2 0 0 0 19 9.8h-5.3l.9-4.3A1.9 1.9 0 0 0 12.8 3.3L8 10z" />
      )}
      {reaction === '🎉' && (
        <>
          <path d="M3 21l4.5-12.5 8 8z" />
          <path d="M14 3l1 2.4L17.5 6 15 7l-1 2.5L13 7l-2.5-1L13 5.4zM19.5 10.5l.6 1.4 1.4.6-1.4.6-.6 1.4-.6-1.4-1.4-.6 1.4-.6z" />
          <circle cx="9" cy="4" r="1.3" />
          <circle cx="20" cy="19" r="1.3" />
        </>
      )}
      {reaction === '❓' && (
        <>
          <circle cx="12" cy="12" r="10" />
          <path
            d="M9.2 9.3a2.9 2.9 0 1 1 4.3 2.5c-.9.5-1.5 1.1-1.5 2.2v.5"
            fill="none"
            stroke="#fff"
            strokeWidth="2.2"
            strokeLinecap="round"
          />
          <circle cx="12" cy="17.6" r="1.3" fill="#fff" />
        </>
      )}
    </svg>
  )
}
