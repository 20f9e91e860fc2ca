/**
 * The shapes the board draws: tldraw's own and Stip's. Their props, types and migrations
 * are `shared/schema/` (the contract with the server); this folder holds how they look and
 * behave. Adding a shape: its util here and one line in `stipShapeUtils`.
 */
import { defaultShapeUtils } from 'tldraw'
import { NorthStarShapeUtil } from './NorthStarShapeUtil.tsx'

/** Every shape util the board uses: tldraw's own and the north star. */
export const stipShapeUtils = [...defaultShapeUtils, NorthStarShapeUtil]
