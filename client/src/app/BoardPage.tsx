/**
 * `/b/:boardId` (and its layer and outline addresses): finds out who the link makes us
 * (token → `GET /me`), reads the config, then opens the board. A reload while offline uses the last confirmed role, so local
 * work stays reachable when the server is not.
 */
import { useEffect, useState } from 'react'
import type { ClientConfig } from '../../../shared/api.ts'
import { DEFAULT_MAX_IMAGE_FILE_BYTES } from '../../../shared/images.ts'
import type { Role } from '../../../shared/roles.ts'
import { fetchSession } from '../api.ts'
import { loadConfig } from '../config.ts'
import { type MessageKey, useI18n } from '../i18n.ts'
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx'
import { rememberedSession, rememberSession, takeBoardToken } from './access.ts'
import { BoardRoom } from './BoardRoom.tsx'

type Access =
  | { kind: 'loading' }
  | { kind: 'problem'; message: MessageKey; canRetry: boolean }
  | {
      kind: 'ready'
      token: string
      role: Role
      scopeLayerId: string | null
      config: ClientConfig
      boardName: string
    }

const OFFLINE_CONFIG: ClientConfig = {
  tldrawLicenseKey: null,
  createTokenRequired: false,
  version: 'unknown',
  maxImageBytes: DEFAULT_MAX_IMAGE_FILE_BYTES,
}

async function resolveAccess(boardId: string): Promise<Access> {
  const token = takeBoardToken(boardId)
  if (!token) return { kind: 'problem', message: 'board.noToken', canRetry: false }
  const [session, config] = await Promise.all([fetchSession(boardId, token), loadConfig().catch(() => OFFLINE_CONFIG)])
  if (session.ok) {
    rememberSession(session.value)
    document.title = `${session.value.name} — Stip`
    return {
      kind: 'ready',
      token,
      role: session.value.role,
      scopeLayerId: session.value.layerId ?? null,
      config,
      boardName: session.value.name,
    }
  }
  if (session.kind === 'network' || session.status >= 500) {
    const remembered = rememberedSession(boardId)
    if (remembered) {
      const { role, layerId: scopeLayerId, name: boardName } = remembered
      return { kind: 'ready', token, role, scopeLayerId, config, boardName }
    }
    return { kind: 'problem', message: 'board.unreachable', canRetry: true }
  }
  if (session.status === 404) return { kind: 'problem', message: 'board.notFound', canRetry: false }
  return { kind: 'problem', message: 'board.denied', canRetry: false }
}

/** The board page. */
export function BoardPage({
  boardId,
  layerId,
  outline,
}: {
  boardId: string
  layerId: string | null
  outline: boolean
}) {
  const { t } = useI18n()
  const [access, setAccess] = useState<Access>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `attempt` asks again
  useEffect(() => {
    let cancelled = false
    void resolveAccess(boardId).then((result) => {
      if (!cancelled) setAccess(result)
    })
    return () => {
      cancelled = true
    }
  }, [boardId, attempt])

  // An unreachable server is retried by itself: the wall display has nobody to click.
  useEffect(() => {
    if (access.kind !== 'problem' || !access.canRetry) return
    const timer = setTimeout(() => setAttempt((n) => n + 1), 10_000)
    return () => clearTimeout(timer)
  }, [access])

  if (access.kind === 'ready')
    return (
      <BoardRoom
        boardId={boardId}
        token={access.token}
        role={access.role}
        scopeLayerId={access.scopeLayerId}
        initialLayerId={layerId}
        config={access.config}
        boardName={access.boardName}
        outlinePage={outline}
      />
    )
  return (
    <main className="stip-page stip-center">
      <LanguageSwitch />
      {access.kind === 'loading' ? (
        <p>{t('board.loading')}</p>
      ) : (
        <div className="stip-card" data-testid="board-problem">
          <p>{t(access.message)}</p>
          {access.canRetry && (
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              {t('board.retry')}
            </button>
          )}
        </div>
      )}
    </main>
  )
}
