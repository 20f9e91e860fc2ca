/**
 * The milestone shape: one step of a development path (ontwikkelpad), planned for one
 * iteration of two to four weeks, with an owner and a status. Paths are chains of these,
 * joined by arrows bound at both ends, from a start point ("Nu", `pathStart.ts`) to the
 * north star; `shared/paths.ts` reads them back out of the records.
 *
 * In tldraw's order: type, typed id, validator, migration ids and sequence.
 * Changing a validator means adding a migration here, or clients and stored boards disagree.
 */
import {
  createShapePropsMigrationIds,
  createShapePropsMigrationSequence,
  type RecordProps,
  type SchemaPropsInfo,
  type TLShape,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { isIsoDate } from '../dates.ts'

export const MILESTONE_TYPE = 'milestone'

export const MILESTONE_STATUSES = ['planned', 'in-progress', 'done'] as const
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number]

export const MAX_MILESTONE_TITLE_LENGTH = 120
export const MAX_MILESTONE_DESCRIPTION_LENGTH = 600
export const MAX_MILESTONE_OWNER_LENGTH = 80

/** A milestone's size when it is placed: readable at wall-screen distance. */
export const MILESTONE_SIZE = { w: 280, h: 170 } as const

export interface MilestoneProps {
  w: number
  h: number
  title: string
  /** A sentence or two: what is different once this step is reached. */
  description: string
  /** Who carries it: a team or a person, free text. */
  owner: string
  /** First day of its iteration, `YYYY-MM-DD`. */
  start: string
  /** Last day (inclusive), `YYYY-MM-DD`; not before `start`. */
  end: string
  status: MilestoneStatus
  /** When it was set to done (ms since 1970), null otherwise. Screens celebrate from this. */
  doneAt: number | null
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    milestone: MilestoneProps
  }
}

export type MilestoneShape = TLShape<typeof MILESTONE_TYPE>

const boundedString = (max: number) =>
  T.string.check((value) => {
    if (value.length > max) throw new Error(`at most ${max} characters`)
  })

const isoDate = T.string.check((value) => {
  if (!isIsoDate(value)) throw new Error('a date as YYYY-MM-DD')
})

export const milestoneProps: RecordProps<MilestoneShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  title: boundedString(MAX_MILESTONE_TITLE_LENGTH),
  description: boundedString(MAX_MILESTONE_DESCRIPTION_LENGTH),
  owner: boundedString(MAX_MILESTONE_OWNER_LENGTH),
  start: isoDate,
  end: isoDate,
  status: T.literalEnum(...MILESTONE_STATUSES),
  doneAt: T.nullable(
    T.number.check((value) => {
      if (!Number.isSafeInteger(value) || value < 0) throw new Error('a time in whole milliseconds')
    }),
  ),
}

/** Versions of the milestone's props. None yet: the first change adds `{ Name: 1 }` here. */
export const milestoneVersions = createShapePropsMigrationIds(MILESTONE_TYPE, {})

export const milestoneMigrations = createShapePropsMigrationSequence({ sequence: [] })

export const milestoneSchema = {
  props: milestoneProps,
  migrations: milestoneMigrations,
} satisfies SchemaPropsInfo
