/**
 * The milestone shape as the server's gate checks it (`checkRecord`): a well-formed one
 * passes as it is, and a status outside the three, a date that is no calendar day, an
 * over-long text or an impossible `doneAt` is refused as invalid, naming the field.
 */
import { createShapeId } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import {
  checkRecord,
  MAX_MILESTONE_DESCRIPTION_LENGTH,
  MAX_MILESTONE_OWNER_LENGTH,
  MAX_MILESTONE_TITLE_LENGTH,
  MILESTONE_SIZE,
  MILESTONE_TYPE,
  type MilestoneProps,
  type MilestoneShape,
  PAGE_ID,
  stipSchema,
} from './index.ts'

const props: MilestoneProps = {
  ...MILESTONE_SIZE,
  title: 'Alle aanvragen jeugdhulp digitaal',
  description: 'Ouders vragen jeugdhulp aan via de website, zonder formulier op papier.',
  owner: 'Team Jeugd',
  start: '2026-01-12',
  end: '2026-01-25',
  status: 'in-progress',
  doneAt: null,
}

/** A milestone shape record as tldraw would store it, with `changes` to its props. */
function milestone(changes: Record<string, unknown> = {}) {
  const record = stipSchema.types.shape.create({
    id: createShapeId('stap-1'),
    type: MILESTONE_TYPE,
    parentId: PAGE_ID,
    index: 'a1',
    x: 100,
    y: 200,
    props,
    meta: { layerId: 'layer:jeugd' },
  }) as MilestoneShape
  return { ...record, props: { ...record.props, ...changes } }
}

/** Expects `checkRecord` to refuse the record as invalid, with `field` in its message. */
function expectRefused(record: unknown, field: string) {
  const result = checkRecord(record)
  expect(result).toMatchObject({ ok: false, reason: 'invalid', typeName: 'shape' })
  expect(!result.ok && result.message).toContain(field)
}

describe('the milestone shape', () => {
  it('is accepted as created, in every status', () => {
    expect(checkRecord(milestone())).toEqual({ ok: true, record: milestone() })
    expect(checkRecord(milestone({ status: 'planned' })).ok).toBe(true)
    expect(checkRecord(milestone({ status: 'done', doneAt: 1_770_000_000_000 })).ok).toBe(true)
  })

  it('accepts texts up to their limits, and empty ones', () => {
    const full = milestone({
      title: 'x'.repeat(MAX_MILESTONE_TITLE_LENGTH),
      description: 'x'.repeat(MAX_MILESTONE_DESCRIPTION_LENGTH),
      owner: 'x'.repeat(MAX_MILESTONE_OWNER_LENGTH),
    })
    expect(checkRecord(full).ok).toBe(true)
    expect(checkRecord(milestone({ title: '', description: '', owner: '' })).ok).toBe(true)
  })

  it('refuses a status outside planned, in-progress and done', () => {
    for (const status of ['finished', 'Done', '', null, 2]) expectRefused(milestone({ status }), 'status')
  })

  it('refuses a start or end that is not a calendar day', () => {
    for (const date of ['2026-02-30', '2026-1-12', '12-01-2026', '2026-01-12T00:00:00Z', '', 20260112]) {
      expectRefused(milestone({ start: date }), 'start')
      expectRefused(milestone({ end: date }), 'end')
    }
  })

  it('refuses texts over their limits', () => {
    expectRefused(milestone({ title: 'x'.repeat(MAX_MILESTONE_TITLE_LENGTH + 1) }), 'title')
    expectRefused(milestone({ description: 'x'.repeat(MAX_MILESTONE_DESCRIPTION_LENGTH + 1) }), 'description')
    expectRefused(milestone({ owner: 'x'.repeat(MAX_MILESTONE_OWNER_LENGTH + 1) }), 'owner')
    expectRefused(milestone({ title: 42 }), 'title')
  })

  it('refuses a doneAt that is not a whole, non-negative time in milliseconds', () => {
    for (const doneAt of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1770000000000']) {
      expectRefused(milestone({ status: 'done', doneAt }), 'doneAt')
    }
  })

  it('refuses a missing field, an extra one, and no size', () => {
    const { owner: _, ...withoutOwner } = milestone().props
    expectRefused({ ...milestone(), props: withoutOwner }, 'owner')
    expectRefused(milestone({ colour: 'red' }), 'colour')
    expectRefused(milestone({ w: 0 }), 'w')
  })
})
