/**
 * The shapes the board draws: tldraw's own and Stip's. Their props, types and migrations
 * are `shared/schema/` (the contract with the server); this folder holds how they look and
 * behave. Adding a shape: its util here and one line in `stipShapeUtils`.
 */
import { defaultShapeUtils } from 'tldraw'
import { MilestoneShapeUtil } from './MilestoneShapeUtil.tsx'
import { NorthStarShapeUtil } from './NorthStarShapeUtil.tsx'
import { PathStartShapeUtil } from './PathStartShapeUtil.tsx'

/** Every shape util the board uses: tldraw's own, the north star, and the paths' two. */
export const stipShapeUtils = [...defaultShapeUtils, NorthStarShapeUtil, MilestoneShapeUtil, PathStartShapeUtil]
