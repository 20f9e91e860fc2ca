/**
 * The facilitator's panel: every tool in one place — the timer, bring everyone to me,
 * follow me, take control, the laser, the spotlight, dot voting and the wall-display
 * remote (`DisplayControls`). Mounted by `BoardRoom` for the facilitator role only, so a
 * participant or a display never sees it; the server refuses their writes anyway.
 *
 * Keyboard: the open button and the tabs are buttons (tab through, Enter/Space), the tab
 * row moves with the arrow keys, and Esc closes the panel and gives focus back to its button.
 */
import { type KeyboardEvent, useRef, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import { META_CONTROL_KEY } from '../../../shared/control.ts'
import { flattenLayers } from '../../../shared/layers.ts'
import { META_SPOTLIGHT_KEY } from '../../../shared/spotlight.ts'
import {
  addMinute,
  META_TIMER_KEY,
  parseDuration,
  pauseTimer,
  resumeTimer,
  startTimer,
  TIMER_PRESETS_MINUTES,
} from '../../../shared/timer.ts'
import {
  MAX_VOTES,
  META_VOTING_KEY,
  MIN_VOTES,
  newRoundId,
  VOTE_TARGETS,
  type VoteResults,
  type VoteTarget,
  type VotingRound,
} from '../../../shared/voting.ts'
import type { BoardState } from '../app/boardState.ts'
import { readLayerRecords } from '../display/camera.ts'
import { useI18n } from '../i18n.ts'
import { DisplayControls } from './DisplayControls.tsx'
import type { FacilitatorTools } from './tools.ts'
import { VoteResultsList } from './VoteResults.tsx'
import './facilitator.css'

const TABS = ['timer', 'everyone', 'spotlight', 'voting', 'displays'] as const
type Tab = (typeof TABS)[number]

export interface FacilitatorPanelProps {
  editor: Editor
  board: BoardState
  token: string
  tools: FacilitatorTools
  /** Our presence user id: whom participants follow. */
  selfUserId: string
}

export function FacilitatorPanel(props: FacilitatorPanelProps) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const [tab, setTab] = useState<Tab>('timer')
  const openButton = useRef<HTMLButtonElement>(null)
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({})

  const close = () => {
    setOpen(false)
    queueMicrotask(() => openButton.current?.focus())
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      close()
    }
  }
  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
    const next = TABS[(TABS.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]
    setTab(next)
    tabRefs.current[next]?.focus()
  }

  if (!open) {
    return (
      <button
        ref={openButton}
        type="button"
        className="stip-facilitator__open"
        data-testid="facilitator-panel-open"
        onClick={() => setOpen(true)}
      >
        {t('facilitator.panel.open')}
      </button>
    )
  }
  return (
    <section
      className="stip-facilitator"
      data-testid="facilitator-panel"
      aria-label={t('facilitator.panel.title')}
      onKeyDown={onKeyDown}
    >
      <header>
        <strong>{t('facilitator.panel.title')}</strong>
        <button
          type="button"
          className="stip-facilitator__close"
          onClick={close}
          aria-label={t('facilitator.panel.close')}
        >
          ×
        </button>
      </header>
      <div className="stip-facilitator__tabs" role="tablist" onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            ref={(element) => {
              tabRefs.current[name] = element
            }}
            type="button"
            role="tab"
            aria-selected={tab === name}
            tabIndex={tab === name ? 0 : -1}
            data-testid={name === 'displays' ? 'display-controls-open' : `facilitator-tab-${name}`}
            onClick={() => setTab(name)}
          >
            {t(`facilitator.tab.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="stip-facilitator__body">
        {tab === 'timer' && <TimerTools {...props} />}
        {tab === 'everyone' && <EveryoneTools {...props} />}
        {tab === 'spotlight' && <SpotlightTools {...props} />}
        {tab === 'voting' && <VotingTools {...props} />}
        {tab === 'displays' && (
          <DisplayControls editor={props.editor} board={props.board} token={props.token} embedded />
        )}
      </div>
    </section>
  )
}

function TimerTools({ tools }: FacilitatorPanelProps) {
  const { t } = useI18n()
  const timer = useValue(tools.$timer)
  const [custom, setCustom] = useState('')
  const [invalid, setInvalid] = useState(false)
  const [sound, setSound] = useState(timer?.sound ?? false)
  const start = (ms: number) => tools.setMeta(META_TIMER_KEY, startTimer(ms, tools.now(), sound))
  return (
    <div className="stip-facilitator__section">
      <span>{t('facilitator.timer.presets')}</span>
      <div className="stip-facilitator__row">
        {TIMER_PRESETS_MINUTES.map((minutes) => (
          <button
            key={minutes}
            type="button"
            data-testid={`timer-preset-${minutes}`}
            onClick={() => start(minutes * 60_000)}
          >
            {t('facilitator.timer.minutes', { minutes })}
          </button>
        ))}
      </div>
      <form
        className="stip-facilitator__row"
        onSubmit={(event) => {
          event.preventDefault()
          const ms = parseDuration(custom)
          setInvalid(ms === null)
          if (ms !== null) start(ms)
        }}
      >
        <label>
          {t('facilitator.timer.custom')}
          <input
            data-testid="timer-custom"
            value={custom}
            inputMode="numeric"
            placeholder="10:00"
            onChange={(event) => setCustom(event.target.value)}
          />
        </label>
        <button type="submit" data-testid="timer-start">
          {t('facilitator.timer.start')}
        </button>
      </form>
      {invalid && <p className="stip-warning">{t('facilitator.timer.invalid')}</p>}
      <label className="stip-facilitator__check">
        <input
          type="checkbox"
          checked={sound}
          onChange={(event) => {
            setSound(event.target.checked)
            if (timer) tools.setMeta(META_TIMER_KEY, { ...timer, sound: event.target.checked })
          }}
        />
        {t('facilitator.timer.sound')}
      </label>
      {timer && (
        <div className="stip-facilitator__row">
          {timer.endsAt === null ? (
            <button type="button" onClick={() => tools.setMeta(META_TIMER_KEY, resumeTimer(timer, tools.now()))}>
              {t('facilitator.timer.resume')}
            </button>
          ) : (
            <button
              type="button"
              data-testid="timer-pause"
              onClick={() => tools.setMeta(META_TIMER_KEY, pauseTimer(timer, tools.now()))}
            >
              {t('facilitator.timer.pause')}
            </button>
          )}
          <button type="button" onClick={() => tools.setMeta(META_TIMER_KEY, addMinute(timer, tools.now()))}>
            {t('facilitator.timer.addMinute')}
          </button>
          <button type="button" data-testid="timer-stop" onClick={() => tools.setMeta(META_TIMER_KEY, undefined)}>
            {t('facilitator.timer.stop')}
          </button>
        </div>
      )}
    </div>
  )
}

function EveryoneTools({ editor, board, tools, selfUserId }: FacilitatorPanelProps) {
  const { t } = useI18n()
  const follow = useValue(tools.$follow)
  const control = useValue(tools.$control)
  const name = useValue('facilitator name', () => board.$preferences.get().name ?? '', [board])
  return (
    <div className="stip-facilitator__section">
      <button
        type="button"
        data-testid="bring-everyone"
        onClick={() => tools.send({ kind: 'bring', userId: selfUserId })}
      >
        {t('facilitator.everyone.bring')}
      </button>
      <p className="stip-facilitator__help">{t('facilitator.everyone.bringHelp')}</p>
      <button
        type="button"
        data-testid="follow-me"
        aria-pressed={follow === selfUserId}
        onClick={() => tools.setOwnFollow(follow === selfUserId ? null : selfUserId)}
      >
        {follow === selfUserId ? t('facilitator.everyone.stopFollow') : t('facilitator.everyone.follow')}
      </button>
      <p className="stip-facilitator__help">{t('facilitator.everyone.followHelp')}</p>
      <button
        type="button"
        data-testid="take-control"
        aria-pressed={control !== null}
        onClick={() =>
          tools.setMeta(
            META_CONTROL_KEY,
            control ? undefined : { by: name.slice(0, 100), leaderId: selfUserId, since: tools.now() },
          )
        }
      >
        {control ? t('facilitator.everyone.release') : t('facilitator.everyone.take')}
      </button>
      <p className="stip-facilitator__help">{t('facilitator.everyone.takeHelp')}</p>
      <button type="button" onClick={() => editor.setCurrentTool('laser')}>
        {t('facilitator.everyone.laser')}
      </button>
    </div>
  )
}

function SpotlightTools({ editor, tools }: FacilitatorPanelProps) {
  const { t } = useI18n()
  const spotlight = useValue(tools.$spotlight)
  const layers = useValue('spotlight layers', () => flattenLayers(readLayerRecords(editor)), [editor])
  const [chosen, setChosen] = useState<string>(spotlight ?? layers[0]?.layer.id ?? '')
  const current = layers.find(({ layer }) => layer.id === spotlight)?.layer.name
  return (
    <div className="stip-facilitator__section">
      <label>
        {t('facilitator.spotlight.layer')}
        <select data-testid="spotlight-layer" value={chosen} onChange={(event) => setChosen(event.target.value)}>
          {layers.map(({ layer, depth }) => (
            <option key={layer.id} value={layer.id}>
              {'\u00a0'.repeat(depth * 2)}
              {layer.name}
            </option>
          ))}
        </select>
      </label>
      <div className="stip-facilitator__row">
        <button
          type="button"
          data-testid="spotlight-on"
          onClick={() => chosen && tools.setMeta(META_SPOTLIGHT_KEY, chosen)}
        >
          {t('facilitator.spotlight.on')}
        </button>
        <button
          type="button"
          data-testid="spotlight-off"
          disabled={!spotlight}
          onClick={() => tools.setMeta(META_SPOTLIGHT_KEY, undefined)}
        >
          {t('facilitator.spotlight.off')}
        </button>
      </div>
      {current && <p>{t('facilitator.spotlight.now', { name: current })}</p>}
      <p className="stip-facilitator__help">{t('facilitator.spotlight.help')}</p>
    </div>
  )
}

function VotingTools({ editor, tools }: FacilitatorPanelProps) {
  const { t } = useI18n()
  const round = useValue(tools.$round)
  const layers = useValue('voting layers', () => flattenLayers(readLayerRecords(editor)), [editor])
  const [layerId, setLayerId] = useState<string>('')
  const [votes, setVotes] = useState(3)
  const [several, setSeveral] = useState(false)
  const [targets, setTargets] = useState<VoteTarget>('milestones')
  const [minutes, setMinutes] = useState('')
  const [results, setResults] = useState<VoteResults>('end')

  const openRound = () => {
    const now = tools.now()
    const duration = Number(minutes) > 0 ? Math.min(99, Math.round(Number(minutes))) * 60_000 : null
    const next: VotingRound = {
      id: newRoundId(),
      layerId: layerId || null,
      votesPerPerson: Math.min(MAX_VOTES, Math.max(MIN_VOTES, Math.round(votes) || MIN_VOTES)),
      severalPerItem: several,
      targets,
      results,
      open: true,
      openedAt: now,
      endsAt: duration === null ? null : now + duration,
    }
    tools.setMeta(META_VOTING_KEY, next)
    // Tied to the timer: everyone sees how long the round still runs.
    if (duration !== null) tools.setMeta(META_TIMER_KEY, startTimer(duration, now))
  }

  return (
    <div className="stip-facilitator__section">
      {round?.open ? (
        <>
          <p>{t('facilitator.voting.isOpen')}</p>
          {round.results === 'end' && <p className="stip-facilitator__help">{t('facilitator.voting.hidden')}</p>}
          <button type="button" data-testid="voting-close" onClick={() => tools.send({ kind: 'close-round' })}>
            {t('facilitator.voting.close')}
          </button>
        </>
      ) : (
        <form
          className="stip-facilitator__section"
          onSubmit={(event) => {
            event.preventDefault()
            openRound()
          }}
        >
          <label>
            {t('facilitator.voting.scope')}
            <select data-testid="voting-scope" value={layerId} onChange={(event) => setLayerId(event.target.value)}>
              <option value="">{t('facilitator.voting.wholeBoard')}</option>
              {layers.map(({ layer, depth }) => (
                <option key={layer.id} value={layer.id}>
                  {'\u00a0'.repeat(depth * 2)}
                  {layer.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('facilitator.voting.votes')}
            <input
              type="number"
              data-testid="voting-votes"
              min={MIN_VOTES}
              max={MAX_VOTES}
              value={votes}
              onChange={(event) => setVotes(Number(event.target.value))}
            />
          </label>
          <label className="stip-facilitator__check">
            <input type="checkbox" checked={several} onChange={(event) => setSeveral(event.target.checked)} />
            {t('facilitator.voting.several')}
          </label>
          <label>
            {t('facilitator.voting.targets')}
            <select
              data-testid="voting-targets"
              value={targets}
              onChange={(event) => setTargets(event.target.value as VoteTarget)}
            >
              {VOTE_TARGETS.map((target) => (
                <option key={target} value={target}>
                  {t(`facilitator.voting.targets.${target}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('facilitator.voting.duration')}
            <input
              type="number"
              min={1}
              max={99}
              value={minutes}
              onChange={(event) => setMinutes(event.target.value)}
            />
          </label>
          <label>
            {t('facilitator.voting.results')}
            <select
              data-testid="voting-results"
              value={results}
              onChange={(event) => setResults(event.target.value as VoteResults)}
            >
              <option value="end">{t('facilitator.voting.results.end')}</option>
              <option value="live">{t('facilitator.voting.results.live')}</option>
            </select>
          </label>
          <button type="submit" data-testid="voting-open">
            {t('facilitator.voting.open')}
          </button>
        </form>
      )}
      <VoteResultsList editor={editor} tools={tools} />
    </div>
  )
}
