/**
 * The start point of a development path: a small round marker labelled "Nu" (now), where
 * a department or team stands today. The path's first arrow starts here; `shared/paths.ts`
 * finds every path by walking the arrows from one of these.
 *
 * In tldraw's order: type, typed id, validator, migration ids and sequence.
 */
import {
  createShapePropsMigrationIds,
  createShapePropsMigrationSequence,
  type RecordProps,
  type SchemaPropsInfo,
  type TLShape,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

export const PATH_START_TYPE = 'path-start'

export const PATH_START_SIZE = { w: 120, h: 120 } as const

export interface PathStartProps {
  w: number
  h: number
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    'path-start': PathStartProps
  }
}

export type PathStartShape = TLShape<typeof PATH_START_TYPE>

export const pathStartProps: RecordProps<PathStartShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
}

export const pathStartVersions = createShapePropsMigrationIds(PATH_START_TYPE, {})

export const pathStartMigrations = createShapePropsMigrationSequence({ sequence: [] })

export const pathStartSchema = {
  props: pathStartProps,
  migrations: pathStartMigrations,
} satisfies SchemaPropsInfo
